#include "wavry/sim/drivers.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "wavry/proto/json_util.h"

namespace wavry::sim {

using nlohmann::json;

void SimTimer::rearm() {
  auto deadline = next_();
  if (deadline == armed_) return;
  if (armed_) net_.cancel(timer_);
  armed_ = deadline;
  if (!deadline) return;
  timer_ = net_.schedule(*deadline, [this] {
    armed_.reset();
    fire_(net_.now());
    rearm();
  });
}

// Frames on the channel: the first message of a connection says what it is.
//   {"kind":"http","method","target","authorization","body"}  -> one {"status","content_type","body"} reply
//   {"kind":"ws","path"}                                       -> text messages follow, both ways
SimHttpServer::SimHttpServer(Network& net, NodeId node, std::uint16_t port,
                             std::function<proto::HttpResponse(const proto::HttpRequest&)> handler,
                             std::optional<SimWsHandlers> ws)
    : net_(net), handler_(std::move(handler)), ws_(std::move(ws)) {
  net_.listen(node, port,
              ChannelHandlers{nullptr,
                              [this](ConnId c, std::string msg) {
                                auto w = is_ws_.find(c);
                                if (w != is_ws_.end()) {
                                  ws_->on_message(c, std::move(msg));
                                  return;
                                }
                                auto j = proto::parse_json_object(msg, 1 << 20);
                                auto kind = j ? proto::get_string(*j, "kind", 16) : std::nullopt;
                                if (kind && *kind == "ws" && ws_ && proto::get_string(*j, "path") == ws_->path) {
                                  if (!ws_->on_open(c)) {
                                    net_.close(c);
                                    return;
                                  }
                                  is_ws_[c] = true;
                                  return;
                                }
                                proto::HttpResponse resp;
                                if (kind && *kind == "http") {
                                  proto::HttpRequest req{proto::get_string(*j, "method", 16).value_or(""),
                                                         proto::get_string(*j, "target", 1024).value_or(""),
                                                         proto::get_string(*j, "authorization", 1024).value_or(""),
                                                         proto::get_string(*j, "body", proto::kMaxHttpBody).value_or("")};
                                  resp = handler_(req);
                                } else {
                                  resp = proto::error_response(400, "bad_request", "not a request frame");
                                }
                                net_.send(c, json{{"status", resp.status}, {"content_type", resp.content_type}, {"body", resp.body}}.dump());
                                net_.close(c);
                              },
                              [this](ConnId c) {
                                if (is_ws_.erase(c)) ws_->on_close(c);
                              }});
}

void SimHttpServer::ws_send(ConnId c, std::string text, bool close_after) {
  if (!is_ws_.contains(c)) return;
  net_.send(c, std::move(text));
  if (close_after) net_.close(c);
}

void sim_http_call(Network& net, NodeId from, const Endpoint& server, const proto::HttpRequest& req,
                   std::function<void(proto::CallResult)> done) {
  auto state = std::make_shared<std::function<void(proto::CallResult)>>(std::move(done));
  std::string frame = json{{"kind", "http"},
                           {"method", req.method},
                           {"target", req.target},
                           {"authorization", req.authorization},
                           {"body", req.body}}
                          .dump();
  ConnId c = net.connect(from, server,
                         ChannelHandlers{nullptr,
                                         [state](ConnId, std::string msg) {
                                           if (!*state) return;
                                           auto j = proto::parse_json_object(msg, 1 << 20);
                                           proto::CallResult r;
                                           r.status = j ? static_cast<int>(proto::get_uint(*j, "status").value_or(0)) : 0;
                                           r.body = j ? proto::get_string(*j, "body", proto::kMaxHttpBody).value_or("") : "";
                                           auto cb = std::move(*state);
                                           *state = nullptr;
                                           cb(std::move(r));
                                         },
                                         [state](ConnId) {
                                           if (!*state) return;
                                           auto cb = std::move(*state);
                                           *state = nullptr;
                                           cb(proto::CallResult{0, 0, "connection closed"});
                                         }});
  net.send(c, std::move(frame));
}

SimWsClient::SimWsClient(Network& net, NodeId from, const Endpoint& server, std::string path,
                         std::function<void()> on_open, std::function<void(std::string)> on_message)
    : net_(net) {
  conn_ = net_.connect(from, server,
                       ChannelHandlers{[on_open](ConnId) {
                                         if (on_open) on_open();
                                       },
                                       [on_message](ConnId, std::string msg) { on_message(std::move(msg)); }, nullptr});
  net_.send(conn_, json{{"kind", "ws"}, {"path", path}}.dump());
}

void SimWsClient::send(std::string text) { net_.send(conn_, std::move(text)); }

}  // namespace wavry::sim
