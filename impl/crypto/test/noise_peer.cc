// One side of Noise_XX_25519_ChaChaPoly_BLAKE2s over stdin/stdout, for the
// interoperability test against Python's dissononce (interop_noise.py).
// Lines: "static <hex>" first, then "msg <hex>" for each handshake and
// transport message either way, then "hash <hex>" and "remote <hex>".
// Handshake payloads are "wavry hs <i>" from us and must be
// "dissononce hs <i>" from the peer; after the handshake each side sends
// three transport messages ("wavry <i>" / "dissononce <i>") on Split() keys.
#include <sodium.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "wavry/core/bytes.h"
#include "wavry/crypto/noise.h"

using namespace wavry;
using namespace wavry::crypto;

namespace {

struct SodiumRandom final : Random {
  void fill(std::span<std::uint8_t> out) override { randombytes_buf(out.data(), out.size()); }
};

[[noreturn]] void die(const std::string& why) {
  std::cerr << "noise_peer: " << why << "\n";
  std::exit(1);
}

void say(const std::string& tag, std::span<const std::uint8_t> b) {
  std::cout << tag << " " << to_hex(b) << std::endl;
}

Bytes hear() {
  std::string line;
  if (!std::getline(std::cin, line) || line.rfind("msg ", 0) != 0) die("expected a 'msg <hex>' line");
  Bytes b;
  if (!from_hex(line.substr(4), b)) die("bad hex");
  return b;
}

void expect(std::span<const std::uint8_t> got, const std::string& want) {
  if (as_chars(got) != want) die("payload was '" + std::string(as_chars(got)) + "', expected '" + want + "'");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || (std::string(argv[1]) != "initiator" && std::string(argv[1]) != "responder"))
    die("usage: noise_peer initiator|responder");
  bool initiator = std::string(argv[1]) == "initiator";
  if (sodium_init() < 0) die("libsodium failed to initialise");
  SodiumRandom rng;
  auto keys = X25519KeyPair::generate(rng);
  say("static", keys.public_key);
  NoiseXX hs({initiator, keys, std::nullopt, {}}, rng);
  for (int i = 0; i < 3; ++i) {
    if (hs.my_turn()) {
      auto m = hs.write_message(as_bytes("wavry hs " + std::to_string(i)));
      if (!m) die(m.error().message);
      say("msg", *m);
    } else {
      auto p = hs.read_message(hear());
      if (!p) die("handshake message " + std::to_string(i) + ": " + p.error().message);
      expect(*p, "dissononce hs " + std::to_string(i));
    }
  }
  if (!hs.is_complete()) die("handshake incomplete");
  say("hash", hs.handshake_hash());
  say("remote", hs.remote_static());
  auto [i2r, r2i] = hs.split();
  CipherState& send = initiator ? i2r : r2i;
  CipherState& recv = initiator ? r2i : i2r;
  for (int i = 0; i < 3; ++i) say("msg", send.encrypt_with_ad({}, as_bytes("wavry " + std::to_string(i))));
  for (int i = 0; i < 3; ++i) {
    auto p = recv.decrypt_with_ad({}, hear());
    if (!p) die("transport message " + std::to_string(i) + " did not authenticate");
    expect(*p, "dissononce " + std::to_string(i));
  }
  std::cout << "ok" << std::endl;
  return 0;
}
