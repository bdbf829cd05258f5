// The host's and client's WebSocket to the gateway: typed signaling messages
// in and out, reconnecting with backoff when the connection drops.
#pragma once

#include <functional>
#include <memory>

#include "wavry/proto/signaling.h"
#include "wavry/runtime/ws_client.h"

namespace wavry::runtime {

class SignalingLink {
 public:
  struct Handlers {
    std::function<void()> on_connected;  // (re)connected: the owner re-binds
    std::function<void(const proto::SignalMessage&)> on_message;
    std::function<void(const std::string&)> on_problem;
  };
  SignalingLink(asio::io_context& io, Url url, Handlers h);
  void start();
  void send(const proto::SignalMessage& m);
  void stop();

 private:
  void connect();
  asio::io_context& io_;
  Url url_;
  Handlers h_;
  std::shared_ptr<WsClient> ws_;
  asio::steady_timer retry_;
  Duration backoff_ = 500ms;
  bool stopped_ = false;
};

}  // namespace wavry::runtime
