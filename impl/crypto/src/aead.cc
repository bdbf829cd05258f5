#include "wavry/crypto/aead.h"

#include <sodium.h>

namespace wavry::crypto {
namespace {
void make_nonce(std::uint64_t id, std::uint8_t n[12]) {
  for (int i = 0; i < 4; ++i) n[i] = 0;
  for (int i = 0; i < 8; ++i) n[4 + i] = static_cast<std::uint8_t>(id >> (8 * i));
}
}  // namespace

void aead_seal(const Key32& key, std::uint64_t id, std::span<const std::uint8_t> aad,
               std::span<const std::uint8_t> pt, Bytes& out) {
  std::size_t start = out.size();
  out.resize(start + pt.size() + kAeadTag);
  std::uint8_t nonce[12];
  make_nonce(id, nonce);
  unsigned long long clen = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data() + start, &clen, pt.data(), pt.size(), aad.data(), aad.size(),
                                            nullptr, nonce, key.data());
}

std::optional<Bytes> aead_open(const Key32& key, std::uint64_t id, std::span<const std::uint8_t> aad,
                               std::span<const std::uint8_t> ct) {
  if (ct.size() < kAeadTag) return std::nullopt;
  Bytes out(ct.size() - kAeadTag);
  std::uint8_t nonce[12];
  make_nonce(id, nonce);
  unsigned long long plen = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &plen, nullptr, ct.data(), ct.size(), aad.data(),
                                                aad.size(), nonce, key.data()) != 0)
    return std::nullopt;
  return out;
}

}  // namespace wavry::crypto
