#include "wavry/proto/stun.h"

#include <openssl/crypto.h>
#include <algorithm>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "wavry/core/bytes.h"

namespace wavry::proto::stun {
namespace {

constexpr std::size_t kIntegritySize = 20;
constexpr std::size_t kMaxTextValue = 763;  // RFC 8489: REALM, NONCE, SOFTWARE < 128 characters (763 bytes)

bool is_xor_address(std::uint16_t t) {
  return t == attr::xor_mapped_address || t == attr::xor_peer_address || t == attr::xor_relayed_address;
}

std::uint32_t crc32(std::span<const std::uint8_t> data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::uint8_t b : data) {
    crc ^= b;
    for (int i = 0; i < 8; ++i) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return ~crc;
}

std::uint32_t fingerprint_of(std::span<const std::uint8_t> prefix) { return crc32(prefix) ^ kFingerprintXor; }

// The message up to `offset` with its length field rewritten to `length`, as
// the integrity attributes are computed (RFC 8489 §14.5, §14.6).
Bytes prefix_with_length(std::span<const std::uint8_t> raw, std::size_t offset, std::size_t length) {
  Bytes b(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(offset));
  b[2] = static_cast<std::uint8_t>(length >> 8);
  b[3] = static_cast<std::uint8_t>(length);
  return b;
}

Bytes hmac(const EVP_MD* md, std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &len);
  out.resize(len);
  return out;
}

std::uint16_t encode_type(std::uint16_t method, Class cls) {
  auto c = static_cast<std::uint16_t>(cls);
  return static_cast<std::uint16_t>((method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) |
                                    ((c & 1) << 4) | ((c & 2) << 7));
}

}  // namespace

const char* to_string(DecodeError e) {
  switch (e) {
    case DecodeError::too_short: return "too short";
    case DecodeError::not_stun: return "not STUN";
    case DecodeError::bad_length: return "bad length";
    case DecodeError::truncated_attribute: return "truncated attribute";
    case DecodeError::too_many_attributes: return "too many attributes";
    case DecodeError::fingerprint_not_last: return "FINGERPRINT not last";
  }
  return "?";
}

bool looks_like_stun(std::span<const std::uint8_t> d) {
  return d.size() >= kHeaderSize && (d[0] & 0xC0) == 0 && d[4] == 0x21 && d[5] == 0x12 && d[6] == 0xA4 &&
         d[7] == 0x42;
}

std::optional<Message> decode(std::span<const std::uint8_t> d, DecodeError* why) {
  auto fail = [&](DecodeError e) -> std::optional<Message> {
    if (why) *why = e;
    return std::nullopt;
  };
  if (d.size() < kHeaderSize) return fail(DecodeError::too_short);
  if (!looks_like_stun(d)) return fail(DecodeError::not_stun);
  ByteReader r(d);
  std::uint16_t type = r.u16();
  std::uint16_t length = r.u16();
  r.u32();
  if (length % 4 != 0 || length + kHeaderSize != d.size()) return fail(DecodeError::bad_length);
  Message m;
  m.raw = d;
  m.method = static_cast<std::uint16_t>((type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80));
  m.cls = static_cast<Class>(((type >> 4) & 1) | ((type >> 7) & 2));
  auto tid = r.take(12);
  std::copy(tid.begin(), tid.end(), m.transaction_id.begin());
  bool after_integrity = false, after_fingerprint = false;
  std::size_t count = 0;
  while (r.remaining() > 0) {
    std::size_t offset = r.position();
    if (after_fingerprint) return fail(DecodeError::fingerprint_not_last);
    if (++count > kMaxAttributes) return fail(DecodeError::too_many_attributes);
    std::uint16_t t = r.u16();
    std::uint16_t len = r.u16();
    auto value = r.take(len);
    r.take((4 - len % 4) % 4);
    if (!r.ok()) return fail(DecodeError::truncated_attribute);
    bool integrity = t == attr::message_integrity || t == attr::message_integrity_sha256;
    if (t == attr::fingerprint) after_fingerprint = true;
    if (after_integrity && !integrity && t != attr::fingerprint) continue;
    if (integrity) after_integrity = true;
    m.attributes.push_back({t, value, offset});
  }
  return m;
}

