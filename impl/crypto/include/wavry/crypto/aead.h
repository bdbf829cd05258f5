// RIFT transport encryption: ChaCha20-Poly1305 (IETF) with the nonce taken
// from the packet id (4 zero bytes, then the id little-endian, as Noise
// does) and the RIFT header bound as associated data.
#pragma once

#include <optional>
#include <span>

#include "wavry/core/transmit.h"
#include "wavry/crypto/noise.h"

namespace wavry::crypto {

inline constexpr std::size_t kAeadTag = 16;

// Appends ciphertext||tag to `out`.
void aead_seal(const Key32& key, std::uint64_t packet_id, std::span<const std::uint8_t> aad,
               std::span<const std::uint8_t> plaintext, Bytes& out);
std::optional<Bytes> aead_open(const Key32& key, std::uint64_t packet_id, std::span<const std::uint8_t> aad,
                               std::span<const std::uint8_t> ciphertext);

}  // namespace wavry::crypto
