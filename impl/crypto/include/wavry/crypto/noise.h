// Noise_XX_25519_ChaChaPoly_BLAKE2s (Noise spec rev. 34). The handshake is a
// plain state machine over byte strings: write_message / read_message in
// pattern order, then split() for the two transport keys. The state is a
// copyable value: callers trial-read a message on a copy so that a forged
// message cannot poison a handshake in progress.
//   -> e
//   <- e, ee, s, es
//   -> s, se
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "wavry/core/error.h"
#include "wavry/core/random.h"
#include "wavry/core/transmit.h"

namespace wavry::crypto {

using Key32 = std::array<std::uint8_t, 32>;

struct X25519KeyPair {
  Key32 secret{};
  Key32 public_key{};
  static X25519KeyPair generate(Random& rng);
  static X25519KeyPair from_secret(const Key32& secret);
};

// A Noise CipherState: 32-byte key and a 64-bit nonce counter.
class CipherState {
 public:
  CipherState() = default;
  explicit CipherState(const Key32& k) : key_(k), has_key_(true) {}
  bool has_key() const { return has_key_; }
  const Key32& key() const { return key_; }
  Bytes encrypt_with_ad(std::span<const std::uint8_t> ad, std::span<const std::uint8_t> pt);
  std::optional<Bytes> decrypt_with_ad(std::span<const std::uint8_t> ad, std::span<const std::uint8_t> ct);

 private:
  Key32 key_{};
  bool has_key_ = false;
  std::uint64_t n_ = 0;
};

struct NoiseConfig {
  bool initiator = false;
  X25519KeyPair static_keys;
  std::optional<X25519KeyPair> fixed_ephemeral;  // test vectors only
  Bytes prologue;
};

class NoiseXX {
 public:
  NoiseXX(NoiseConfig cfg, Random& rng);

  // Next message in pattern order; an error if it is not our turn.
  Result<Bytes> write_message(std::span<const std::uint8_t> payload);
  // Consumes the peer's next message and returns its payload.
  Result<Bytes> read_message(std::span<const std::uint8_t> message);

  bool is_complete() const { return step_ == 3; }
  bool my_turn() const { return (step_ % 2 == 0) == initiator_ && !is_complete(); }
  bool is_initiator() const { return initiator_; }
  const Key32& handshake_hash() const { return h_; }
  const Key32& remote_static() const { return rs_; }
  // Transport keys after the handshake: {initiator->responder, responder->initiator}.
  std::pair<CipherState, CipherState> split() const;

 private:
  void mix_hash(std::span<const std::uint8_t> data);
  void mix_key(std::span<const std::uint8_t> ikm);
  Bytes encrypt_and_hash(std::span<const std::uint8_t> pt);
  std::optional<Bytes> decrypt_and_hash(std::span<const std::uint8_t> ct);
  bool dh(const Key32& secret, const Key32& pub, Key32& out) const;

  bool initiator_;
  X25519KeyPair s_;
  X25519KeyPair e_;
  std::optional<X25519KeyPair> fixed_e_;
  Random* rng_;  // a pointer so a handshake state can be copied and trial-read
  Key32 re_{}, rs_{};
  Key32 ck_{}, h_{};
  CipherState cs_;
  int step_ = 0;
  bool failed_ = false;
};

// BLAKE2s-256 and HMAC-BLAKE2s, exposed for tests.
Key32 blake2s(std::span<const std::uint8_t> data);
Key32 hmac_blake2s(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data);

}  // namespace wavry::crypto
