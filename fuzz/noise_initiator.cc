// Noise XX from the initiator's side: after writing message 1, the input is
// read as message 2. Then an initiating RiftSession receives the input as a
// datagram. Without the responder's ephemeral key no input can authenticate,
// so the handshake must never complete.
#include <cstdlib>

#include "wavry/crypto/noise.h"
#include "session_feed.h"

using namespace wavry;
using namespace wavry::crypto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  SeededRandom rng(10);
  auto keys = X25519KeyPair::generate(rng);
  NoiseXX initiator({true, keys, std::nullopt, {}}, rng);
  if (!initiator.write_message({})) std::abort();
  NoiseXX trial = initiator;
  if (trial.read_message(in)) std::abort();  // msg2 carries an AEAD tag under a key derived from our ephemeral
  if (initiator.my_turn()) std::abort();     // a failed read leaves the state waiting for msg2

  if (fuzz::feed_fresh_session(true, keys, rng, in)) std::abort();
  return 0;
}
