#include "wavry/crypto/noise.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <cstring>

namespace wavry::crypto {
namespace {

constexpr std::string_view kProtocolName = "Noise_XX_25519_ChaChaPoly_BLAKE2s";
constexpr std::size_t kTag = 16;

void nonce_bytes(std::uint64_t n, std::uint8_t out[12]) {
  std::memset(out, 0, 4);
  for (int i = 0; i < 8; ++i) out[4 + i] = static_cast<std::uint8_t>(n >> (8 * i));
}

// HKDF as the Noise spec defines it, two outputs.
std::pair<Key32, Key32> hkdf2(const Key32& ck, std::span<const std::uint8_t> ikm) {
  Key32 temp = hmac_blake2s(ck, ikm);
  std::uint8_t one = 0x01;
  Key32 o1 = hmac_blake2s(temp, std::span(&one, 1));
  std::uint8_t buf[33];
  std::memcpy(buf, o1.data(), 32);
  buf[32] = 0x02;
  Key32 o2 = hmac_blake2s(temp, buf);
  sodium_memzero(temp.data(), temp.size());
  return {o1, o2};
}

}  // namespace

Key32 blake2s(std::span<const std::uint8_t> data) {
  Key32 out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_blake2s256(), nullptr);
  return out;
}

Key32 hmac_blake2s(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  Key32 out{};
  unsigned int len = 0;
  HMAC(EVP_blake2s256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &len);
  return out;
}

X25519KeyPair X25519KeyPair::generate(Random& rng) {
  Key32 secret;
  rng.fill(secret);
  return from_secret(secret);
}

X25519KeyPair X25519KeyPair::from_secret(const Key32& secret) {
  X25519KeyPair kp;
  kp.secret = secret;
  crypto_scalarmult_base(kp.public_key.data(), kp.secret.data());
  return kp;
}

Bytes CipherState::encrypt_with_ad(std::span<const std::uint8_t> ad, std::span<const std::uint8_t> pt) {
  if (!has_key_) return Bytes(pt.begin(), pt.end());
  Bytes out(pt.size() + kTag);
  std::uint8_t nonce[12];
  nonce_bytes(n_++, nonce);
  unsigned long long clen = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &clen, pt.data(), pt.size(), ad.data(), ad.size(), nullptr,
                                            nonce, key_.data());
  return out;
}

std::optional<Bytes> CipherState::decrypt_with_ad(std::span<const std::uint8_t> ad, std::span<const std::uint8_t> ct) {
  if (!has_key_) return Bytes(ct.begin(), ct.end());
  if (ct.size() < kTag) return std::nullopt;
  Bytes out(ct.size() - kTag);
  std::uint8_t nonce[12];
  nonce_bytes(n_, nonce);
  unsigned long long plen = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &plen, nullptr, ct.data(), ct.size(), ad.data(),
                                                ad.size(), nonce, key_.data()) != 0)
    return std::nullopt;
  ++n_;  // only a successful decryption advances the nonce
  return out;
}

NoiseXX::NoiseXX(NoiseConfig cfg, Random& rng)
    : initiator_(cfg.initiator), s_(cfg.static_keys), fixed_e_(cfg.fixed_ephemeral), rng_(&rng) {
  // The protocol name is longer than 32 bytes, so h = HASH(name).
  h_ = blake2s(std::span(reinterpret_cast<const std::uint8_t*>(kProtocolName.data()), kProtocolName.size()));
  ck_ = h_;
  mix_hash(cfg.prologue);
}

void NoiseXX::mix_hash(std::span<const std::uint8_t> data) {
  Bytes buf(h_.begin(), h_.end());
  buf.insert(buf.end(), data.begin(), data.end());
  h_ = blake2s(buf);
}

void NoiseXX::mix_key(std::span<const std::uint8_t> ikm) {
  auto [ck, k] = hkdf2(ck_, ikm);
  ck_ = ck;
  cs_ = CipherState(k);
}

Bytes NoiseXX::encrypt_and_hash(std::span<const std::uint8_t> pt) {
  Bytes ct = cs_.encrypt_with_ad(h_, pt);
  mix_hash(ct);
  return ct;
}

