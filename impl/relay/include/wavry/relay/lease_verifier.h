// Lease admission checks, in the documented order (docs/protocol.md §3):
//   1 token form and size   2 key id (footer) is a trusted key   3 signature
//   4 claims parse          5 not before / expiry, with clock-skew tolerance
//   6 session id matches    7 role matches the presenting peer   8 relay id is ours
#pragma once

#include <map>
#include <string>

#include "wavry/core/error.h"
#include "wavry/crypto/identity.h"
#include "wavry/proto/lease_claims.h"

namespace wavry::relay {

struct LeaseCheck {
  proto::LeaseClaims claims;
};

struct LeaseFailure {
  proto::RejectReason reason;
  std::string detail;
};

class LeaseVerifier {
 public:
  void trust(const std::string& kid, const crypto::PublicKey& pk) { keys_[kid] = pk; }
  bool has_keys() const { return !keys_.empty(); }
  void set_skew(Duration skew) { skew_ = skew; }

  std::variant<LeaseCheck, LeaseFailure> verify(std::string_view token, UnixTime wall, const Uuid& session,
                                                proto::PeerRole role, const std::string& relay_id) const;

 private:
  std::map<std::string, crypto::PublicKey> keys_;
  Duration skew_ = 30s;
};

}  // namespace wavry::relay
