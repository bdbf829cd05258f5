// STUN (RFC 8489) and TURN (RFC 8656) message codec, plus ChannelData framing
// (docs/protocol.md §7). Decoding is strict and never copies: a Message holds
// views into the datagram. Integrity and fingerprint checks work on the raw
// bytes, so a message verifies exactly as it arrived.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wavry/core/endpoint.h"
#include "wavry/core/transmit.h"

namespace wavry::proto::stun {

inline constexpr std::uint32_t kMagicCookie = 0x2112A442;
inline constexpr std::size_t kHeaderSize = 20;
// More attributes than any legitimate STUN/TURN message carries; a message
// with more is refused rather than walked.
inline constexpr std::size_t kMaxAttributes = 64;
inline constexpr std::uint32_t kFingerprintXor = 0x5354554e;

using TransactionId = std::array<std::uint8_t, 12>;

enum class Class : std::uint8_t { request = 0, indication = 1, success = 2, error = 3 };

namespace method {
inline constexpr std::uint16_t binding = 0x001;
inline constexpr std::uint16_t allocate = 0x003;
inline constexpr std::uint16_t refresh = 0x004;
inline constexpr std::uint16_t send = 0x006;
inline constexpr std::uint16_t data = 0x007;
inline constexpr std::uint16_t create_permission = 0x008;
inline constexpr std::uint16_t channel_bind = 0x009;
}  // namespace method

namespace attr {
inline constexpr std::uint16_t mapped_address = 0x0001;
inline constexpr std::uint16_t username = 0x0006;
inline constexpr std::uint16_t message_integrity = 0x0008;
inline constexpr std::uint16_t error_code = 0x0009;
inline constexpr std::uint16_t unknown_attributes = 0x000A;
inline constexpr std::uint16_t channel_number = 0x000C;
inline constexpr std::uint16_t lifetime = 0x000D;
inline constexpr std::uint16_t xor_peer_address = 0x0012;
inline constexpr std::uint16_t data = 0x0013;
inline constexpr std::uint16_t realm = 0x0014;
inline constexpr std::uint16_t nonce = 0x0015;
inline constexpr std::uint16_t xor_relayed_address = 0x0016;
inline constexpr std::uint16_t requested_address_family = 0x0017;
inline constexpr std::uint16_t even_port = 0x0018;
inline constexpr std::uint16_t requested_transport = 0x0019;
inline constexpr std::uint16_t dont_fragment = 0x001A;
inline constexpr std::uint16_t message_integrity_sha256 = 0x001C;
inline constexpr std::uint16_t userhash = 0x001E;
inline constexpr std::uint16_t xor_mapped_address = 0x0020;
inline constexpr std::uint16_t reservation_token = 0x0022;
inline constexpr std::uint16_t software = 0x8022;
inline constexpr std::uint16_t alternate_server = 0x8023;
inline constexpr std::uint16_t fingerprint = 0x8028;
// 0x0000-0x7FFF are comprehension-required: an unknown one must be refused
// with 420 and UNKNOWN-ATTRIBUTES.
inline bool comprehension_required(std::uint16_t t) { return t < 0x8000; }
}  // namespace attr

enum class DecodeError {
  too_short,
  not_stun,          // top bits set or wrong magic cookie
  bad_length,        // length field not a multiple of 4 or not the datagram's
  truncated_attribute,
  too_many_attributes,
  fingerprint_not_last,
};
const char* to_string(DecodeError e);

struct Attribute {
  std::uint16_t type = 0;
  std::span<const std::uint8_t> value;
  std::size_t offset = 0;  // of the attribute header within the message
};

struct ErrorCode {
  std::uint16_t code = 0;  // 300..699
  std::string_view reason;
};

class Message {
 public:
  std::uint16_t method = 0;
  Class cls = Class::request;
  TransactionId transaction_id{};
  // In wire order; attributes after MESSAGE-INTEGRITY(-SHA256) other than the
  // integrity attributes and FINGERPRINT are dropped, as RFC 8489 §14.5 says.
  std::vector<Attribute> attributes;
  std::span<const std::uint8_t> raw;

