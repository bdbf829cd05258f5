#include "wavry/relay/lease_verifier.h"

namespace wavry::relay {

using proto::RejectReason;

std::variant<LeaseCheck, LeaseFailure> LeaseVerifier::verify(std::string_view token, UnixTime wall,
                                                             const Uuid& session, proto::PeerRole role,
                                                             const std::string& relay_id) const {
  auto result = lease::verify_lease(keys_, token, wall, skew_);
  if (auto* f = std::get_if<LeaseFailure>(&result)) return std::move(*f);
  auto& claims = std::get<proto::LeaseClaims>(result);
  auto fail = [](RejectReason r, std::string d) { return LeaseFailure{r, std::move(d)}; };
  if (claims.sid != session) return fail(RejectReason::invalid_lease, "lease is for another session");
  if (claims.role != role) return fail(RejectReason::invalid_lease, "lease is for the other role");
  if (claims.rid != relay_id) return fail(RejectReason::wrong_relay, "lease is for relay " + claims.rid);
  return LeaseCheck{std::move(claims)};
}

}  // namespace wavry::relay