const Attribute* Message::find(std::uint16_t type) const {
  for (const auto& a : attributes)
    if (a.type == type) return &a;
  return nullptr;
}

std::optional<Endpoint> Message::address(std::uint16_t type) const {
  const Attribute* a = find(type);
  if (!a || a->value.size() < 4) return std::nullopt;
  ByteReader r(a->value);
  r.u8();
  std::uint8_t family = r.u8();
  std::uint16_t port = r.u16();
  bool x = is_xor_address(type);
  if (x) port ^= static_cast<std::uint16_t>(kMagicCookie >> 16);
  if (family == 0x01 && a->value.size() == 8) {
    std::uint32_t ip = r.u32();
    if (x) ip ^= kMagicCookie;
    return Endpoint{IpAddress::v4(ip), port};
  }
  if (family == 0x02 && a->value.size() == 20) {
    std::array<std::uint8_t, 16> ip{};
    auto b = r.take(16);
    std::copy(b.begin(), b.end(), ip.begin());
    if (x) {
      std::array<std::uint8_t, 16> mask{0x21, 0x12, 0xA4, 0x42};
      std::copy(transaction_id.begin(), transaction_id.end(), mask.begin() + 4);
      for (std::size_t i = 0; i < 16; ++i) ip[i] ^= mask[i];
    }
    return Endpoint{IpAddress::v6(ip), port};
  }
  return std::nullopt;
}

std::optional<std::string_view> Message::text(std::uint16_t type) const {
  const Attribute* a = find(type);
  if (!a || a->value.size() > kMaxTextValue) return std::nullopt;
  return as_chars(a->value);
}

std::optional<std::uint32_t> Message::u32(std::uint16_t type) const {
  const Attribute* a = find(type);
  if (!a || a->value.size() != 4) return std::nullopt;
  return ByteReader(a->value).u32();
}

std::optional<ErrorCode> Message::error_code() const {
  const Attribute* a = find(attr::error_code);
  if (!a || a->value.size() < 4 || a->value.size() > 4 + kMaxTextValue) return std::nullopt;
  std::uint8_t hundreds = a->value[2] & 0x07;
  std::uint8_t number = a->value[3];
  if (hundreds < 3 || hundreds > 6 || number > 99) return std::nullopt;
  return ErrorCode{static_cast<std::uint16_t>(hundreds * 100 + number), as_chars(a->value.subspan(4))};
}

