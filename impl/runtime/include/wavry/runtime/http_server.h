// Beast HTTP/1.1 server with an optional WebSocket endpoint. Requests are
// handed to a handler as proto::HttpRequest values; the handler's response
// is written back. Bodies over 64 KiB are refused by the parser; at most
// kMaxConnections connections (HTTP and WebSocket) are open at once, and
// idle HTTP connections close after 30 s.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "wavry/proto/http_types.h"
#include "wavry/runtime/runtime.h"

namespace wavry::runtime {

struct WsHandlers {
  std::string path;  // e.g. "/ws"
  std::function<bool(std::uint64_t conn)> on_open;  // false: refuse (503)
  std::function<void(std::uint64_t conn, std::string text)> on_message;
  std::function<void(std::uint64_t conn)> on_close;
};

class HttpServer {
 public:
  static constexpr std::size_t kMaxConnections = 8192;
  using Handler = std::function<proto::HttpResponse(const proto::HttpRequest&)>;

  static Result<std::unique_ptr<HttpServer>> bind(asio::io_context& io, const Endpoint& ep, Handler h,
                                                   std::optional<WsHandlers> ws = std::nullopt);
  Endpoint local_endpoint() const;
  // Queues a text frame; close_after closes the socket once it is written.
  void ws_send(std::uint64_t conn, std::string text, bool close_after);
  void ws_close_all();
  std::size_t open_connections() const;
  std::uint64_t refused_connections() const;

  struct Impl;
  explicit HttpServer(std::shared_ptr<Impl> impl);
  // Stops accepting and stops calling the handlers; connections still in
  // flight keep the shared state alive until Asio drops them.
  ~HttpServer();

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace wavry::runtime