  const Attribute* find(std::uint16_t type) const;
  bool has(std::uint16_t type) const { return find(type) != nullptr; }
  // Typed readers: nullopt when absent or malformed.
  std::optional<Endpoint> address(std::uint16_t type) const;  // XOR-decoded for XOR-* types
  std::optional<std::string_view> text(std::uint16_t type) const;
  std::optional<std::uint32_t> u32(std::uint16_t type) const;  // LIFETIME and other 4-byte values
  std::optional<ErrorCode> error_code() const;
  std::optional<std::vector<std::uint16_t>> unknown_attributes() const;
  std::optional<std::uint8_t> requested_transport() const;  // protocol number, 17 = UDP
  std::optional<std::uint16_t> channel_number() const;
  std::optional<std::span<const std::uint8_t>> data() const;
  // Comprehension-required attribute types we do not understand.
  std::vector<std::uint16_t> unknown_required() const;
};

// A datagram is STUN when its first two bits are 0 and it carries the magic
// cookie; ChannelData starts with 0x40-0x4F. Anything else is neither.
bool looks_like_stun(std::span<const std::uint8_t> d);
std::optional<Message> decode(std::span<const std::uint8_t> d, DecodeError* why = nullptr);
// A Message views its datagram, so decoding a temporary would dangle.
std::optional<Message> decode(const Bytes&& d, DecodeError* why = nullptr) = delete;

bool verify_fingerprint(const Message& m);
bool verify_integrity(const Message& m, std::span<const std::uint8_t> key);         // HMAC-SHA1
bool verify_integrity_sha256(const Message& m, std::span<const std::uint8_t> key);  // HMAC-SHA256

// Credential keys (RFC 8489 §9.2.2). Short-term: the password itself
// (OpaqueString-prepared; we take it as given UTF-8). Long-term:
// MD5(username ":" realm ":" password).
Bytes short_term_key(std::string_view password);
Bytes long_term_key(std::string_view username, std::string_view realm, std::string_view password);

class Builder {
 public:
  Builder(std::uint16_t method, Class cls, const TransactionId& tid);
  // Padding bytes are zero unless set otherwise (RFC 5769's vectors pad with 0x20).
  Builder& padding_byte(std::uint8_t b) {
    pad_ = b;
    return *this;
  }
  Builder& add(std::uint16_t type, std::span<const std::uint8_t> value);
  Builder& add_text(std::uint16_t type, std::string_view text) { return add(type, as_span(text)); }
  Builder& add_u32(std::uint16_t type, std::uint32_t v);
  Builder& add_address(std::uint16_t type, const Endpoint& ep);  // XOR-encoded for XOR-* types
  Builder& add_error_code(std::uint16_t code, std::string_view reason);
  Builder& add_unknown_attributes(std::span<const std::uint16_t> types);
  Builder& add_requested_transport(std::uint8_t protocol);
  Builder& add_channel_number(std::uint16_t channel);
  Builder& add_message_integrity(std::span<const std::uint8_t> key);
  Builder& add_message_integrity_sha256(std::span<const std::uint8_t> key);
  Builder& add_fingerprint();
  Bytes finish() { return std::move(out_); }
  std::span<const std::uint8_t> bytes() const { return out_; }

 private:
  static std::span<const std::uint8_t> as_span(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
  }
  void set_length(std::size_t body);
  Bytes out_;
  std::uint8_t pad_ = 0;
};

// ChannelData (RFC 8656 §12.4): channel number 0x4000-0x4FFF, length, data.
// Over UDP the padding to 4 bytes is optional and not counted in the length.
inline constexpr std::uint16_t kMinChannel = 0x4000;
inline constexpr std::uint16_t kMaxChannel = 0x4FFF;
struct ChannelData {
  std::uint16_t channel = 0;
  std::span<const std::uint8_t> data;
};
bool looks_like_channel_data(std::span<const std::uint8_t> d);
std::optional<ChannelData> decode_channel_data(std::span<const std::uint8_t> d);
Bytes encode_channel_data(std::uint16_t channel, std::span<const std::uint8_t> data);

}  // namespace wavry::proto::stun
