#include "wavry/relay/lease_verifier.h"

#include "wavry/crypto/paseto.h"
#include "wavry/proto/json_util.h"

namespace wavry::relay {

using proto::RejectReason;

std::variant<LeaseCheck, LeaseFailure> LeaseVerifier::verify(std::string_view token, UnixTime wall,
                                                             const Uuid& session, proto::PeerRole role,
                                                             const std::string& relay_id) const {
  auto fail = [](RejectReason r, std::string d) { return LeaseFailure{r, std::move(d)}; };
  if (token.empty() || token.size() > crypto::kMaxPasetoToken)
    return fail(RejectReason::invalid_signature, "token empty or too long");
  auto footer = crypto::paseto_v4_footer(token);
  if (!footer) return fail(RejectReason::invalid_signature, "not a v4.public token");
  auto fj = proto::parse_json_object(*footer, 1024);
  auto kid = fj ? proto::get_string(*fj, "kid", 128) : std::nullopt;
  if (!kid) return fail(RejectReason::invalid_signature, "token footer names no key id");
  auto key = keys_.find(*kid);
  if (key == keys_.end()) return fail(RejectReason::invalid_signature, "unknown key id " + *kid);
  auto verified = crypto::paseto_v4_verify(key->second, token);
  if (!verified) return fail(RejectReason::invalid_signature, verified.error().message);
  auto claims = proto::lease_claims_from_json(verified->message);
  if (!claims) return fail(RejectReason::invalid_lease, claims.error().message);
  if (claims->kid != *kid) return fail(RejectReason::invalid_signature, "claims kid differs from footer kid");
  if (claims->nbf > wall + skew_) return fail(RejectReason::invalid_lease, "lease not valid yet");
  if (claims->exp + skew_ <= wall) return fail(RejectReason::expired, "lease expired");
  if (claims->sid != session) return fail(RejectReason::invalid_lease, "lease is for another session");
  if (claims->role != role) return fail(RejectReason::invalid_lease, "lease is for the other role");
  if (claims->rid != relay_id) return fail(RejectReason::wrong_relay, "lease is for relay " + claims->rid);
  return LeaseCheck{std::move(*claims)};
}

}  // namespace wavry::relay
