#include "wavry/proto/lease_claims.h"

#include "wavry/proto/json_util.h"

namespace wavry::proto {

std::string lease_claims_to_json(const LeaseClaims& c) {
  Json j = {{"sub", c.sub},
            {"sid", c.sid.to_string()},
            {"role", to_string(c.role)},
            {"rid", c.rid},
            {"kid", c.kid},
            {"iat", format_rfc3339(c.iat)},
            {"nbf", format_rfc3339(c.nbf)},
            {"exp", format_rfc3339(c.exp)},
            {"slimit", c.soft_kbps},
            {"hlimit", c.hard_kbps}};
  return dump_json(j);
}

Result<LeaseClaims> lease_claims_from_json(std::string_view text) {
  auto bad = [](const char* m) { return make_error(Errc::invalid_argument, m); };
  auto j = parse_json_object(text, 8192);
  if (!j) return bad("claims are not a JSON object");
  LeaseClaims c;
  auto sub = get_string(*j, "sub", 128), sid = get_string(*j, "sid", 64), role = get_string(*j, "role", 16),
       rid = get_string(*j, "rid", 128), kid = get_string(*j, "kid", 128), iat = get_string(*j, "iat", 64),
       nbf = get_string(*j, "nbf", 64), exp = get_string(*j, "exp", 64);
  if (!sub || sub->empty()) return bad("claim sub missing");
  if (!sid) return bad("claim sid missing");
  auto u = Uuid::parse(*sid);
  if (!u || u->is_nil()) return bad("claim sid is not a session id");
  c.sub = *sub;
  c.sid = *u;
  auto r = role ? peer_role_from_string(*role) : std::nullopt;
  if (!r) return bad("claim role must be host or client");
  c.role = *r;
  if (!rid || rid->empty()) return bad("claim rid missing");
  c.rid = *rid;
  c.kid = kid.value_or("");
  if (!iat || !nbf || !exp || !parse_rfc3339(*iat, c.iat) || !parse_rfc3339(*nbf, c.nbf) ||
      !parse_rfc3339(*exp, c.exp))
    return bad("claims iat/nbf/exp must be RFC 3339 times");
  if (c.exp <= c.iat) return bad("claim exp is not after iat");
  auto s = get_uint(*j, "slimit"), h = get_uint(*j, "hlimit");
  if (s) c.soft_kbps = static_cast<std::uint32_t>(std::min<std::uint64_t>(*s, 10'000'000));
  if (h) c.hard_kbps = static_cast<std::uint32_t>(std::min<std::uint64_t>(*h, 10'000'000));
  return c;
}

}  // namespace wavry::proto
