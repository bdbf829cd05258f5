#include "wavry/proto/relay_packet.h"

#include "wavry/core/bytes.h"

namespace wavry::proto {

const char* to_string(PeerRole r) { return r == PeerRole::host ? "host" : "client"; }

std::optional<PeerRole> peer_role_from_string(std::string_view s) {
  if (s == "host") return PeerRole::host;
  if (s == "client") return PeerRole::client;
  return std::nullopt;
}

const char* to_string(RejectReason r) {
  switch (r) {
    case RejectReason::expired: return "expired";
    case RejectReason::invalid_signature: return "invalid_signature";
    case RejectReason::wrong_relay: return "wrong_relay";
    case RejectReason::session_full: return "session_full";
    case RejectReason::banned: return "banned";
    case RejectReason::rate_limited: return "rate_limited";
    case RejectReason::invalid_lease: return "invalid_lease";
  }
  return "unknown";
}

std::optional<RelayHeader> decode_relay_header(std::span<const std::uint8_t> d) {
  if (!looks_like_relay(d) || d.size() > kRelayMaxPacket) return std::nullopt;
  ByteReader r(d);
  r.take(2);
  std::uint8_t type = r.u8();
  RelayHeader h{};
  switch (type) {
    case 0x01: case 0x02: case 0x03: case 0x04: case 0x10:
      h.type = static_cast<RelayType>(type);
      break;
    default:
      return std::nullopt;
  }
  h.flags = r.u8();
  auto sid = r.take(16);
  std::copy(sid.begin(), sid.end(), h.session.bytes.begin());
  if (h.session.is_nil()) return std::nullopt;
  return h;
}

std::optional<LeasePresent> decode_lease_present(std::span<const std::uint8_t> p) {
  ByteReader r(p);
  std::uint8_t role = r.u8();
  std::uint16_t len = r.u16();
  auto tok = r.take(len);
  // Exact: trailing bytes after the token are refused, not ignored.
  if (!r.ok() || r.remaining() != 0 || role > 1 || len == 0 || len > kMaxLeaseToken) return std::nullopt;
  return LeasePresent{static_cast<PeerRole>(role), as_chars(tok)};
}

std::optional<LeaseAck> decode_lease_ack(std::span<const std::uint8_t> p) {
  ByteReader r(p);
  LeaseAck a;
  a.expires_unix_ms = r.u64();
  a.soft_limit_kbps = r.u32();
  a.hard_limit_kbps = r.u32();
  if (!r.ok() || r.remaining() != 0) return std::nullopt;
  return a;
}

std::optional<RejectReason> decode_lease_reject(std::span<const std::uint8_t> p) {
  ByteReader r(p);
  std::uint16_t v = r.u16();
  if (!r.ok() || r.remaining() != 0 || v < 1 || v > 7) return std::nullopt;
  return static_cast<RejectReason>(v);
}

void encode_relay_header(Bytes& out, RelayType type, const Uuid& session) {
  ByteWriter w(out);
  w.u8(0x57);
  w.u8(0x01);
  w.u8(static_cast<std::uint8_t>(type));
  w.u8(0);
  w.bytes(session.bytes);
}

namespace {
Bytes encode_lease(RelayType type, const Uuid& session, PeerRole role, std::string_view token) {
  Bytes out;
  encode_relay_header(out, type, session);
  ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(role));
  w.u16(static_cast<std::uint16_t>(token.size()));
  w.bytes(as_bytes(token));
  return out;
}
}  // namespace

Bytes encode_lease_present(const Uuid& s, PeerRole role, std::string_view token) {
  return encode_lease(RelayType::lease_present, s, role, token);
}

// Unlike the reference, a renewal carries a fresh lease: no credential-free renewal.
Bytes encode_lease_renew(const Uuid& s, PeerRole role, std::string_view token) {
  return encode_lease(RelayType::lease_renew, s, role, token);
}

Bytes encode_lease_ack(const Uuid& s, const LeaseAck& ack) {
  Bytes out;
  encode_relay_header(out, RelayType::lease_ack, s);
  ByteWriter w(out);
  w.u64(ack.expires_unix_ms);
  w.u32(ack.soft_limit_kbps);
  w.u32(ack.hard_limit_kbps);
  return out;
}

Bytes encode_lease_reject(const Uuid& s, RejectReason reason) {
  Bytes out;
  encode_relay_header(out, RelayType::lease_reject, s);
  ByteWriter(out).u16(static_cast<std::uint16_t>(reason));
  return out;
}

Bytes encode_forward(const Uuid& s, std::span<const std::uint8_t> inner) {
  Bytes out;
  out.reserve(kRelayHeader + inner.size());
  encode_relay_header(out, RelayType::forward, s);
  ByteWriter(out).bytes(inner);
  return out;
}

}  // namespace wavry::proto
