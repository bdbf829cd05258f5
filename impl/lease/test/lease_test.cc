#include <gtest/gtest.h>

#include "wavry/crypto/paseto.h"
#include "wavry/lease/lease.h"

using namespace wavry;
using namespace wavry::lease;
using proto::RejectReason;

namespace {

struct Fixture {
  SeededRandom rng{3};
  LeaseSigner old_key{crypto::Ed25519KeyPair::generate(rng)};
  LeaseSigner new_key{crypto::Ed25519KeyPair::generate(rng)};
  UnixTime t0 = UnixTime::from_seconds(1'800'000'000);

  proto::LeaseClaims claims(UnixTime issued, Duration ttl = 300s) {
    proto::LeaseClaims c;
    c.sub = "laptop";
    c.sid = Uuid::random_v4(rng);
    c.role = proto::PeerRole::host;
    c.rid = "relay-1";
    c.iat = issued;
    c.nbf = issued;
    c.exp = issued + ttl;
    return c;
  }
};

RejectReason reason(const std::variant<proto::LeaseClaims, LeaseFailure>& r) {
  return std::get<LeaseFailure>(r).reason;
}

}  // namespace

TEST(Lease, SignedClaimsVerifyAndRoundTrip) {
  Fixture f;
  LeaseKeySet keys;
  keys.add(f.new_key.public_key());
  auto c = f.claims(f.t0);
  auto r = verify_lease(keys, f.new_key.sign(c), f.t0 + 1s, 30s);
  ASSERT_TRUE(std::holds_alternative<proto::LeaseClaims>(r)) << std::get<LeaseFailure>(r).detail;
  const auto& got = std::get<proto::LeaseClaims>(r);
  EXPECT_EQ(got.sid, c.sid);
  EXPECT_EQ(got.kid, f.new_key.kid());
  EXPECT_EQ(got.sub, "laptop");
  EXPECT_EQ(got.exp, c.exp);
}

TEST(Lease, ClockSkewIsToleratedUpToTheConfiguredBound) {
  Fixture f;
  LeaseKeySet keys;
  keys.add(f.new_key.public_key());
  std::string t = f.new_key.sign(f.claims(f.t0));
  // Verifier clock 20 s behind the issuer: not yet valid without skew, fine with 30 s.
  EXPECT_TRUE(std::holds_alternative<proto::LeaseClaims>(verify_lease(keys, t, f.t0 - 20s, 30s)));
  EXPECT_EQ(reason(verify_lease(keys, t, f.t0 - 20s, 10s)), RejectReason::invalid_lease);
  // Expiry: 300 s lease, checked 320 s later.
  EXPECT_TRUE(std::holds_alternative<proto::LeaseClaims>(verify_lease(keys, t, f.t0 + 320s, 30s)));
  EXPECT_EQ(reason(verify_lease(keys, t, f.t0 + 320s, 10s)), RejectReason::expired);
}

TEST(Lease, RotationKeepsOldLeasesUntilTheOldKeyRetires) {
  Fixture f;
  LeaseKeySet keys;
  // The old key stopped signing at t0; leases last 300 s, so it retires at t0 + 300 s.
  keys.add(f.old_key.kid(), f.old_key.public_key(), f.t0 + 300s);
  keys.add(f.new_key.kid(), f.new_key.public_key());
  std::string old_lease = f.old_key.sign(f.claims(f.t0 - 10s));
  std::string new_lease = f.new_key.sign(f.claims(f.t0 + 10s));
  EXPECT_TRUE(std::holds_alternative<proto::LeaseClaims>(verify_lease(keys, old_lease, f.t0 + 100s, 0s)));
  EXPECT_TRUE(std::holds_alternative<proto::LeaseClaims>(verify_lease(keys, new_lease, f.t0 + 100s, 0s)));
  // A lease the old key signs after retirement (a stolen key, say) is refused.
  std::string late = f.old_key.sign(f.claims(f.t0 + 301s));
  EXPECT_EQ(reason(verify_lease(keys, late, f.t0 + 302s, 0s)), RejectReason::invalid_signature);
}

TEST(Lease, ForgedAndMalformedTokensAreRefused) {
  Fixture f;
  LeaseKeySet keys;
  keys.add(f.new_key.public_key());
  auto c = f.claims(f.t0);
  // Signed by another key under our key id.
  c.kid = f.new_key.kid();
  std::string forged = crypto::paseto_v4_sign(crypto::Ed25519KeyPair::generate(f.rng), proto::lease_claims_to_json(c),
                                              "{\"kid\":\"" + f.new_key.kid() + "\"}");
  EXPECT_EQ(reason(verify_lease(keys, forged, f.t0, 0s)), RejectReason::invalid_signature);
  // Unknown key id, no footer, garbage, empty, oversized.
  EXPECT_EQ(reason(verify_lease(keys, f.old_key.sign(c), f.t0, 0s)), RejectReason::invalid_signature);
  std::string no_footer = crypto::paseto_v4_sign(crypto::Ed25519KeyPair::generate(f.rng), "{}");
  EXPECT_EQ(reason(verify_lease(keys, no_footer, f.t0, 0s)), RejectReason::invalid_signature);
  EXPECT_EQ(reason(verify_lease(keys, "v4.public.!!!", f.t0, 0s)), RejectReason::invalid_signature);
  EXPECT_EQ(reason(verify_lease(keys, "", f.t0, 0s)), RejectReason::invalid_signature);
  EXPECT_EQ(reason(verify_lease(keys, std::string(9000, 'a'), f.t0, 0s)), RejectReason::invalid_signature);
  // Well signed, but the claims are not lease claims.
  std::string not_claims = crypto::paseto_v4_sign(crypto::Ed25519KeyPair::from_seed(std::span<const std::uint8_t, 32>(
                                                      std::array<std::uint8_t, 32>{}.data(), 32)),
                                                  "{\"sub\":\"x\"}", "{\"kid\":\"kz\"}");
  LeaseKeySet zero;
  std::array<std::uint8_t, 32> seed{};
  zero.add("kz", crypto::Ed25519KeyPair::from_seed(std::span<const std::uint8_t, 32>(seed.data(), 32)).public_key());
  EXPECT_EQ(reason(verify_lease(zero, not_claims, f.t0, 0s)), RejectReason::invalid_lease);
}

TEST(Lease, KeySetIsBounded) {
  Fixture f;
  LeaseKeySet keys;
  for (std::size_t i = 0; i < LeaseKeySet::kMaxKeys; ++i) EXPECT_TRUE(keys.add("k" + std::to_string(i), {}));
  EXPECT_FALSE(keys.add("one-more", {}));
  EXPECT_TRUE(keys.add("k0", f.new_key.public_key())) << "replacing an existing id is allowed";
  EXPECT_EQ(keys.size(), LeaseKeySet::kMaxKeys);
}
