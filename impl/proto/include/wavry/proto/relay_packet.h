// Relay packets (docs/protocol.md §2): a 20-byte header (magic 0x57, version 1,
// type, flags, 16-byte session id) followed by a typed payload. Big-endian.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "wavry/core/transmit.h"
#include "wavry/core/uuid.h"

namespace wavry::proto {

inline constexpr std::size_t kRelayHeader = 20;
inline constexpr std::size_t kRelayMaxPacket = 1500;
inline constexpr std::size_t kMaxLeaseToken = 8192;

enum class RelayType : std::uint8_t {
  lease_present = 0x01,
  lease_ack = 0x02,
  lease_reject = 0x03,
  lease_renew = 0x04,
  forward = 0x10,
};

// Wire values: 0 = client, 1 = host (the reference calls the host "server").
enum class PeerRole : std::uint8_t { client = 0, host = 1 };
const char* to_string(PeerRole r);
std::optional<PeerRole> peer_role_from_string(std::string_view s);

enum class RejectReason : std::uint16_t {
  expired = 1,
  invalid_signature = 2,
  wrong_relay = 3,
  session_full = 4,
  banned = 5,
  rate_limited = 6,
  invalid_lease = 7,  // well-signed but wrong session, role or claims
};
const char* to_string(RejectReason r);

struct RelayHeader {
  RelayType type;
  std::uint8_t flags = 0;
  Uuid session;
};

struct LeasePresent {
  PeerRole role;
  std::string_view token;  // view into the datagram
};

struct LeaseAck {
  std::uint64_t expires_unix_ms = 0;
  std::uint32_t soft_limit_kbps = 0;
  std::uint32_t hard_limit_kbps = 0;
};

// Parses the header; nullopt when too short/long, wrong magic/version, unknown type or nil session.
std::optional<RelayHeader> decode_relay_header(std::span<const std::uint8_t> d);
inline bool looks_like_relay(std::span<const std::uint8_t> d) {
  return d.size() >= kRelayHeader && d[0] == 0x57 && d[1] == 0x01;
}
std::optional<LeasePresent> decode_lease_present(std::span<const std::uint8_t> payload);
std::optional<LeaseAck> decode_lease_ack(std::span<const std::uint8_t> payload);
std::optional<RejectReason> decode_lease_reject(std::span<const std::uint8_t> payload);

void encode_relay_header(Bytes& out, RelayType type, const Uuid& session);
Bytes encode_lease_present(const Uuid& session, PeerRole role, std::string_view token);
Bytes encode_lease_renew(const Uuid& session, PeerRole role, std::string_view token);
Bytes encode_lease_ack(const Uuid& session, const LeaseAck& ack);
Bytes encode_lease_reject(const Uuid& session, RejectReason reason);
Bytes encode_forward(const Uuid& session, std::span<const std::uint8_t> inner);

}  // namespace wavry::proto
