// Runs a scenario as real processes on loopback: the six programs with
// dynamic ports, found from their "listening <kind> <ip:port>" lines. Every
// process writes <name>.out (stdout) and <name>.log (stderr) in the logs dir.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "wavry/core/bytes.h"
#include "wavry/crypto/identity.h"
#include "wavry/harness/runners.h"
#include "wavry/proto/json_util.h"
#include "wavry/runtime/http_client.h"

extern char** environ;

namespace wavry::harness {

namespace {

struct Proc {
  std::string name;
  pid_t pid = -1;
  std::string out_path;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Result<Proc> spawn(const std::string& name, const std::vector<std::string>& argv, const std::vector<std::string>& env_extra,
                   const std::string& logs) {
  Proc p{name, -1, logs + "/" + name + ".out"};
  std::string err_path = logs + "/" + name + ".log";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, p.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.insert(env.end(), env_extra.begin(), env_extra.end());
  std::vector<char*> cargv, cenv;
  for (auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (auto& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  int rc = posix_spawn(&p.pid, argv[0].c_str(), &fa, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return make_error(Errc::io, "cannot start " + argv[0] + ": " + std::strerror(rc));
  return p;
}

bool exited(Proc& p, int* status = nullptr) {
  if (p.pid < 0) return true;
  int st = 0;
  pid_t r = waitpid(p.pid, &st, WNOHANG);
  if (r == p.pid) {
    p.pid = -1;
    if (status) *status = st;
    return true;
  }
  return false;
}

// Waits for "listening <kind> <ip:port>" in the process's stdout.
Result<Endpoint> wait_listening(Proc& p, const std::string& kind, double timeout_s = 15) {
  std::string prefix = "listening " + kind + " ";
  for (int i = 0; i < static_cast<int>(timeout_s * 20); ++i) {
    std::istringstream lines(slurp(p.out_path));
    for (std::string line; std::getline(lines, line);)
      if (line.starts_with(prefix))
        if (auto ep = Endpoint::parse(line.substr(prefix.size()))) return *ep;
    if (exited(p)) return make_error(Errc::unavailable, p.name + " exited before listening (see " + p.name + ".log)");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return make_error(Errc::unavailable, p.name + " did not report a " + kind + " listener");
}

void stop(Proc& p) {
  if (p.pid < 0) return;
  kill(p.pid, SIGTERM);
  for (int i = 0; i < 60 && !exited(p); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (p.pid >= 0) {
    kill(p.pid, SIGKILL);
    waitpid(p.pid, nullptr, 0);
    p.pid = -1;
  }
}

std::string random_token(Random& rng) {
  std::array<std::uint8_t, 16> b;
  rng.fill(b);
  return to_hex(b);
}

std::uint64_t metric(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with(name + " ")) return std::stoull(line.substr(name.size() + 1));
  return 0;
}

}  // namespace

Outcome run_real(const Scenario& s, const RealOptions& opt) {
  Outcome out;
  runtime::OsRandom rng;
  double duration = s.duration_s;
  const std::string& bin = opt.bin_dir;
  const std::string& logs = opt.logs_dir;
  std::vector<Proc> procs;
  auto say = [&](const std::string& m) {
    if (opt.verbose) std::printf("%s\n", m.c_str());
    std::fflush(stdout);
  };
  auto bail = [&](const std::string& why) {
    out.notes.push_back(why);
    for (auto it = procs.rbegin(); it != procs.rend(); ++it) stop(*it);
    return out;
  };

  // A fresh master key for this run, written as `wavry keygen` writes it.
  std::string key_prefix = logs + "/master-key";
  std::remove((key_prefix + ".key").c_str());
  std::remove((key_prefix + ".pub").c_str());
  auto master_key = crypto::Ed25519KeyPair::generate(rng);
  if (auto w = crypto::write_key_files(key_prefix, master_key); !w) return bail(w.error().message);
  std::string broker = random_token(rng), dev_token = random_token(rng);

  auto start = [&](const std::string& name, std::vector<std::string> argv, std::vector<std::string> env) -> Proc* {
    argv.insert(argv.begin(), bin + "/" + name);
    auto p = spawn(name, argv, env, logs);
    if (!p) {
      out.notes.push_back(p.error().message);
      return nullptr;
    }
    procs.push_back(*p);
    return &procs.back();
  };
  procs.reserve(8);

  Proc* master = start("wavry-master", {"--listen", "127.0.0.1:0"},
                       {"WAVRY_MASTER_KEY_FILE=" + key_prefix + ".key", "WAVRY_MASTER_BROKER_TOKEN=" + broker});
  if (!master) return bail("cannot start wavry-master");
  auto master_ep = wait_listening(*master, "http");
  if (!master_ep) return bail(master_ep.error().message);
  say("  master   http   " + master_ep->to_string() + "   (key id " + crypto::key_id(master_key.public_key()) + ")");

  Proc* relay = start("wavry-relay",
                      {"--listen", "127.0.0.1:0", "--health-listen", "127.0.0.1:0", "--master-url",
                       "http://" + master_ep->to_string(), "--master-public-key", to_hex(master_key.public_key())},
                      {});
  if (!relay) return bail("cannot start wavry-relay");
  auto relay_ep = wait_listening(*relay, "udp");
  auto relay_health = relay_ep ? wait_listening(*relay, "health") : relay_ep;
  if (!relay_health) return bail(relay_health.error().message);
  say("  relay    udp    " + relay_ep->to_string() + "   health " + relay_health->to_string());

  Proc* gateway = start("wavry-gateway", {"--listen", "127.0.0.1:0", "--master-url", "http://" + master_ep->to_string()},
                        {"WAVRY_ALLOW_INSECURE_SIGNALING=1", "WAVRY_GATEWAY_DEV_TOKEN=" + dev_token,
                         "WAVRY_MASTER_BROKER_TOKEN=" + broker});
  if (!gateway) return bail("cannot start wavry-gateway");
  auto gw_ep = wait_listening(*gateway, "http");
  if (!gw_ep) return bail(gw_ep.error().message);
  say("  gateway  http   " + gw_ep->to_string() + "   (signaling ws://" + gw_ep->to_string() + "/ws)");

  // The relay must be registered before a lease can name it.
  auto ready = [&] {
    runtime::asio::io_context io;
    int status = 0;
    runtime::http_call(io, runtime::Url{"http", "127.0.0.1", std::to_string(master_ep->port), "/"},
                       {"GET", "/ready", "", ""}, [&](proto::CallResult r) { status = r.status; });
    io.run();
    return status == 200;
  };
  bool is_ready = false;
  for (int i = 0; i < 100 && !(is_ready = ready()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  if (!is_ready) return bail("master never became ready (relay not registered?)");

  std::string ws = "ws://" + gw_ep->to_string() + "/ws";
  double host_run = duration - s.host_start_s + 2;
  Proc* host = start("wavry-server",
                     {"--listen", "127.0.0.1:0", "--gateway-url", ws, "--session-token", dev_token, "--name", s.host_name,
                      "--fps", std::to_string(s.fps), "--frame-bytes", std::to_string(s.frame_bytes), "--duration",
                      std::to_string(host_run)},
                     {});
  if (!host) return bail("cannot start wavry-server");
  auto host_ep = wait_listening(*host, "udp");
  if (!host_ep) return bail(host_ep.error().message);
  say("  server   udp    " + host_ep->to_string() + "   (bound as '" + s.host_name + "')");
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>((s.client_start_s - s.host_start_s) * 1000)));

  double client_run = duration - s.client_start_s;
  say("  client   relayed to '" + s.host_name + "' for " + std::to_string(static_cast<int>(client_run)) + " s ...");
  Proc* client = start("wavry-client",
                       {"--gateway-url", ws, "--host", s.host_name, "--session-token", dev_token, "--name", s.client_name,
                        "--duration", std::to_string(client_run)},
                       {});
  if (!client) return bail("cannot start wavry-client");
  for (int i = 0; i < static_cast<int>((client_run + 15) * 20) && !exited(*client); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (!exited(*client)) out.notes.push_back("client did not exit in time");

  // The client's last stdout line: summary {json}
  std::istringstream lines(slurp(client->out_path));
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("summary ")) continue;
    auto j = proto::parse_json_object(line.substr(8), 1 << 16);
    if (!j) continue;
    out.handshake = j->value("handshake", false);
    out.handshake_ms = j->value("handshake_ms", -1.0);
    out.relayed = j->value("relayed", false);
    out.frames = j->value("frames", 0ull);
    out.frames_corrupt = j->value("frames_corrupt", 0ull);
    out.frames_out_of_order = j->value("frames_out_of_order", 0ull);
    out.media_bytes = j->value("media_bytes", 0ull);
    out.pongs = j->value("pongs", 0ull);
    out.rtt_avg_ms = j->value("rtt_avg_ms", -1.0);
    out.rtt_min_ms = j->value("rtt_min_ms", -1.0);
    out.rtt_max_ms = j->value("rtt_max_ms", -1.0);
  }

  runtime::asio::io_context io;
  std::string metrics;
  runtime::http_call(io, runtime::Url{"http", "127.0.0.1", std::to_string(relay_health->port), "/"},
                     {"GET", "/metrics", "", ""}, [&](proto::CallResult r) { metrics = r.body; });
  io.run();
  out.relay_forwarded_packets = metric(metrics, "wavry_relay_packets_forwarded_total");
  out.relay_forwarded_bytes = metric(metrics, "wavry_relay_bytes_forwarded_total");
  out.relay_leases_accepted = metric(metrics, "wavry_relay_leases_accepted_total");
  for (const char* r : {"invalid_signature", "expired", "wrong_relay", "invalid_lease", "session_full"})
    out.relay_lease_rejects += metric(metrics, std::string("wavry_relay_lease_rejects_total{reason=\"") + r + "\"}");

  for (auto it = procs.rbegin(); it != procs.rend(); ++it) stop(*it);
  std::istringstream host_log(slurp(logs + "/wavry-server.log"));
  for (std::string line; std::getline(host_log, line);) {
    auto pos = line.find("frames_sent=");
    if (pos != std::string::npos) out.host_frames_sent = std::stoull(line.substr(pos + 12));
  }
  return out;
}

}  // namespace wavry::harness
