// The relay core as a whole state machine: the input is a script of
// datagrams from a handful of sources with time steps between them. Nothing
// may crash, the session table stays bounded, and nothing is forwarded
// without an admitted lease (no lease here verifies, so nothing forwards).
#include <cstdlib>

#include "wavry/crypto/identity.h"
#include "wavry/relay/relay_core.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wavry;
  static SeededRandom rng(1);
  static const auto master = crypto::Ed25519KeyPair::generate(rng);
  relay::RelayConfig cfg;
  cfg.relay_id = "relay-fuzz";
  cfg.advertised = *Endpoint::parse("10.0.0.1:4000");
  cfg.master_key = master.public_key();
  cfg.max_sessions = 4;
  Instant now = Instant::from_nanos(1'000'000'000);
  relay::RelayCore core(cfg, WallClock(now, UnixTime::from_seconds(1'800'000'000)));
  core.start(now);
  std::size_t pos = 0;
  while (pos + 3 <= size) {
    std::uint8_t source = data[pos] & 3;
    std::uint8_t advance = data[pos + 1];
    std::size_t len = std::min<std::size_t>(data[pos + 2] * 8u, size - pos - 3);
    pos += 3;
    now += std::chrono::milliseconds(advance * 50);
    if (auto t = core.next_timeout(); t && *t <= now) core.handle_timeout(now);
    Endpoint from{IpAddress::v4(10, 0, 0, static_cast<std::uint8_t>(10 + source)), static_cast<std::uint16_t>(5000 + source)};
    core.handle_datagram(now, relay::kRelaySocket, from, std::span(data + pos, len));
    pos += len;
    while (auto tx = core.poll_transmit()) {
    }
    while (core.poll_call()) {
    }
    while (core.poll_event()) {
    }
    if (core.session_count() > cfg.max_sessions || core.counters().packets_forwarded != 0) std::abort();
  }
  return 0;
}
