// RIFT physical plane (docs/protocol.md §1): an 18-byte transport header or a
// 30-byte handshake header, magic "RI", version 1, CRC-16/KERMIT over the header.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "wavry/core/transmit.h"

namespace wavry::proto {

inline constexpr std::size_t kRiftTransportHeader = 18;
inline constexpr std::size_t kRiftHandshakeHeader = 30;
inline constexpr std::uint16_t kRiftVersion = 1;
// The client uses alias 1 until HelloAck assigns one; 0 is never a valid alias
// because it would be read as a handshake header.
inline constexpr std::uint32_t kBootstrapAlias = 1;

std::uint16_t crc16_kermit(std::span<const std::uint8_t> data);

struct RiftPacket {
  bool handshake = false;
  std::array<std::uint8_t, 16> session_id{};  // handshake packets only
  std::uint32_t session_alias = 0;             // transport packets only
  std::uint64_t packet_id = 0;
  std::span<const std::uint8_t> header;   // the exact header bytes (AEAD associated data)
  std::span<const std::uint8_t> payload;  // everything after the header
};

enum class RiftDecodeError { too_short, bad_magic, bad_version, bad_checksum };

// Classification: bytes 4..8 all zero and length >= 30 -> handshake; else transport.
// Views into `datagram`; nothing is copied.
std::optional<RiftPacket> decode_rift(std::span<const std::uint8_t> datagram, RiftDecodeError* why = nullptr);

// Quick check used by the relay and drivers before a full decode.
inline bool looks_like_rift(std::span<const std::uint8_t> d) {
  return d.size() >= kRiftTransportHeader && d[0] == 0x52 && d[1] == 0x49;
}

void encode_rift_handshake_header(Bytes& out, std::uint64_t packet_id);
void encode_rift_transport_header(Bytes& out, std::uint32_t alias, std::uint64_t packet_id);

}  // namespace wavry::proto
