// Our side of the PASETO interoperability test (interop_paseto.js, which uses
// the independent `paseto` npm package):
//   paseto_peer sign                      a fresh key signs a lease; prints
//                                        "public <hex>" then "token <lease>"
//   paseto_peer verify PK_HEX TOKEN [IMPLICIT]
//                                        PASETO v4.public verification; prints
//                                        "message <json>" and "footer <text>"
//   paseto_peer verify-lease PK_HEX TOKEN the lease path a relay runs (key set
//                                        by key id, signature, claims, times);
//                                        prints "lease <sub> <role> <sid>"
// Exit status 0 on success, 1 on any failure (with the reason on stderr).
#include <sodium.h>

#include <chrono>
#include <iostream>

#include "wavry/core/bytes.h"
#include "wavry/crypto/paseto.h"
#include "wavry/lease/lease.h"

using namespace wavry;

namespace {

struct SodiumRandom final : Random {
  void fill(std::span<std::uint8_t> out) override { randombytes_buf(out.data(), out.size()); }
};

int fail(const std::string& why) {
  std::cerr << "paseto_peer: " << why << "\n";
  return 1;
}

std::optional<crypto::PublicKey> parse_pk(const std::string& hex) {
  Bytes b;
  if (!from_hex(hex, b) || b.size() != 32) return std::nullopt;
  crypto::PublicKey pk;
  std::copy(b.begin(), b.end(), pk.begin());
  return pk;
}

UnixTime wall_now() {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch());
  return UnixTime::from_nanos(ns.count());
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return fail("libsodium failed to initialise");
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && args[0] == "sign") {
    SodiumRandom rng;
    lease::LeaseSigner signer(crypto::Ed25519KeyPair::generate(rng));
    proto::LeaseClaims c;
    c.sub = "laptop";
    c.sid = Uuid::random_v4(rng);
    c.role = proto::PeerRole::host;
    c.rid = "relay-1";
    c.iat = wall_now() - std::chrono::seconds(5);
    c.nbf = c.iat;
    c.exp = c.iat + std::chrono::seconds(300);
    std::cout << "public " << to_hex(signer.public_key()) << "\nkid " << signer.kid() << "\ntoken "
              << signer.sign(c) << "\n";
    return 0;
  }
  if ((args.size() == 3 || args.size() == 4) && args[0] == "verify") {
    auto pk = parse_pk(args[1]);
    if (!pk) return fail("public key must be 64 hex characters");
    auto r = crypto::paseto_v4_verify(*pk, args[2], args.size() == 4 ? args[3] : "");
    if (!r) return fail(r.error().message);
    std::cout << "message " << r->message << "\nfooter " << r->footer << "\n";
    return 0;
  }
  if (args.size() == 3 && args[0] == "verify-lease") {
    auto pk = parse_pk(args[1]);
    if (!pk) return fail("public key must be 64 hex characters");
    lease::LeaseKeySet keys;
    keys.add(*pk);
    auto r = lease::verify_lease(keys, args[2], wall_now(), std::chrono::seconds(30));
    if (auto* f = std::get_if<lease::LeaseFailure>(&r)) return fail(f->detail);
    const auto& c = std::get<proto::LeaseClaims>(r);
    std::cout << "lease " << c.sub << " " << proto::to_string(c.role) << " " << c.sid.to_string() << "\n";
    return 0;
  }
  return fail("usage: paseto_peer sign | verify PK_HEX TOKEN [IMPLICIT] | verify-lease PK_HEX TOKEN");
}
