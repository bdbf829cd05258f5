#include "wavry/proto/json_util.h"
#include "wavry/gateway/gateway_core.h"

#include <nlohmann/json.hpp>

#include "wavry/core/uuid.h"
#include "wavry/crypto/identity.h"
#include "wavry/proto/control_api.h"

namespace wavry::gateway {

using nlohmann::json;
using namespace proto;

GatewayCore::GatewayCore(GatewayConfig cfg, Random& rng) : cfg_(std::move(cfg)), rng_(rng) {}

HttpResponse GatewayCore::handle_request(Instant, const HttpRequest& req) const {
  if (req.method == "GET" && req.target == "/") return {200, "text/plain", "Wavry Gateway Online\n"};
  if (req.method == "GET" && req.target == "/health")
    return json_response(200, proto::dump_json(json{{"status", "ok"},
                                   {"ws_connections", conns_.size()},
                                   {"bound_peers", names_.size()},
                                   {"relay_sessions_brokered", brokered_},
                                   {"insecure_signaling", cfg_.allow_insecure_signaling}}));
  return error_response(404, "not_found", "no such endpoint: " + req.method + " " + req.target);
}

bool GatewayCore::handle_ws_open(Instant now, ConnId c) {
  if (conns_.size() >= cfg_.max_connections) return false;
  conns_[c] = Conn{now, std::nullopt, PeerRole::client, false};
  return true;
}

void GatewayCore::send(ConnId c, const SignalMessage& m, bool close_after) {
  auto it = conns_.find(c);
  if (it == conns_.end() || it->second.closing) return;  // gone or closing: the send has nowhere to go
  it->second.closing = close_after;
  sends_.push_back(WsSend{c, serialize_signal(m), close_after});
}

void GatewayCore::error(ConnId c, std::string code, std::string message, bool close_after) {
  send(c, SigError{std::move(code), std::move(message)}, close_after);
}

void GatewayCore::handle_ws_message(Instant now, ConnId c, std::string_view text) {
  auto it = conns_.find(c);
  if (it == conns_.end() || it->second.closing) return;
  auto msg = parse_signal(text);
  if (!msg) {
    error(c, "invalid_message", msg.error().message);  // a bad message is answered, the connection kept
    return;
  }
  Conn& conn = it->second;
  if (auto* b = std::get_if<SigBind>(&*msg)) return on_bind(now, c, conn, *b);
  if (!conn.name) return error(c, "bind_required", "BIND before signaling", true);
  if (auto* r = std::get_if<SigRequestRelay>(&*msg)) return on_request_relay(now, c, conn, *r);
  error(c, "unsupported", "peers may send BIND and REQUEST_RELAY only");
}

void GatewayCore::on_bind(Instant now, ConnId c, Conn& conn, const SigBind& b) {
  if (conn.name) return error(c, "already_bound", "this connection is already bound");
  if (!cfg_.allow_insecure_signaling)
    return error(c, "accounts_unavailable",
                 "account sign-in is not available yet; development tokens need WAVRY_ALLOW_INSECURE_SIGNALING=1 on "
                 "the gateway",
                 true);
  if (!cfg_.dev_token.empty() && !crypto::constant_time_equal(b.token, cfg_.dev_token))
    return error(c, "invalid_token", "development token does not match", true);
  auto existing = names_.find(b.name);
  if (existing != names_.end() && existing->second != c) {
    // The newer connection wins; the old one is told and closed.
    error(existing->second, "replaced", "name bound by a newer connection", true);
    conns_[existing->second].name.reset();
  }
  conn.name = b.name;
  conn.role = b.role;
  names_[b.name] = c;
  send(c, SigBound{b.name});
  events_.push_back(PeerBound{c, b.name, b.role});
  (void)now;
}

void GatewayCore::on_request_relay(Instant now, ConnId c, Conn& conn, const SigRequestRelay& r) {
  if (conn.role != PeerRole::client) return error(c, "forbidden", "only a client may request a relay");
  auto target = names_.find(r.target);
  if (target == names_.end() || conns_[target->second].role != PeerRole::host)
    return error(c, "host_offline", "no host named " + r.target + " is connected");
  if (pending_.size() >= 1024) return error(c, "busy", "too many relay requests in flight");
  Uuid sid = Uuid::random_v4(rng_);
  std::uint64_t id = next_call_id_++;
  pending_[id] = PendingLease{c, *conn.name, r.target, now + cfg_.lease_call_timeout};
  LeaseRequest lr{sid.to_string(), r.target, *conn.name};
  calls_.push_back(OutboundCall{id, "master", {"POST", "/v1/leases", "Bearer " + cfg_.master_broker_token, to_json(lr)}});
}

void GatewayCore::fail_pending(std::uint64_t call_id, const std::string& reason) {
  auto it = pending_.find(call_id);
  if (it == pending_.end()) return;
  error(it->second.client_conn, "relay_unavailable", reason);
  events_.push_back(BrokerFailed{it->second.client, it->second.host, reason});
  pending_.erase(it);
}

void GatewayCore::handle_call_result(Instant, const CallResult& r) {
  auto it = pending_.find(r.id);
  if (it == pending_.end()) return;
  if (r.status != 200) return fail_pending(r.id, "master answered " + std::to_string(r.status) + ": " + r.body.substr(0, 200));
  auto g = parse_lease_grant(r.body);
  if (!g) return fail_pending(r.id, "master sent an unreadable lease grant");
  PendingLease p = it->second;
  pending_.erase(it);
  auto host = names_.find(p.host);
  if (host == names_.end()) {
    error(p.client_conn, "host_offline", "host went away");
    return;
  }
  send(host->second, SigRelayCredentials{g->session_id, g->relay_id, g->relay_addr, g->host_lease, PeerRole::host,
                                         p.client, g->expires_at});
  send(p.client_conn, SigRelayCredentials{g->session_id, g->relay_id, g->relay_addr, g->client_lease,
                                            PeerRole::client, p.host, g->expires_at});
  brokered_++;
  events_.push_back(RelayBrokered{g->session_id, p.host, p.client, g->relay_addr});
}

void GatewayCore::handle_ws_close(Instant, ConnId c) {
  auto it = conns_.find(c);
  if (it == conns_.end()) return;
  // Remove the name only if it still points at this connection.
  if (it->second.name) {
    auto n = names_.find(*it->second.name);
    if (n != names_.end() && n->second == c) names_.erase(n);
  }
  conns_.erase(it);
}

void GatewayCore::handle_timeout(Instant now) {
  for (auto& [c, conn] : conns_)
    if (!conn.name && !conn.closing && now - conn.opened >= cfg_.bind_timeout)
      error(c, "bind_timeout", "no BIND within the time allowed", true);
  std::vector<std::uint64_t> expired;
  for (const auto& [id, p] : pending_)
    if (now >= p.deadline) expired.push_back(id);
  for (auto id : expired) fail_pending(id, "master did not answer in time");
}

std::optional<Instant> GatewayCore::next_timeout() const {
  std::optional<Instant> t;
  auto consider = [&](Instant i) {
    if (!t || i < *t) t = i;
  };
  for (const auto& [c, conn] : conns_)
    if (!conn.name && !conn.closing) consider(conn.opened + cfg_.bind_timeout);
  for (const auto& [id, p] : pending_) consider(p.deadline);
  return t;
}

}  // namespace wavry::gateway
