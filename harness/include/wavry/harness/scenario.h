// A scenario is a value: topology (one access link per component), the
// session to set up, and the outcomes to check. The same file runs in
// simulated time (ns-3) or as real processes on loopback.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wavry/core/error.h"
#include "wavry/sim/network.h"

namespace wavry::harness {

inline const std::vector<std::string> kComponents = {"master", "relay", "gateway", "host", "client"};

struct Expectations {
  double handshake_within_s = 5;
  std::uint64_t min_frames = 1;
  double max_rtt_ms = 1000;
  std::uint64_t min_relay_forwarded_packets = 1;
  bool relayed = true;
  std::uint64_t max_corrupt_frames = 0;
  std::uint64_t max_out_of_order_frames = 0;
};

struct Scenario {
  std::string name, description;
  double duration_s = 10;
  std::map<std::string, sim::LinkParams> links;  // by component
  std::string host_name = "studio", client_name = "laptop";
  std::uint32_t fps = 30, frame_bytes = 4000;
  double host_start_s = 0.5, client_start_s = 1.0;
  Expectations expect;
};

Result<Scenario> load_scenario(const std::string& path);

// What a run measured: filled by either runner, judged by evaluate().
struct Outcome {
  bool handshake = false;
  double handshake_ms = -1;  // from the client's start
  bool relayed = false;
  std::uint64_t frames = 0, frames_corrupt = 0, frames_out_of_order = 0, media_bytes = 0;
  std::uint64_t pongs = 0;
  double rtt_avg_ms = -1, rtt_min_ms = -1, rtt_max_ms = -1;
  std::uint64_t host_frames_sent = 0;
  std::uint64_t relay_forwarded_packets = 0, relay_forwarded_bytes = 0, relay_leases_accepted = 0,
                relay_lease_rejects = 0;
  std::vector<std::string> invariant_violations;  // sim mode checks these after every step
  std::vector<std::string> notes;
};

struct CheckResult {
  std::string name;
  bool pass;
  std::string detail;
};

std::vector<CheckResult> evaluate(const Scenario& s, const Outcome& o);

}  // namespace wavry::harness