std::optional<std::vector<std::uint16_t>> Message::unknown_attributes() const {
  const Attribute* a = find(attr::unknown_attributes);
  if (!a || a->value.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint16_t> out;
  ByteReader r(a->value);
  while (r.remaining() > 0) out.push_back(r.u16());
  return out;
}

std::optional<std::uint8_t> Message::requested_transport() const {
  const Attribute* a = find(attr::requested_transport);
  if (!a || a->value.size() != 4) return std::nullopt;
  return a->value[0];
}

std::optional<std::uint16_t> Message::channel_number() const {
  const Attribute* a = find(attr::channel_number);
  if (!a || a->value.size() != 4) return std::nullopt;
  return ByteReader(a->value).u16();
}

std::optional<std::span<const std::uint8_t>> Message::data() const {
  const Attribute* a = find(attr::data);
  if (!a) return std::nullopt;
  return a->value;
}

std::vector<std::uint16_t> Message::unknown_required() const {
  static constexpr std::uint16_t known[] = {
      attr::mapped_address,        attr::username,           attr::message_integrity,
      attr::error_code,            attr::unknown_attributes, attr::channel_number,
      attr::lifetime,              attr::xor_peer_address,   attr::data,
      attr::realm,                 attr::nonce,              attr::xor_relayed_address,
      attr::requested_address_family, attr::even_port,       attr::requested_transport,
      attr::dont_fragment,         attr::message_integrity_sha256, attr::userhash,
      attr::xor_mapped_address,    attr::reservation_token};
  std::vector<std::uint16_t> out;
  for (const auto& a : attributes) {
    if (!attr::comprehension_required(a.type)) continue;
    if (std::find(std::begin(known), std::end(known), a.type) == std::end(known) &&
        std::find(out.begin(), out.end(), a.type) == out.end())
      out.push_back(a.type);
  }
  return out;
}

bool verify_fingerprint(const Message& m) {
  if (m.attributes.empty() || m.attributes.back().type != attr::fingerprint) return false;
  const Attribute& a = m.attributes.back();
  if (a.value.size() != 4) return false;
  return ByteReader(a.value).u32() == fingerprint_of(m.raw.first(a.offset));
}

bool verify_integrity(const Message& m, std::span<const std::uint8_t> key) {
  const Attribute* a = m.find(attr::message_integrity);
  if (!a || a->value.size() != kIntegritySize) return false;
  Bytes prefix = prefix_with_length(m.raw, a->offset, a->offset - kHeaderSize + 4 + kIntegritySize);
  Bytes mac = hmac(EVP_sha1(), key, prefix);
  return CRYPTO_memcmp(mac.data(), a->value.data(), kIntegritySize) == 0;
}

bool verify_integrity_sha256(const Message& m, std::span<const std::uint8_t> key) {
  const Attribute* a = m.find(attr::message_integrity_sha256);
  // RFC 8489 §14.6: 16 to 32 bytes, a multiple of 4 (a truncated HMAC).
  if (!a || a->value.size() < 16 || a->value.size() > 32 || a->value.size() % 4 != 0) return false;
  Bytes prefix = prefix_with_length(m.raw, a->offset, a->offset - kHeaderSize + 4 + a->value.size());
  Bytes mac = hmac(EVP_sha256(), key, prefix);
  return CRYPTO_memcmp(mac.data(), a->value.data(), a->value.size()) == 0;
}

Bytes short_term_key(std::string_view password) { return Bytes(as_bytes(password).begin(), as_bytes(password).end()); }

Bytes long_term_key(std::string_view username, std::string_view realm, std::string_view password) {
  std::string joined;
  joined.reserve(username.size() + realm.size() + password.size() + 2);
  joined.append(username).append(":").append(realm).append(":").append(password);
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  EVP_Digest(joined.data(), joined.size(), out.data(), &len, EVP_md5(), nullptr);
  out.resize(len);
  return out;
}

Builder::Builder(std::uint16_t method, Class cls, const TransactionId& tid) {
  out_.reserve(128);
  ByteWriter w(out_);
  w.u16(encode_type(method, cls));
  w.u16(0);
  w.u32(kMagicCookie);
  w.bytes(tid);
}

void Builder::set_length(std::size_t body) {
  out_[2] = static_cast<std::uint8_t>(body >> 8);
  out_[3] = static_cast<std::uint8_t>(body);
}

Builder& Builder::add(std::uint16_t type, std::span<const std::uint8_t> value) {
  ByteWriter w(out_);
  w.u16(type);
  w.u16(static_cast<std::uint16_t>(value.size()));
  w.bytes(value);
  out_.insert(out_.end(), (4 - value.size() % 4) % 4, pad_);
  set_length(out_.size() - kHeaderSize);
  return *this;
}

Builder& Builder::add_u32(std::uint16_t type, std::uint32_t v) {
  Bytes b;
  ByteWriter(b).u32(v);
  return add(type, b);
}

Builder& Builder::add_address(std::uint16_t type, const Endpoint& ep) {
  Bytes b;
  ByteWriter w(b);
  bool x = is_xor_address(type);
  w.u8(0);
  w.u8(ep.ip.is_v4() ? 0x01 : 0x02);
  w.u16(x ? static_cast<std::uint16_t>(ep.port ^ (kMagicCookie >> 16)) : ep.port);
  if (ep.ip.is_v4()) {
    w.u32(x ? ep.ip.v4_host_order() ^ kMagicCookie : ep.ip.v4_host_order());
  } else {
    std::array<std::uint8_t, 16> ip = ep.ip.bytes();
    if (x) {
      std::array<std::uint8_t, 16> mask{0x21, 0x12, 0xA4, 0x42};
      std::copy(out_.begin() + 8, out_.begin() + 20, mask.begin() + 4);
      for (std::size_t i = 0; i < 16; ++i) ip[i] ^= mask[i];
    }
    w.bytes(ip);
  }
  return add(type, b);
}

Builder& Builder::add_error_code(std::uint16_t code, std::string_view reason) {
  Bytes b{0, 0, static_cast<std::uint8_t>(code / 100), static_cast<std::uint8_t>(code % 100)};
  b.insert(b.end(), reason.begin(), reason.end());
  return add(attr::error_code, b);
}

Builder& Builder::add_unknown_attributes(std::span<const std::uint16_t> types) {
  Bytes b;
  ByteWriter w(b);
  for (auto t : types) w.u16(t);
  return add(attr::unknown_attributes, b);
}

Builder& Builder::add_requested_transport(std::uint8_t protocol) {
  return add(attr::requested_transport, Bytes{protocol, 0, 0, 0});
}

Builder& Builder::add_channel_number(std::uint16_t channel) {
  return add(attr::channel_number,
             Bytes{static_cast<std::uint8_t>(channel >> 8), static_cast<std::uint8_t>(channel), 0, 0});
}

Builder& Builder::add_message_integrity(std::span<const std::uint8_t> key) {
  set_length(out_.size() - kHeaderSize + 4 + kIntegritySize);
  Bytes mac = hmac(EVP_sha1(), key, out_);
  return add(attr::message_integrity, mac);
}

Builder& Builder::add_message_integrity_sha256(std::span<const std::uint8_t> key) {
  set_length(out_.size() - kHeaderSize + 4 + 32);
  Bytes mac = hmac(EVP_sha256(), key, out_);
  return add(attr::message_integrity_sha256, mac);
}

Builder& Builder::add_fingerprint() {
  set_length(out_.size() - kHeaderSize + 8);
  Bytes b;
  ByteWriter(b).u32(fingerprint_of(out_));
  return add(attr::fingerprint, b);
}

bool looks_like_channel_data(std::span<const std::uint8_t> d) { return d.size() >= 4 && (d[0] & 0xF0) == 0x40; }

std::optional<ChannelData> decode_channel_data(std::span<const std::uint8_t> d) {
  if (!looks_like_channel_data(d)) return std::nullopt;
  ByteReader r(d);
  std::uint16_t channel = r.u16();
  std::uint16_t len = r.u16();
  // Over UDP the 4-byte padding may or may not be present; nothing beyond it.
  std::size_t padded = 4 + ((static_cast<std::size_t>(len) + 3) & ~std::size_t{3});
  if (d.size() < 4 + static_cast<std::size_t>(len) || d.size() > padded) return std::nullopt;
  return ChannelData{channel, d.subspan(4, len)};
}

Bytes encode_channel_data(std::uint16_t channel, std::span<const std::uint8_t> data) {
  if (data.size() > 0xFFFF) return {};  // not representable; callers keep datagrams smaller
  Bytes out;
  out.reserve(4 + data.size());
  ByteWriter w(out);
  w.u16(channel);
  w.u16(static_cast<std::uint16_t>(data.size()));
  w.bytes(data);
  return out;
}

}  // namespace wavry::proto::stun
