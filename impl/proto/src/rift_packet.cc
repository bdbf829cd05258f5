#include "wavry/proto/rift_packet.h"

#include "wavry/core/bytes.h"

namespace wavry::proto {

std::uint16_t crc16_kermit(std::span<const std::uint8_t> data) {
  std::uint16_t crc = 0;
  for (std::uint8_t b : data) {
    crc ^= b;
    for (int i = 0; i < 8; ++i) crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0x8408) : crc >> 1;
  }
  return crc;
}

std::optional<RiftPacket> decode_rift(std::span<const std::uint8_t> d, RiftDecodeError* why) {
  auto fail = [&](RiftDecodeError e) -> std::optional<RiftPacket> {
    if (why) *why = e;
    return std::nullopt;
  };
  if (d.size() < kRiftTransportHeader) return fail(RiftDecodeError::too_short);
  if (d[0] != 0x52 || d[1] != 0x49) return fail(RiftDecodeError::bad_magic);
  ByteReader r(d);
  r.take(2);
  if (r.u16() != kRiftVersion) return fail(RiftDecodeError::bad_version);
  RiftPacket p;
  bool zero_alias = d[4] == 0 && d[5] == 0 && d[6] == 0 && d[7] == 0;
  std::size_t hlen;
  if (zero_alias && d.size() >= kRiftHandshakeHeader) {
    p.handshake = true;
    auto sid = r.take(16);
    std::copy(sid.begin(), sid.end(), p.session_id.begin());
    hlen = kRiftHandshakeHeader;
  } else {
    p.session_alias = r.u32();
    hlen = kRiftTransportHeader;
  }
  p.packet_id = r.u64();
  std::uint16_t crc = r.u16();
  if (crc != crc16_kermit(d.first(hlen - 2))) return fail(RiftDecodeError::bad_checksum);
  p.header = d.first(hlen);
  p.payload = d.subspan(hlen);
  return p;
}

void encode_rift_handshake_header(Bytes& out, std::uint64_t packet_id) {
  std::size_t start = out.size();
  ByteWriter w(out);
  w.u8(0x52);
  w.u8(0x49);
  w.u16(kRiftVersion);
  for (int i = 0; i < 16; ++i) w.u8(0);
  w.u64(packet_id);
  w.u16(crc16_kermit(std::span(out).subspan(start, kRiftHandshakeHeader - 2)));
}

void encode_rift_transport_header(Bytes& out, std::uint32_t alias, std::uint64_t packet_id) {
  std::size_t start = out.size();
  ByteWriter w(out);
  w.u8(0x52);
  w.u8(0x49);
  w.u16(kRiftVersion);
  w.u32(alias);
  w.u64(packet_id);
  w.u16(crc16_kermit(std::span(out).subspan(start, kRiftTransportHeader - 2)));
}

}  // namespace wavry::proto
