#include "wavry/proto/json_util.h"
#include "wavry/master/master_core.h"

#include <nlohmann/json.hpp>

#include "wavry/core/bytes.h"
#include "wavry/core/uuid.h"
#include "wavry/crypto/paseto.h"
#include "wavry/proto/control_api.h"
#include "wavry/proto/lease_claims.h"

namespace wavry::master {

using nlohmann::json;
using proto::error_response;
using proto::HttpRequest;
using proto::HttpResponse;
using proto::json_response;

MasterCore::MasterCore(MasterConfig cfg, WallClock wall)
    : cfg_(std::move(cfg)), wall_(wall), signer_(cfg_.signing_key), key_id_(signer_.kid()) {
  cfg_.lease_ttl = std::clamp<Duration>(cfg_.lease_ttl, 60s, 3600s);
}

std::size_t MasterCore::assignable_relays(Instant now) const {
  std::size_t n = 0;
  for (const auto& [id, r] : relays_) n += assignable(r, now);
  return n;
}

HttpResponse MasterCore::handle_request(Instant now, const HttpRequest& req) {
  if (!next_sweep_) next_sweep_ = now + 5s;
  if (req.body.size() > proto::kMaxHttpBody) return error_response(413, "too_large", "body over 64 KiB");
  const std::string& t = req.target;
  if (req.method == "GET") {
    if (t == "/health") return health(now);
    if (t == "/ready") {
      bool ok = ready(now);
      return json_response(ok ? 200 : 503, proto::dump_json(json{{"ready", ok},
                                                 {"provisioned_signing_key", cfg_.key_provisioned},
                                                 {"relays_assignable", assignable_relays(now)},
                                                 {"signing_key_id", key_id_}}));
    }
    if (t == "/.well-known/wavry-id") {
      const auto& pk = cfg_.signing_key.public_key();
      return json_response(200, proto::dump_json(json{{"public_key", to_hex(pk)},
                                     {"key_id", key_id_},
                                     {"wavry_id", crypto::wavry_id(pk)},
                                     {"version", "1.0"}}));
    }
    if (t == "/v1/relays") return list_relays(now);
  } else if (req.method == "POST") {
    if (t == "/v1/relays/register") return register_relay(now, req);
    if (t == "/v1/relays/heartbeat") return heartbeat(now, req);
    if (t == "/v1/leases") return issue_leases(now, req);
  }
  return error_response(404, "not_found", "no such endpoint: " + req.method + " " + t);
}

HttpResponse MasterCore::health(Instant now) const {
  return json_response(200, proto::dump_json(json{{"status", "ok"},
                                 {"ready", ready(now)},
                                 {"relays_registered", relays_.size()},
                                 {"relays_assignable", assignable_relays(now)},
                                 {"signing_key_id", key_id_},
                                 {"provisioned_signing_key", cfg_.key_provisioned},
                                 {"lease_ttl_secs", duration_cast<std::chrono::seconds>(cfg_.lease_ttl).count()}}));
}

namespace {
bool relay_authorized(const std::string& expected, const HttpRequest& req) {
  return expected.empty() || crypto::constant_time_equal(proto::bearer_token(req.authorization), expected);
}
}  // namespace

HttpResponse MasterCore::register_relay(Instant now, const HttpRequest& req) {
  if (!relay_authorized(cfg_.relay_token, req)) return error_response(401, "unauthorized", "relay token required");
  auto r = proto::parse_relay_register(req.body);
  if (!r) return error_response(400, "invalid_request", r.error().message);
  for (const auto& e : r->endpoints) {
    auto ep = Endpoint::parse(e);
    if (ep->ip.is_unspecified() || ep->port == 0)
      return error_response(400, "invalid_request", "endpoint " + e + " is a wildcard; advertise a reachable address");
  }
  if (!relays_.contains(r->relay_id) && relays_.size() >= cfg_.max_relays)
    return error_response(503, "registry_full", "relay registry is full");
  RelayRecord& rec = relays_[r->relay_id];
  bool fresh = rec.relay_id.empty();
  rec.relay_id = r->relay_id;
  rec.endpoints = r->endpoints;
  rec.region = r->region;
  rec.asn = r->asn;
  rec.max_sessions = r->max_sessions;
  rec.max_bitrate_kbps = r->max_bitrate_kbps;
  if (fresh) rec.registered_at = now;
  rec.last_seen = now;
  events_.push_back(RelayRegistered{rec.relay_id, rec.endpoints.front()});
  proto::RelayRegisterResponse resp{cfg_.heartbeat_interval_ms, to_hex(cfg_.signing_key.public_key()), key_id_};
  return json_response(200, proto::to_json(resp));
}

HttpResponse MasterCore::heartbeat(Instant now, const HttpRequest& req) {
  if (!relay_authorized(cfg_.relay_token, req)) return error_response(401, "unauthorized", "relay token required");
  auto h = proto::parse_relay_heartbeat(req.body);
  if (!h) return error_response(400, "invalid_request", h.error().message);
  auto it = relays_.find(h->relay_id);
  if (it == relays_.end()) return error_response(404, "unknown_relay", "register first");
  it->second.load_pct = h->load_pct;
  it->second.last_seen = now;
  return json_response(200, R"({"ok":true})");
}

HttpResponse MasterCore::list_relays(Instant now) const {
  json arr = json::array();
  for (const auto& [id, r] : relays_) {
    arr.push_back({{"relay_id", id},
                   {"endpoints", r.endpoints},
                   {"region", r.region},
                   {"load_pct", r.load_pct},
                   {"last_seen_ms_ago", duration_cast<std::chrono::milliseconds>(now - r.last_seen).count()},
                   {"assignable", assignable(r, now)},
                   {"leases_issued", r.leases_issued}});
  }
  return json_response(200, proto::dump_json(arr));
}

const RelayRecord* MasterCore::select_relay(Instant now) const {
  // Skeleton policy: the least-loaded fresh relay; ties go to the smaller id.
  const RelayRecord* best = nullptr;
  for (const auto& [id, r] : relays_) {
    if (!assignable(r, now)) continue;
    if (!best || r.load_pct < best->load_pct) best = &r;
  }
  return best;
}

HttpResponse MasterCore::issue_leases(Instant now, const HttpRequest& req) {
  if (cfg_.broker_token.empty())
    return error_response(503, "leases_disabled", "no broker token configured (WAVRY_MASTER_BROKER_TOKEN)");
  if (!crypto::constant_time_equal(proto::bearer_token(req.authorization), cfg_.broker_token))
    return error_response(401, "unauthorized", "broker token required");
  auto lr = proto::parse_lease_request(req.body);
  if (!lr) return error_response(400, "invalid_request", lr.error().message);
  const RelayRecord* relay = select_relay(now);
  if (!relay) return error_response(503, "no_relay", "no relay is available");
  UnixTime wall = wall_.at(now);
  proto::LeaseClaims c;
  c.sid = *Uuid::parse(lr->session_id);
  c.rid = relay->relay_id;
  c.iat = wall - cfg_.lease_backdate;
  c.nbf = c.iat;
  c.exp = wall + cfg_.lease_ttl;
  c.sub = lr->host_name;
  c.role = proto::PeerRole::host;
  std::string host_lease = signer_.sign(c);
  c.sub = lr->client_name;
  c.role = proto::PeerRole::client;
  std::string client_lease = signer_.sign(c);
  relays_[relay->relay_id].leases_issued++;
  events_.push_back(LeasesIssued{lr->session_id, relay->relay_id, lr->host_name, lr->client_name});
  proto::LeaseGrant g{lr->session_id, relay->relay_id, relay->endpoints.front(), host_lease, client_lease,
                      format_rfc3339(c.exp)};
  return json_response(200, proto::to_json(g));
}

void MasterCore::handle_timeout(Instant now) {
  for (auto it = relays_.begin(); it != relays_.end();) {
    if (now - it->second.last_seen > cfg_.relay_forget_after) {
      events_.push_back(RelayForgotten{it->first});
      it = relays_.erase(it);
    } else {
      ++it;
    }
  }
  next_sweep_ = now + 5s;
}

std::optional<MasterEvent> MasterCore::poll_event() { return pop_front(events_); }

}  // namespace wavry::master
