// The claims a lease carries (docs/protocol.md §3). The PASETO envelope that
// signs them lives in wavry::crypto; this is only the JSON body.
#pragma once

#include <cstdint>
#include <string>

#include "wavry/core/error.h"
#include "wavry/core/time.h"
#include "wavry/core/uuid.h"
#include "wavry/proto/relay_packet.h"

namespace wavry::proto {

struct LeaseClaims {
  std::string sub;  // the holder's name
  Uuid sid;         // session
  PeerRole role = PeerRole::client;
  std::string rid;  // relay the lease is bound to
  std::string kid;  // signing key id
  UnixTime iat, nbf, exp;
  std::uint32_t soft_kbps = 50000;
  std::uint32_t hard_kbps = 100000;
};

std::string lease_claims_to_json(const LeaseClaims& c);
Result<LeaseClaims> lease_claims_from_json(std::string_view text);

}  // namespace wavry::proto
