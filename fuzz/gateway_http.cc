// The gateway's inputs as a script: HTTP requests, WebSocket opens, messages
// (signaling JSON) and closes on a few connections, and the master's answers
// to lease calls (response bodies). Nothing may crash and every connection
// the gateway talks to was opened.
#include <cstdlib>
#include <set>

#include "fuzz_input.h"
#include "wavry/gateway/gateway_core.h"

using namespace wavry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  SeededRandom rng(13);
  gateway::GatewayConfig cfg;
  cfg.allow_insecure_signaling = true;
  cfg.dev_token = "dev-token";
  cfg.master_broker_token = "broker-token";
  cfg.max_connections = 4;
  gateway::GatewayCore core(cfg, rng);
  Instant now = Instant::from_nanos(1'000'000'000);
  std::set<gateway::ConnId> open;
  std::vector<std::uint64_t> call_ids;
  // Like a driver: sends go out right after the call that made them; a send
  // with close_after closes the connection and reports the close.
  auto drain = [&] {
    while (auto s = core.poll_ws_send()) {
      if (!open.contains(s->conn)) std::abort();
      if (s->close_after) {
        open.erase(s->conn);
        core.handle_ws_close(now, s->conn);
      }
    }
    while (auto c = core.poll_call()) call_ids.push_back(c->id);
    while (core.poll_event()) {
    }
  };
  fuzz::FuzzInput in(data, size);
  while (in.more()) {
    std::uint8_t op = in.byte();
    gateway::ConnId conn = (op >> 3) & 3;
    now += std::chrono::milliseconds(in.byte() * 50);
    if (auto t = core.next_timeout(); t && *t <= now) core.handle_timeout(now);
    drain();
    switch (op & 7) {
      case 0:
        if (!open.contains(conn) && core.handle_ws_open(now, conn)) open.insert(conn);
        break;
      case 1:
      case 2:
        if (open.contains(conn)) core.handle_ws_message(now, conn, in.text());
        break;
      case 3:
        if (open.erase(conn)) core.handle_ws_close(now, conn);
        break;
      case 4: {
        proto::CallResult r;
        r.id = call_ids.empty() ? in.byte() : call_ids[in.byte() % call_ids.size()];
        r.status = (op & 0x40) ? 200 : in.byte() * 3;
        r.body = std::string(in.text());
        core.handle_call_result(now, r);
        break;
      }
      default: {
        proto::HttpRequest req{(op & 0x40) ? "POST" : "GET", std::string(in.text(1)), "", std::string(in.text())};
        auto resp = core.handle_request(now, req);
        if (resp.status < 200 || resp.status > 599) std::abort();
      }
    }
    drain();
  }
  return 0;
}
