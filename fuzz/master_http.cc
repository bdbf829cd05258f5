// The master's HTTP surface as a script: each record picks an endpoint, an
// authorization (valid or not) and a body, with time passing between them.
// Nothing may crash, every answer is a valid HTTP status, and the relay table
// stays within its bound.
#include <cstdlib>

#include "fuzz_input.h"
#include "wavry/master/master_core.h"

using namespace wavry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static SeededRandom rng(12);
  static const auto key = crypto::Ed25519KeyPair::generate(rng);
  master::MasterConfig cfg;
  cfg.signing_key = key;
  cfg.key_provisioned = true;
  cfg.relay_token = "relay-token";
  cfg.broker_token = "broker-token";
  cfg.max_relays = 8;
  Instant now = Instant::from_nanos(1'000'000'000);
  master::MasterCore core(cfg, WallClock(now, UnixTime::from_seconds(1'800'000'000)));
  static const char* const targets[] = {"/v1/relays/register", "/v1/relays/heartbeat", "/v1/leases", "/v1/relays",
                                        "/health", "/ready", "/.well-known/wavry-id", "/nope"};
  static const char* const auths[] = {"Bearer relay-token", "Bearer broker-token", "", "Bearer wrong"};
  fuzz::FuzzInput in(data, size);
  while (in.more()) {
    std::uint8_t op = in.byte();
    now += std::chrono::milliseconds(in.byte() * 100);
    if (auto t = core.next_timeout(); t && *t <= now) core.handle_timeout(now);
    proto::HttpRequest req;
    req.method = (op & 0x80) ? "GET" : "POST";
    req.target = targets[op & 7];
    req.authorization = auths[(op >> 3) & 3];
    req.body = std::string(in.text());
    auto resp = core.handle_request(now, req);
    if (resp.status < 200 || resp.status > 599) std::abort();
    while (core.poll_event()) {
    }
    if (core.relays().size() > cfg.max_relays) std::abort();
  }
  return 0;
}
