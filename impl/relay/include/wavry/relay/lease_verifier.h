// Lease admission at the relay (docs/protocol.md §4): the lease library's
// checks (size, key id, signature, claims, times with clock skew), then the
// relay's own bindings in this order:
//   8 session id matches   9 role matches the presenting peer   10 relay id is ours
#pragma once

#include <string>
#include <variant>

#include "wavry/lease/lease.h"

namespace wavry::relay {

struct LeaseCheck {
  proto::LeaseClaims claims;
};

using LeaseFailure = lease::LeaseFailure;

class LeaseVerifier {
 public:
  void trust(const std::string& kid, const crypto::PublicKey& pk) { keys_.add(kid, pk); }
  bool has_keys() const { return !keys_.empty(); }
  void set_skew(Duration skew) { skew_ = skew; }

  std::variant<LeaseCheck, LeaseFailure> verify(std::string_view token, UnixTime wall, const Uuid& session,
                                                proto::PeerRole role, const std::string& relay_id) const;

 private:
  lease::LeaseKeySet keys_;
  Duration skew_ = 30s;
};

}  // namespace wavry::relay
