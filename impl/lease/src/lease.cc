#include "wavry/lease/lease.h"

#include <nlohmann/json.hpp>

#include "wavry/crypto/paseto.h"
#include "wavry/proto/json_util.h"

namespace wavry::lease {

using proto::RejectReason;

std::string LeaseSigner::sign(proto::LeaseClaims claims) const {
  claims.kid = kid_;
  return crypto::paseto_v4_sign(key_, proto::lease_claims_to_json(claims), proto::dump_json(nlohmann::json{{"kid", kid_}}));
}

bool LeaseKeySet::add(const std::string& kid, const crypto::PublicKey& pk, std::optional<UnixTime> retire_at) {
  if (kid.empty() || kid.size() > 128) return false;
  if (keys_.size() >= kMaxKeys && !keys_.contains(kid)) return false;
  keys_[kid] = Entry{pk, retire_at};
  return true;
}

std::optional<crypto::PublicKey> LeaseKeySet::find(const std::string& kid, UnixTime wall, Duration skew) const {
  auto it = keys_.find(kid);
  if (it == keys_.end()) return std::nullopt;
  if (it->second.retire_at && *it->second.retire_at + skew <= wall) return std::nullopt;
  return it->second.pk;
}

std::variant<proto::LeaseClaims, LeaseFailure> verify_lease(const LeaseKeySet& keys, std::string_view token,
                                                            UnixTime wall, Duration skew) {
  auto fail = [](RejectReason r, std::string d) { return LeaseFailure{r, std::move(d)}; };
  if (token.empty() || token.size() > crypto::kMaxPasetoToken)
    return fail(RejectReason::invalid_signature, "token empty or too long");
  auto footer = crypto::paseto_v4_footer(token);
  if (!footer) return fail(RejectReason::invalid_signature, "not a v4.public token");
  auto fj = proto::parse_json_object(*footer, 1024);
  auto kid = fj ? proto::get_string(*fj, "kid", 128) : std::nullopt;
  if (!kid) return fail(RejectReason::invalid_signature, "token footer names no key id");
  auto key = keys.find(*kid, wall, skew);
  if (!key) return fail(RejectReason::invalid_signature, "unknown or retired key id " + *kid);
  auto verified = crypto::paseto_v4_verify(*key, token);
  if (!verified) return fail(RejectReason::invalid_signature, verified.error().message);
  auto claims = proto::lease_claims_from_json(verified->message);
  if (!claims) return fail(RejectReason::invalid_lease, claims.error().message);
  if (claims->kid != *kid) return fail(RejectReason::invalid_signature, "claims kid differs from footer kid");
  if (claims->nbf > wall + skew) return fail(RejectReason::invalid_lease, "lease not valid yet");
  if (claims->exp + skew <= wall) return fail(RejectReason::expired, "lease expired");
  return std::move(*claims);
}

}  // namespace wavry::lease
