#include "wavry/proto/signaling.h"

#include "wavry/proto/json_util.h"

namespace wavry::proto {

std::optional<Json> parse_json_object(std::string_view text, std::size_t max_bytes) {
  if (text.size() > max_bytes) return std::nullopt;
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::optional<std::string> get_string(const Json& j, const char* key, std::size_t max_len) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max_len) return std::nullopt;
  return s;
}

std::optional<std::uint64_t> get_uint(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<std::uint64_t>();
}

std::optional<double> get_number(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

bool valid_peer_name(std::string_view n) {
  if (n.empty() || n.size() > 64) return false;
  for (char c : n)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
          c == '-'))
      return false;
  return true;
}

const char* to_string(SignalParseError e) {
  switch (e) {
    case SignalParseError::too_large: return "too_large";
    case SignalParseError::not_an_object: return "not_an_object";
    case SignalParseError::missing_type: return "missing_type";
    case SignalParseError::unknown_type: return "unknown_type";
    case SignalParseError::invalid_field: return "invalid_field";
  }
  return "?";
}

Result<SignalMessage> parse_signal(std::string_view text, SignalParseError* why) {
  auto fail = [&](SignalParseError e, std::string m) {
    if (why) *why = e;
    return make_error(Errc::invalid_argument, std::string(to_string(e)) + ": " + m);
  };
  auto bad = [&](std::string m) { return fail(SignalParseError::invalid_field, std::move(m)); };
  if (text.size() > kMaxSignalMessage) return fail(SignalParseError::too_large, "messages are at most 64 KiB");
  auto j = parse_json_object(text, kMaxSignalMessage);
  if (!j) return fail(SignalParseError::not_an_object, "message is not a JSON object");
  auto type = get_string(*j, "type", 64);
  if (!type) return fail(SignalParseError::missing_type, "missing \"type\"");
  if (*type == "BIND") {
    auto token = get_string(*j, "token", 256);
    auto name = get_string(*j, "name", 64);
    auto role = get_string(*j, "role", 16);
    if (!token || token->empty()) return bad("BIND needs a token");
    if (!name || !valid_peer_name(*name)) return bad("BIND needs a name of 1-64 [A-Za-z0-9_.-]");
    auto r = role ? peer_role_from_string(*role) : std::optional<PeerRole>(PeerRole::client);
    if (!r) return bad("BIND role must be \"host\" or \"client\"");
    return SignalMessage{SigBind{*token, *name, *r}};
  }
  if (*type == "BOUND") {
    auto name = get_string(*j, "name", 64);
    if (!name) return bad("BOUND needs a name");
    return SignalMessage{SigBound{*name}};
  }
  if (*type == "REQUEST_RELAY") {
    auto target = get_string(*j, "target", 64);
    if (!target || !valid_peer_name(*target)) return bad("REQUEST_RELAY needs a valid target name");
    return SignalMessage{SigRequestRelay{*target}};
  }
  if (*type == "RELAY_CREDENTIALS") {
    SigRelayCredentials c;
    auto sid = get_string(*j, "session_id", 64), rid = get_string(*j, "relay_id", 128),
         addr = get_string(*j, "relay_addr", 128), lease = get_string(*j, "lease", kMaxLeaseToken),
         role = get_string(*j, "role", 16), peer = get_string(*j, "peer", 64),
         exp = get_string(*j, "expires_at", 64);
    if (!sid || !rid || !addr || !lease || !role || !peer || !exp) return bad("RELAY_CREDENTIALS is missing a field");
    auto r = peer_role_from_string(*role);
    if (!r) return bad("RELAY_CREDENTIALS role must be \"host\" or \"client\"");
    return SignalMessage{SigRelayCredentials{*sid, *rid, *addr, *lease, *r, *peer, *exp}};
  }
  if (*type == "ERROR") {
    return SignalMessage{SigError{get_string(*j, "code", 64).value_or(""), get_string(*j, "message").value_or("")}};
  }
  return fail(SignalParseError::unknown_type, "unknown message type");
}

std::string serialize_signal(const SignalMessage& m) {
  Json j;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, SigBind>) {
          j = {{"type", "BIND"}, {"token", v.token}, {"name", v.name}, {"role", to_string(v.role)}};
        } else if constexpr (std::is_same_v<T, SigBound>) {
          j = {{"type", "BOUND"}, {"name", v.name}};
        } else if constexpr (std::is_same_v<T, SigRequestRelay>) {
          j = {{"type", "REQUEST_RELAY"}, {"target", v.target}};
        } else if constexpr (std::is_same_v<T, SigRelayCredentials>) {
          j = {{"type", "RELAY_CREDENTIALS"}, {"session_id", v.session_id}, {"relay_id", v.relay_id},
               {"relay_addr", v.relay_addr},   {"lease", v.lease},           {"role", to_string(v.role)},
               {"peer", v.peer},               {"expires_at", v.expires_at}};
        } else {
          j = {{"type", "ERROR"}, {"code", v.code}, {"message", v.message}};
        }
      },
      m);
  return dump_json(j);
}

}  // namespace wavry::proto
