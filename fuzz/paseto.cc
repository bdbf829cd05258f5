// PASETO v4.public parsing and verification, and lease verification on top
// of it. No input can carry a valid signature from a key it does not hold, so
// verification must always fail; footer extraction must never crash.
#include <cstdlib>

#include "wavry/crypto/paseto.h"
#include "wavry/lease/lease.h"

using namespace wavry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static SeededRandom rng(11);
  static const auto key = crypto::Ed25519KeyPair::generate(rng);
  static const lease::LeaseKeySet keys = [] {
    lease::LeaseKeySet k;
    k.add(key.public_key());
    return k;
  }();
  std::string_view token(reinterpret_cast<const char*>(data), size);
  crypto::paseto_v4_footer(token);
  if (crypto::paseto_v4_verify(key.public_key(), token)) std::abort();
  if (crypto::paseto_v4_verify(key.public_key(), token, "implicit")) std::abort();
  auto r = lease::verify_lease(keys, token, UnixTime::from_seconds(1'800'000'000), std::chrono::seconds(30));
  if (!std::holds_alternative<lease::LeaseFailure>(r)) std::abort();
  // The claims parser sees attacker JSON after a valid signature, so it is
  // fuzzed directly as well.
  proto::lease_claims_from_json(token);
  return 0;
}
