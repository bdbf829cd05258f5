// Noise XX from the responder's side: the input is read as message 1 by a
// fresh responder, and as message 3 by a responder that has answered a real
// message 1. Then the same input goes to a responding RiftSession as a whole
// datagram. Nothing may crash; a forged message 3 must never complete the
// handshake.
#include <cstdlib>

#include "wavry/crypto/noise.h"
#include "session_feed.h"

using namespace wavry;
using namespace wavry::crypto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  SeededRandom rng(9);
  auto init_keys = X25519KeyPair::generate(rng);
  auto resp_keys = X25519KeyPair::generate(rng);

  // msg1 has no MAC: any 32 bytes read, and a low-order key fails only at
  // the DH when msg2 is written (found by this target: the session used to
  // dereference that failure).
  NoiseXX fresh({false, resp_keys, std::nullopt, {}}, rng);
  if (fresh.read_message(in)) {
    if (!fresh.my_turn()) std::abort();
    fresh.write_message({});
  }

  NoiseXX initiator({true, init_keys, std::nullopt, {}}, rng);
  NoiseXX responder({false, resp_keys, std::nullopt, {}}, rng);
  auto m1 = initiator.write_message({});
  if (!m1 || !responder.read_message(*m1) || !responder.write_message({})) std::abort();
  // Without the initiator's keys, no input can be a valid message 3.
  if (responder.read_message(in)) std::abort();

  if (fuzz::feed_fresh_session(false, resp_keys, rng, in)) std::abort();
  return 0;
}
