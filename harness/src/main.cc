// wavry-scenario: runs a scenario file in simulated time (ns-3) or as real
// processes on loopback, prints one line per check and, in sim mode, the
// digest of the event trace.
#include <CLI/CLI.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "wavry/harness/runners.h"

using namespace wavry;
using namespace wavry::harness;

namespace {

int report(const Scenario& s, const Outcome& o, const std::vector<std::string>& extra) {
  bool ok = true;
  for (const auto& c : evaluate(s, o)) {
    std::printf("check %-18s %s  %s\n", c.name.c_str(), c.pass ? "PASS" : "FAIL", c.detail.c_str());
    ok = ok && c.pass;
  }
  for (const auto& n : o.notes) std::printf("note %s\n", n.c_str());
  for (const auto& e : extra) std::printf("%s\n", e.c_str());
  std::printf("result %s\n", ok ? "PASS" : "FAIL");
  std::fflush(stdout);
  return ok ? 0 : 1;
}

std::string human_bytes(std::uint64_t b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f MB", static_cast<double>(b) / 1e6);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wavry-scenario: run a Wavry scenario in ns-3 or on real processes"};
  app.require_subcommand(1);
  auto* run = app.add_subcommand("run", "run one scenario");
  std::string scenario_path, mode = "sim", trace_path, bin_dir, logs_dir;
  std::uint64_t seed = 1;
  double duration = 0;
  bool check_determinism = false, demo = false;
  int sweep = 0;
  run->add_option("scenario", scenario_path, "scenario file (scenarios/*.json)")->required()->check(CLI::ExistingFile);
  run->add_option("--mode", mode, "sim (ns-3, simulated time) or real (processes on loopback)")
      ->check(CLI::IsMember({"sim", "real"}))->capture_default_str();
  run->add_option("--seed", seed, "simulation seed: the same seed replays the same run")->capture_default_str();
  run->add_option("--trace", trace_path, "sim: write the event trace here");
  run->add_flag("--check-determinism", check_determinism, "sim: run twice in separate processes and compare digests");
  run->add_option("--sweep", sweep, "sim: run seeds seed..seed+N-1, one process each, and list the failing ones")
      ->check(CLI::Range(1, 100000));
  run->add_option("--bin-dir", bin_dir, "real: directory with the six programs (default: ../bin next to this one)");
  run->add_option("--logs", logs_dir, "real: directory for process logs (default: a new temporary directory)");
  run->add_option("--duration", duration, "override the scenario's duration in seconds (volume checks scale with it)");
  run->add_flag("--demo", demo, "real: narrate the run and print a human-readable summary");
  CLI11_PARSE(app, argc, argv);

  auto sc = load_scenario(scenario_path);
  if (!sc) {
    std::fprintf(stderr, "error: %s\n", sc.error().message.c_str());
    return 2;
  }
  Scenario& s = *sc;
  if (duration > 0) {
    // A shorter or longer run: volume expectations scale with streaming time.
    double scale = (duration - s.client_start_s) / (s.duration_s - s.client_start_s);
    if (duration <= s.client_start_s) {
      std::fprintf(stderr, "error: --duration must exceed the client's start (%.1f s)\n", s.client_start_s);
      return 2;
    }
    s.expect.min_frames = static_cast<std::uint64_t>(static_cast<double>(s.expect.min_frames) * scale);
    s.expect.min_relay_forwarded_packets =
        static_cast<std::uint64_t>(static_cast<double>(s.expect.min_relay_forwarded_packets) * scale);
    s.duration_s = duration;
  }

  if (mode == "sim" && sweep > 0) {
    int failed = 0;
    for (std::uint64_t sd = seed; sd < seed + static_cast<std::uint64_t>(sweep); ++sd) {
      std::fflush(stdout);
      pid_t pid = fork();
      if (pid == 0) {  // one process per seed: ns-3 state never leaks between runs
        SimResult r = run_sim(s, sd);
        bool ok = true;
        std::string first_fail;
        for (const auto& c : evaluate(s, r.outcome))
          if (!c.pass && ok) {
            ok = false;
            first_fail = c.name + ": " + c.detail;
          }
        std::printf("seed %llu %s %s%s\n", static_cast<unsigned long long>(sd), ok ? "PASS" : "FAIL", r.digest.substr(0, 16).c_str(),
                    ok ? "" : ("  " + first_fail).c_str());
        std::fflush(stdout);
        _exit(ok ? 0 : 1);
      }
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
    }
    std::printf("sweep %d seeds, %d failed\nresult %s\n", sweep, failed, failed ? "FAIL" : "PASS");
    return failed ? 1 : 0;
  }

