// Relay leases (docs/protocol.md §4): LeaseClaims signed as PASETO v4.public
// with footer {"kid": ...}. The signer is the master's side; the key set and
// verify_lease() are every verifier's side (relays, tests, the CLI).
//
// Verification order (each step's failure names the step):
//   1 token size   2 footer names a key id   3 the key id is in the set and
//   not retired    4 Ed25519 signature       5 claims parse (JSON, bounded)
//   6 claims kid equals footer kid           7 not-before / expiry within the
//   configured clock skew.
// Session, role and relay binding are the caller's checks (it knows them).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>

#include "wavry/core/time.h"
#include "wavry/crypto/identity.h"
#include "wavry/proto/lease_claims.h"
#include "wavry/proto/relay_packet.h"

namespace wavry::lease {

class LeaseSigner {
 public:
  explicit LeaseSigner(crypto::Ed25519KeyPair key) : key_(std::move(key)), kid_(crypto::key_id(key_.public_key())) {}
  const std::string& kid() const { return kid_; }
  const crypto::PublicKey& public_key() const { return key_.public_key(); }
  // Sets claims.kid to this signer's key id, then signs.
  std::string sign(proto::LeaseClaims claims) const;

 private:
  crypto::Ed25519KeyPair key_;
  std::string kid_;
};

// Trusted lease keys by key id. Rotation with overlap: the master starts
// signing with a new key and the old one is kept with `retire_at` = the moment
// it stopped signing + the longest lease TTL, so leases it signed stay valid
// until they expire and nothing signed with it is accepted after that.
class LeaseKeySet {
 public:
  static constexpr std::size_t kMaxKeys = 16;  // bounded: key ids come from configuration, never from the wire
  bool add(const std::string& kid, const crypto::PublicKey& pk, std::optional<UnixTime> retire_at = std::nullopt);
  void add(const crypto::PublicKey& pk) { add(crypto::key_id(pk), pk); }
  void remove(const std::string& kid) { keys_.erase(kid); }
  bool empty() const { return keys_.empty(); }
  std::size_t size() const { return keys_.size(); }
  // The key for `kid` if it is trusted at `wall` (retire time not passed, with skew).
  std::optional<crypto::PublicKey> find(const std::string& kid, UnixTime wall, Duration skew) const;

 private:
  struct Entry {
    crypto::PublicKey pk;
    std::optional<UnixTime> retire_at;
  };
  std::map<std::string, Entry> keys_;
};

struct LeaseFailure {
  proto::RejectReason reason;
  std::string detail;
};

std::variant<proto::LeaseClaims, LeaseFailure> verify_lease(const LeaseKeySet& keys, std::string_view token,
                                                            UnixTime wall, Duration skew);

}  // namespace wavry::lease
