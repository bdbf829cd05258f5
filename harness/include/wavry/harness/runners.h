// The two ways to run a scenario. Both fill an Outcome judged by evaluate().
#pragma once

#include <cstdint>
#include <string>

#include "wavry/harness/scenario.h"

namespace wavry::harness {

struct SimResult {
  Outcome outcome;
  std::string digest;            // SHA-256 over the ordered event trace
  std::uint64_t trace_events = 0;
  std::uint64_t packets_lost = 0;
};

// Simulated time, inside ns-3. Same scenario + seed -> same digest.
SimResult run_sim(const Scenario& s, std::uint64_t seed, const std::string& trace_path = "");

struct RealOptions {
  std::string bin_dir;   // where the six programs are
  std::string logs_dir;  // one .out and one .log per process
  bool verbose = false;  // print the human-readable demo summary
};

// Real processes on loopback with dynamic ports. Link impairments in the
// scenario are not applied (loopback has none); the checks are the same.
Outcome run_real(const Scenario& s, const RealOptions& opt);

}  // namespace wavry::harness