  if (mode == "sim") {
    std::printf("scenario %s mode=sim seed=%llu\n", s.name.c_str(), static_cast<unsigned long long>(seed));
    std::fflush(stdout);
    std::string child_digest;
    if (check_determinism) {
      // A separate process: ns-3 keeps global state that a second run in
      // this process would inherit.
      int fds[2];
      if (pipe(fds) != 0) return 2;
      pid_t pid = fork();
      if (pid == 0) {
        close(fds[0]);
        SimResult r = run_sim(s, seed);
        ssize_t n = write(fds[1], r.digest.data(), r.digest.size());
        _exit(n == static_cast<ssize_t>(r.digest.size()) ? 0 : 1);
      }
      close(fds[1]);
      char buf[128];
      ssize_t n;
      while ((n = read(fds[0], buf, sizeof buf)) > 0) child_digest.append(buf, static_cast<std::size_t>(n));
      close(fds[0]);
      waitpid(pid, nullptr, 0);
    }
    SimResult r = run_sim(s, seed, trace_path);
    std::vector<std::string> extra = {"events " + std::to_string(r.trace_events) + " packets_lost " + std::to_string(r.packets_lost),
                                      "digest " + r.digest};
    int rc = report(s, r.outcome, extra);
    if (check_determinism) {
      bool same = child_digest == r.digest;
      std::printf("determinism %s (first run %s)\n", same ? "PASS" : "FAIL", child_digest.c_str());
      if (!same) rc = 1;
    }
    return rc;
  }

  RealOptions opt;
  namespace fs = std::filesystem;
  opt.bin_dir = bin_dir.empty() ? (fs::canonical("/proc/self/exe").parent_path().parent_path() / "bin").string() : bin_dir;
  for (const char* p : {"wavry-master", "wavry-relay", "wavry-gateway", "wavry-server", "wavry-client"})
    if (!fs::exists(fs::path(opt.bin_dir) / p)) {
      std::fprintf(stderr, "error: %s not found in %s (build first, or pass --bin-dir)\n", p, opt.bin_dir.c_str());
      return 2;
    }
  if (logs_dir.empty()) {
    char tmpl[] = "/tmp/wavry-scenario-XXXXXX";
    if (!mkdtemp(tmpl)) return 2;
    logs_dir = tmpl;
  }
  fs::create_directories(logs_dir);
  opt.logs_dir = fs::canonical(logs_dir).string();
  opt.verbose = demo;
  std::printf("scenario %s mode=real logs=%s\n", s.name.c_str(), opt.logs_dir.c_str());
  std::fflush(stdout);
  Outcome o = run_real(s, opt);
  if (demo) {
    std::printf("\nSession summary\n");
    if (o.handshake)
      std::printf("  handshake      done in %.1f ms (Noise XX through the relay)\n", o.handshake_ms);
    else
      std::printf("  handshake      NOT completed\n");
    if (o.pongs)
      std::printf("  RTT            avg %.3f ms, min %.3f ms, max %.3f ms over %llu pings\n", o.rtt_avg_ms, o.rtt_min_ms,
                  o.rtt_max_ms, static_cast<unsigned long long>(o.pongs));
    std::printf("  frames         %llu received of %llu sent (%llu corrupt, %llu out of order), %s\n",
                static_cast<unsigned long long>(o.frames), static_cast<unsigned long long>(o.host_frames_sent),
                static_cast<unsigned long long>(o.frames_corrupt), static_cast<unsigned long long>(o.frames_out_of_order),
                human_bytes(o.media_bytes).c_str());
    std::printf("  relay          %llu packets, %s forwarded; %llu leases accepted, %llu rejected\n",
                static_cast<unsigned long long>(o.relay_forwarded_packets), human_bytes(o.relay_forwarded_bytes).c_str(),
                static_cast<unsigned long long>(o.relay_leases_accepted), static_cast<unsigned long long>(o.relay_lease_rejects));
    std::printf("  logs           %s/<program>.log (stderr) and .out (stdout)\n\n", opt.logs_dir.c_str());
  }
  return report(s, o, {});
}
