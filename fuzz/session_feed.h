// Feeds one datagram to a fresh RiftSession (initiator or responder, started)
// and drains everything it produces; returns whether it became established.
#pragma once

#include "wavry/session/rift_session.h"

namespace wavry::fuzz {

inline bool feed_fresh_session(bool initiator, const crypto::X25519KeyPair& keys, Random& rng,
                               std::span<const std::uint8_t> datagram) {
  session::RiftSession s({initiator, keys}, rng);
  Instant now = Instant::from_nanos(1'000'000'000);
  s.start(now);
  s.handle_packet(now, datagram);
  while (s.poll_packet()) {
  }
  while (s.poll_event()) {
  }
  return s.established();
}

}  // namespace wavry::fuzz
