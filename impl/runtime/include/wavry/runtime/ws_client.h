// A WebSocket client for signaling (host and client -> gateway). Text frames
// only; messages sent before the handshake completes are queued.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "wavry/runtime/http_client.h"

namespace wavry::runtime {

class WsClient {
 public:
  struct Handlers {
    std::function<void()> on_open;
    std::function<void(std::string)> on_message;
    std::function<void(std::string reason)> on_close;
  };
  static std::shared_ptr<WsClient> connect(asio::io_context& io, const Url& url, Handlers h);
  virtual ~WsClient() = default;
  virtual void send(std::string text) = 0;
  virtual void close() = 0;
};

}  // namespace wavry::runtime
