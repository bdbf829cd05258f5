// Ed25519 identities: key generation from injected randomness, signing,
// Wavry IDs (base64url without padding of the 32-byte public key) and the
// key files `wavry keygen` writes (<prefix>.key: 32-byte seed, mode 0600,
// created with that mode; <prefix>.pub: 32-byte public key).
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>

#include "wavry/core/error.h"
#include "wavry/core/random.h"
#include "wavry/core/transmit.h"

namespace wavry::crypto {

using PublicKey = std::array<std::uint8_t, 32>;
using Signature = std::array<std::uint8_t, 64>;

class Ed25519KeyPair {
 public:
  static Ed25519KeyPair generate(Random& rng);
  static Ed25519KeyPair from_seed(std::span<const std::uint8_t, 32> seed);
  const PublicKey& public_key() const { return pk_; }
  std::span<const std::uint8_t, 32> seed() const { return std::span<const std::uint8_t, 32>(sk_.data(), 32); }
  Signature sign(std::span<const std::uint8_t> message) const;

 private:
  std::array<std::uint8_t, 64> sk_{};  // libsodium form: seed || public key
  PublicKey pk_{};
};

// Compares secrets without an early exit; lengths are not secret.
bool constant_time_equal(std::string_view a, std::string_view b);

bool ed25519_verify(const PublicKey& pk, std::span<const std::uint8_t> message, const Signature& sig);

std::string base64url_encode(std::span<const std::uint8_t> data);
std::optional<Bytes> base64url_decode(std::string_view text);  // strict: no padding, URL alphabet

std::string wavry_id(const PublicKey& pk);
std::optional<PublicKey> parse_wavry_id(std::string_view id);  // exactly 43 chars, a valid point
// "k" + hex of the first 8 bytes of the public key.
std::string key_id(const PublicKey& pk);

Status write_key_files(const std::string& prefix, const Ed25519KeyPair& kp);
Result<PublicKey> read_public_key_file(const std::string& path);
// Accepts a raw 32-byte seed, or hex of the seed (64 chars) or of seed||pk (128 chars).
Result<Ed25519KeyPair> read_private_key_file(const std::string& path);
Result<Ed25519KeyPair> parse_private_key_text(std::string_view text);

}  // namespace wavry::crypto
