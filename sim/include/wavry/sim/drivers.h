// Thin drivers that host sans-IO cores on simulated nodes: a timer that
// follows a core's next_timeout, HTTP request/response and WebSocket-style
// text messages carried as frames over the simulated TCP channel. The same
// cores run under the Asio runtime; only these edges differ.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "wavry/proto/http_types.h"
#include "wavry/sim/network.h"

namespace wavry::sim {

class SimTimer {
 public:
  SimTimer(Network& net, std::function<std::optional<Instant>()> next, std::function<void(Instant)> fire)
      : net_(net), next_(std::move(next)), fire_(std::move(fire)) {}
  void rearm();

 private:
  Network& net_;
  std::function<std::optional<Instant>()> next_;
  std::function<void(Instant)> fire_;
  std::optional<Instant> armed_;
  std::uint64_t timer_ = 0;
};

struct SimWsHandlers {
  std::string path;
  std::function<bool(ConnId)> on_open;
  std::function<void(ConnId, std::string)> on_message;
  std::function<void(ConnId)> on_close;
};

// Serves HTTP (one request per connection) and, optionally, a WebSocket path.
class SimHttpServer {
 public:
  SimHttpServer(Network& net, NodeId node, std::uint16_t port,
                std::function<proto::HttpResponse(const proto::HttpRequest&)> handler,
                std::optional<SimWsHandlers> ws = std::nullopt);
  void ws_send(ConnId c, std::string text, bool close_after);

 private:
  Network& net_;
  std::function<proto::HttpResponse(const proto::HttpRequest&)> handler_;
  std::optional<SimWsHandlers> ws_;
  std::map<ConnId, bool> is_ws_;
};

// One HTTP call over a fresh connection; status 0 if it closes unanswered.
void sim_http_call(Network& net, NodeId from, const Endpoint& server, const proto::HttpRequest& req,
                   std::function<void(proto::CallResult)> done);

// A WebSocket-like client connection: text messages both ways.
class SimWsClient {
 public:
  SimWsClient(Network& net, NodeId from, const Endpoint& server, std::string path, std::function<void()> on_open,
              std::function<void(std::string)> on_message);
  void send(std::string text);

 private:
  Network& net_;
  ConnId conn_;
};

}  // namespace wavry::sim