std::optional<Bytes> NoiseXX::decrypt_and_hash(std::span<const std::uint8_t> ct) {
  auto pt = cs_.decrypt_with_ad(h_, ct);
  if (pt) mix_hash(ct);
  return pt;
}

bool NoiseXX::dh(const Key32& secret, const Key32& pub, Key32& out) const {
  // libsodium refuses low-order points (all-zero output); the handshake aborts.
  return crypto_scalarmult(out.data(), secret.data(), pub.data()) == 0;
}

Result<Bytes> NoiseXX::write_message(std::span<const std::uint8_t> payload) {
  if (failed_) return make_error(Errc::crypto, "handshake already failed");
  if (!my_turn()) return make_error(Errc::invalid_argument, "not our turn to write");
  Bytes out;
  Key32 shared;
  auto append = [&](std::span<const std::uint8_t> b) { out.insert(out.end(), b.begin(), b.end()); };
  if (step_ == 0 || step_ == 1) {  // e (both first messages start with e)
    e_ = fixed_e_ ? *fixed_e_ : X25519KeyPair::generate(*rng_);
    append(e_.public_key);
    mix_hash(e_.public_key);
  }
  if (step_ == 1) {  // responder: ee, s, es
    if (!dh(e_.secret, re_, shared)) return failed_ = true, make_error(Errc::crypto, "bad ephemeral key");
    mix_key(shared);
    append(encrypt_and_hash(s_.public_key));
    if (!dh(s_.secret, re_, shared)) return failed_ = true, make_error(Errc::crypto, "bad ephemeral key");
    mix_key(shared);
  } else if (step_ == 2) {  // initiator: s, se
    append(encrypt_and_hash(s_.public_key));
    if (!dh(s_.secret, re_, shared)) return failed_ = true, make_error(Errc::crypto, "bad ephemeral key");
    mix_key(shared);
  }
  append(encrypt_and_hash(payload));
  sodium_memzero(shared.data(), shared.size());
  ++step_;
  return out;
}

Result<Bytes> NoiseXX::read_message(std::span<const std::uint8_t> msg) {
  if (failed_) return make_error(Errc::crypto, "handshake already failed");
  if (my_turn() || is_complete()) return make_error(Errc::invalid_argument, "not expecting a message");
  std::size_t pos = 0;
  Key32 shared;
  auto fail = [&](const char* why) {
    failed_ = true;
    return make_error(Errc::crypto, why);
  };
  if (step_ == 0 || step_ == 1) {  // e
    if (msg.size() < 32) return fail("message too short");
    std::memcpy(re_.data(), msg.data(), 32);
    mix_hash(re_);
    pos = 32;
  }
  if (step_ == 1) {  // initiator reads: ee, s, es
    if (!dh(e_.secret, re_, shared)) return fail("bad ephemeral key");
    mix_key(shared);
    if (msg.size() < pos + 48) return fail("message too short");
    auto rs = decrypt_and_hash(msg.subspan(pos, 48));
    if (!rs) return fail("static key did not decrypt");
    std::memcpy(rs_.data(), rs->data(), 32);
    pos += 48;
    if (!dh(e_.secret, rs_, shared)) return fail("bad static key");
    mix_key(shared);
  } else if (step_ == 2) {  // responder reads: s, se
    if (msg.size() < 48) return fail("message too short");
    auto rs = decrypt_and_hash(msg.subspan(0, 48));
    if (!rs) return fail("static key did not decrypt");
    std::memcpy(rs_.data(), rs->data(), 32);
    pos = 48;
    if (!dh(e_.secret, rs_, shared)) return fail("bad static key");
    mix_key(shared);
  }
  auto payload = decrypt_and_hash(msg.subspan(pos));
  sodium_memzero(shared.data(), shared.size());
  if (!payload) return fail("payload did not decrypt");
  ++step_;
  return *payload;
}

std::pair<CipherState, CipherState> NoiseXX::split() const {
  auto [k1, k2] = hkdf2(ck_, {});
  return {CipherState(k1), CipherState(k2)};
}

}  // namespace wavry::crypto
