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

// Wires a host or client core to a SignalingLink: on (re)connect the core
// binds again, each message goes to the core, `pump` drains its outputs.
template <class Core>
std::unique_ptr<SignalingLink> attach_signaling(asio::io_context& io, const Url& url, Core& core,
                                                std::function<void()>& pump, std::string component) {
  auto link = std::make_unique<SignalingLink>(
      io, url,
      SignalingLink::Handlers{[&core, &pump] {
                                core.signaling_connected(now());
                                pump();
                              },
                              [&core, &pump](const proto::SignalMessage& m) {
                                core.handle_signal(now(), m);
                                pump();
                              },
                              [component](const std::string& p) { log_warn(component, p); }});
  link->start();
  return link;
}

}  // namespace wavry::runtime
