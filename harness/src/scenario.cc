#include "wavry/harness/scenario.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "wavry/proto/json_util.h"

namespace wavry::harness {

using proto::Json;

Result<Scenario> load_scenario(const std::string& path) {
  std::ifstream f(path);
  if (!f) return make_error(Errc::not_found, "cannot open scenario " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  Json j = Json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::invalid_argument, path + " is not a JSON object");
  Scenario s;
  try {  // configuration, not network input: a typed error names the bad field
    s.name = j.at("name").get<std::string>();
    s.description = j.value("description", "");
    s.duration_s = j.value("duration_s", 10.0);
    for (const auto& c : kComponents) {
      const auto& n = j.at("nodes").at(c);
      sim::LinkParams lp;
      lp.delay = std::chrono::microseconds(static_cast<long>(n.value("delay_ms", 5.0) * 1000));
      lp.rate_bps = static_cast<std::uint64_t>(n.value("rate_mbps", 100.0) * 1e6);
      lp.loss = n.value("loss", 0.0);
      if (lp.loss < 0 || lp.loss >= 1) return make_error(Errc::invalid_argument, c + ".loss must be in [0,1)");
      s.links[c] = lp;
    }
    const auto& ses = j.at("session");
    s.host_name = ses.value("host_name", s.host_name);
    s.client_name = ses.value("client_name", s.client_name);
    s.fps = ses.value("fps", s.fps);
    s.frame_bytes = ses.value("frame_bytes", s.frame_bytes);
    s.host_start_s = ses.value("host_start_s", s.host_start_s);
    s.client_start_s = ses.value("client_start_s", s.client_start_s);
    const auto& e = j.at("expect");
    s.expect.handshake_within_s = e.value("handshake_within_s", s.expect.handshake_within_s);
    s.expect.min_frames = e.value("min_frames", s.expect.min_frames);
    s.expect.max_rtt_ms = e.value("max_rtt_ms", s.expect.max_rtt_ms);
    s.expect.min_relay_forwarded_packets = e.value("min_relay_forwarded_packets", s.expect.min_relay_forwarded_packets);
    s.expect.relayed = e.value("relayed", s.expect.relayed);
    s.expect.max_corrupt_frames = e.value("max_corrupt_frames", s.expect.max_corrupt_frames);
    s.expect.max_out_of_order_frames = e.value("max_out_of_order_frames", s.expect.max_out_of_order_frames);
  } catch (const std::exception& ex) {
    return make_error(Errc::invalid_argument, path + ": " + ex.what());
  }
  if (s.duration_s <= s.client_start_s) return make_error(Errc::invalid_argument, "duration_s must exceed client_start_s");
  return s;
}

namespace {
std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}
}  // namespace

std::vector<CheckResult> evaluate(const Scenario& s, const Outcome& o) {
  const auto& e = s.expect;
  std::vector<CheckResult> r;
  r.push_back({"handshake", o.handshake && o.handshake_ms >= 0 && o.handshake_ms <= e.handshake_within_s * 1000,
               o.handshake ? fmt("done in %.1f ms", o.handshake_ms) + fmt(" (limit %.0f ms)", e.handshake_within_s * 1000)
                           : "never completed"});
  r.push_back({"relayed", o.relayed == e.relayed, o.relayed ? "through the relay" : "direct"});
  r.push_back({"frames", o.frames >= e.min_frames,
               std::to_string(o.frames) + " received (at least " + std::to_string(e.min_frames) + ")"});
  r.push_back({"frame_integrity", o.frames_corrupt <= e.max_corrupt_frames && o.frames_out_of_order <= e.max_out_of_order_frames,
               std::to_string(o.frames_corrupt) + " corrupt, " + std::to_string(o.frames_out_of_order) + " out of order"});
  r.push_back({"rtt", o.pongs > 0 && o.rtt_avg_ms >= 0 && o.rtt_avg_ms <= e.max_rtt_ms,
               o.pongs ? fmt("avg %.2f ms", o.rtt_avg_ms) + fmt(", max %.2f ms", o.rtt_max_ms) + " over " +
                             std::to_string(o.pongs) + " pongs"
                       : "no pong received"});
  r.push_back({"relay_forwarding", o.relay_forwarded_packets >= e.min_relay_forwarded_packets,
               std::to_string(o.relay_forwarded_packets) + " packets forwarded (at least " +
                   std::to_string(e.min_relay_forwarded_packets) + ")"});
  r.push_back({"relay_leases", o.relay_leases_accepted >= 2 && o.relay_lease_rejects == 0,
               std::to_string(o.relay_leases_accepted) + " leases accepted, " + std::to_string(o.relay_lease_rejects) +
                   " rejected"});
  r.push_back({"invariants", o.invariant_violations.empty(),
               o.invariant_violations.empty() ? "none violated" : o.invariant_violations.front()});
  return r;
}

}  // namespace wavry::harness
