#include "wavry/proto/control_api.h"

#include "wavry/core/endpoint.h"
#include "wavry/core/uuid.h"
#include "wavry/proto/http_types.h"
#include "wavry/proto/json_util.h"
#include "wavry/proto/signaling.h"

namespace wavry::proto {

HttpResponse json_response(int status, std::string body) { return HttpResponse{status, "application/json", std::move(body)}; }

HttpResponse error_response(int status, std::string_view code, std::string_view message) {
  return json_response(status, dump_json(Json{{"error", code}, {"message", message}}));
}

std::string bearer_token(std::string_view a) {
  if (!a.starts_with("Bearer ")) return {};
  a.remove_prefix(7);
  while (!a.empty() && (a.front() == ' ' || a.front() == '\t')) a.remove_prefix(1);
  while (!a.empty() && (a.back() == ' ' || a.back() == '\t')) a.remove_suffix(1);
  return std::string(a);
}

namespace {
Error bad(std::string m) { return make_error(Errc::invalid_argument, std::move(m)); }
}  // namespace

std::string to_json(const RelayRegisterRequest& r) {
  return dump_json(Json{{"relay_id", r.relay_id},         {"endpoints", r.endpoints},
              {"region", r.region},             {"asn", r.asn},
              {"max_sessions", r.max_sessions}, {"max_bitrate_kbps", r.max_bitrate_kbps}});
}

std::string to_json(const RelayRegisterResponse& r) {
  return dump_json(Json{{"heartbeat_interval_ms", r.heartbeat_interval_ms},
              {"master_public_key", r.master_public_key},
              {"master_key_id", r.master_key_id}});
}

std::string to_json(const RelayHeartbeat& r) {
  return dump_json(Json{{"relay_id", r.relay_id}, {"load_pct", r.load_pct}, {"active_sessions", r.active_sessions}});
}

std::string to_json(const LeaseRequest& r) {
  return dump_json(Json{{"session_id", r.session_id}, {"host_name", r.host_name}, {"client_name", r.client_name}});
}

std::string to_json(const LeaseGrant& r) {
  return dump_json(Json{{"session_id", r.session_id}, {"relay_id", r.relay_id},         {"relay_addr", r.relay_addr},
              {"host_lease", r.host_lease}, {"client_lease", r.client_lease}, {"expires_at", r.expires_at}});
}

Result<RelayRegisterRequest> parse_relay_register(std::string_view body) {
  auto j = parse_json_object(body, kMaxHttpBody);
  if (!j) return bad("body is not a JSON object");
  RelayRegisterRequest r;
  auto id = get_string(*j, "relay_id", 128);
  if (!id || id->empty()) return bad("relay_id is required");
  r.relay_id = *id;
  auto eps = j->find("endpoints");
  if (eps == j->end() || !eps->is_array() || eps->empty() || eps->size() > 8) return bad("endpoints must list 1-8 addresses");
  for (const auto& e : *eps) {
    if (!e.is_string() || !Endpoint::parse(e.get<std::string>())) return bad("endpoints must be ip:port strings");
    r.endpoints.push_back(e.get<std::string>());
  }
  r.region = get_string(*j, "region", 64).value_or("");
  r.asn = static_cast<std::uint32_t>(get_uint(*j, "asn").value_or(0));
  r.max_sessions = static_cast<std::uint32_t>(std::min<std::uint64_t>(get_uint(*j, "max_sessions").value_or(100), 1u << 24));
  r.max_bitrate_kbps =
      static_cast<std::uint32_t>(std::min<std::uint64_t>(get_uint(*j, "max_bitrate_kbps").value_or(20000), 1u << 30));
  return r;
}

Result<RelayRegisterResponse> parse_relay_register_response(std::string_view body) {
  auto j = parse_json_object(body, kMaxHttpBody);
  if (!j) return bad("body is not a JSON object");
  RelayRegisterResponse r;
  auto pk = get_string(*j, "master_public_key", 128), kid = get_string(*j, "master_key_id", 128);
  if (!pk || !kid) return bad("register response lacks master_public_key or master_key_id");
  r.master_public_key = *pk;
  r.master_key_id = *kid;
  r.heartbeat_interval_ms =
      static_cast<std::uint32_t>(std::clamp<std::uint64_t>(get_uint(*j, "heartbeat_interval_ms").value_or(5000), 500, 60000));
  return r;
}

Result<RelayHeartbeat> parse_relay_heartbeat(std::string_view body) {
  auto j = parse_json_object(body, kMaxHttpBody);
  if (!j) return bad("body is not a JSON object");
  RelayHeartbeat h;
  auto id = get_string(*j, "relay_id", 128);
  auto load = get_number(*j, "load_pct");
  if (!id || id->empty()) return bad("relay_id is required");
  if (!load || *load < 0 || *load > 100) return bad("load_pct must be a number in 0..100");
  h.relay_id = *id;
  h.load_pct = *load;
  h.active_sessions = static_cast<std::uint32_t>(get_uint(*j, "active_sessions").value_or(0));
  return h;
}

Result<LeaseRequest> parse_lease_request(std::string_view body) {
  auto j = parse_json_object(body, kMaxHttpBody);
  if (!j) return bad("body is not a JSON object");
  LeaseRequest r;
  auto sid = get_string(*j, "session_id", 64), host = get_string(*j, "host_name", 64),
       client = get_string(*j, "client_name", 64);
  if (!sid || !Uuid::parse(*sid) || Uuid::parse(*sid)->is_nil()) return bad("session_id must be a UUID");
  if (!host || !valid_peer_name(*host) || !client || !valid_peer_name(*client))
    return bad("host_name and client_name must be valid names");
  r.session_id = *sid;
  r.host_name = *host;
  r.client_name = *client;
  return r;
}

Result<LeaseGrant> parse_lease_grant(std::string_view body) {
  auto j = parse_json_object(body, kMaxHttpBody);
  if (!j) return bad("body is not a JSON object");
  LeaseGrant g;
  auto sid = get_string(*j, "session_id", 64), rid = get_string(*j, "relay_id", 128),
       addr = get_string(*j, "relay_addr", 128), hl = get_string(*j, "host_lease", 8192),
       cl = get_string(*j, "client_lease", 8192), exp = get_string(*j, "expires_at", 64);
  if (!sid || !rid || !addr || !hl || !cl || !exp) return bad("lease grant is missing a field");
  g = LeaseGrant{*sid, *rid, *addr, *hl, *cl, *exp};
  return g;
}

}  // namespace wavry::proto
