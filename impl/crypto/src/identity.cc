#include "wavry/crypto/identity.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "wavry/core/bytes.h"

namespace wavry::crypto {

Ed25519KeyPair Ed25519KeyPair::generate(Random& rng) {
  std::array<std::uint8_t, 32> seed;
  rng.fill(seed);
  auto kp = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return kp;
}

Ed25519KeyPair Ed25519KeyPair::from_seed(std::span<const std::uint8_t, 32> seed) {
  Ed25519KeyPair kp;
  crypto_sign_seed_keypair(kp.pk_.data(), kp.sk_.data(), seed.data());
  return kp;
}

Signature Ed25519KeyPair::sign(std::span<const std::uint8_t> m) const {
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr, m.data(), m.size(), sk_.data());
  return sig;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool ed25519_verify(const PublicKey& pk, std::span<const std::uint8_t> m, const Signature& sig) {
  return crypto_sign_verify_detached(sig.data(), m.data(), m.size(), pk.data()) == 0;
}

std::string base64url_encode(std::span<const std::uint8_t> data) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<Bytes> base64url_decode(std::string_view text) {
  Bytes out(text.size() * 3 / 4 + 3);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(len);
  // Reject non-canonical encodings (stray low bits in the last character).
  if (base64url_encode(out) != text) return std::nullopt;
  return out;
}

std::string wavry_id(const PublicKey& pk) { return base64url_encode(pk); }

std::optional<PublicKey> parse_wavry_id(std::string_view id) {
  if (id.size() != 43) return std::nullopt;
  auto b = base64url_decode(id);
  if (!b || b->size() != 32) return std::nullopt;
  PublicKey pk;
  std::copy(b->begin(), b->end(), pk.begin());
  // A valid, non-small-order curve point; a "public key" that is not one is refused.
  std::array<std::uint8_t, 32> x25519;
  if (crypto_sign_ed25519_pk_to_curve25519(x25519.data(), pk.data()) != 0) return std::nullopt;
  return pk;
}

std::string key_id(const PublicKey& pk) { return "k" + to_hex(std::span(pk).first(8)); }

namespace {

Status write_new_file(const std::string& path, std::span<const std::uint8_t> data, mode_t mode) {
  // O_EXCL: never overwrite an existing key; the mode is set at creation, so
  // the secret is never readable by others, not even briefly.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return make_error(Errc::io, "cannot create " + path + ": " + std::strerror(errno));
  ::fchmod(fd, mode);  // umask may have removed bits we want (e.g. 0644 for .pub)
  ssize_t n = ::write(fd, data.data(), data.size());
  bool ok = n == static_cast<ssize_t>(data.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return make_error(Errc::io, "cannot write " + path);
  return Ok{};
}

Result<Bytes> read_small_file(const std::string& path, std::size_t max) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return make_error(Errc::not_found, "cannot open " + path);
  Bytes b;
  char c;
  while (f.get(c)) {
    b.push_back(static_cast<std::uint8_t>(c));
    if (b.size() > max) return make_error(Errc::invalid_argument, path + " is larger than a key file");
  }
  return b;
}

}  // namespace

Status write_key_files(const std::string& prefix, const Ed25519KeyPair& kp) {
  auto s = write_new_file(prefix + ".key", kp.seed(), 0600);
  if (!s) return s;
  return write_new_file(prefix + ".pub", kp.public_key(), 0644);
}

Result<PublicKey> read_public_key_file(const std::string& path) {
  auto b = read_small_file(path, 256);
  if (!b) return b.error();
  std::string_view text = as_chars(*b);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  Bytes raw = *b;
  if (b->size() != 32) {
    // Also accept hex or a Wavry ID, so a key copied from logs works.
    if (auto id = parse_wavry_id(text)) return *id;
    if (!from_hex(text, raw) || raw.size() != 32)
      return make_error(Errc::invalid_argument, path + ": expected a 32-byte Ed25519 public key");
  }
  PublicKey pk;
  std::copy(raw.begin(), raw.end(), pk.begin());
  if (!parse_wavry_id(wavry_id(pk))) return make_error(Errc::invalid_argument, path + ": not a valid Ed25519 public key");
  return pk;
}

Result<Ed25519KeyPair> parse_private_key_text(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  Bytes raw;
  if (!from_hex(text, raw) || (raw.size() != 32 && raw.size() != 64))
    return make_error(Errc::invalid_argument, "expected hex of a 32-byte seed or a 64-byte seed||public key");
  auto kp = Ed25519KeyPair::from_seed(std::span<const std::uint8_t, 32>(raw.data(), 32));
  if (raw.size() == 64 && !std::equal(kp.public_key().begin(), kp.public_key().end(), raw.begin() + 32))
    return make_error(Errc::invalid_argument, "the public half does not match the seed");
  sodium_memzero(raw.data(), raw.size());
  return kp;
}

Result<Ed25519KeyPair> read_private_key_file(const std::string& path) {
  auto b = read_small_file(path, 512);
  if (!b) return b.error();
  if (b->size() == 32) return Ed25519KeyPair::from_seed(std::span<const std::uint8_t, 32>(b->data(), 32));
  auto kp = parse_private_key_text(as_chars(*b));
  if (!kp) return make_error(Errc::invalid_argument, path + ": " + kp.error().message);
  return kp;
}

}  // namespace wavry::crypto
