// wavry-client: connects to a host directly (--connect) or through a relay
// brokered by the gateway (--gateway-url + --host), completes the encrypted
// handshake, measures RTT and counts the frames it receives.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "wavry/proto/json_util.h"
#include "wavry/client/client_core.h"
#include "wavry/runtime/signaling_link.h"
#include "wavry/runtime/udp.h"

using namespace wavry;
namespace rt = wavry::runtime;

int main(int argc, char** argv) {
  CLI::App app{"wavry-client: connect to a Wavry host"};
  std::string connect, name = "wavry-client", gateway_url, host_name, session_token, log_level = "info";
  std::string record_dir = "recordings", file_out_dir = "received-files";
  std::vector<std::string> send_files;
  std::uint64_t file_max_bytes = 1ull << 30;
  double duration = 0;
  bool no_encrypt = false, vr = false, record = false, file_control_stdin = false, headless = false;
  app.add_option("--connect", connect, "host address for a direct session (ip:port)");
  app.add_option("--name", name, "our name (Hello, and BIND at the gateway)")->capture_default_str();
  app.add_option("--gateway-url", gateway_url, "signaling WebSocket for a relayed session")->envname("WAVRY_GATEWAY_URL");
  app.add_option("--host", host_name, "the host's name at the gateway");
  app.add_option("--session-token", session_token, "token for BIND at the gateway")->envname("WAVRY_SESSION_TOKEN");
  app.add_flag("--no-encrypt", no_encrypt, "disable encryption (refused unless WAVRY_ALLOW_INSECURE_NO_ENCRYPT=1)");
  app.add_flag("--vr", vr, "carry VR pose/timing messages (arrives with the streaming issue)");
  app.add_flag("--record", record, "record the received stream (arrives with the streaming issue)");
  app.add_option("--record-dir", record_dir, "recording directory")->capture_default_str();
  app.add_option("--send-file", send_files, "file to send to the host (repeatable; arrives with file transfer)");
  app.add_option("--file-out-dir", file_out_dir, "where received files go")->capture_default_str();
  app.add_option("--file-max-bytes", file_max_bytes, "largest file accepted")->capture_default_str();
  app.add_flag("--file-control-stdin", file_control_stdin, "file transfer commands on stdin (arrives with file transfer)");
  app.add_flag("--headless", headless, "no window (the only mode until decoding lands)");
  app.add_option("--duration", duration, "stop after this many seconds (0: run until Ctrl-C)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--log-level", log_level, "error|warn|info|debug")->capture_default_str();
  app.footer("Exit status: 0 when the session was established and frames arrived, 1 otherwise.\n"
             "The last stdout line is `summary {json}` for scripts.");
  CLI11_PARSE(app, argc, argv);

  rt::init_logging(log_level);
  if (no_encrypt) {
    if (!rt::env_flag("WAVRY_ALLOW_INSECURE_NO_ENCRYPT"))
      rt::exit_config_error("--no-encrypt is refused; set WAVRY_ALLOW_INSECURE_NO_ENCRYPT=1 to allow it (development only)");
    rt::exit_config_error("--no-encrypt is not supported by this build: every session is encrypted");
  }
  for (auto [set, what] : {std::pair{vr, "--vr"}, std::pair{record, "--record"},
                           std::pair{!send_files.empty(), "--send-file"}, std::pair{file_control_stdin, "--file-control-stdin"}})
    if (set) rt::log_warn("client", std::string(what) + " is accepted but not implemented yet; ignoring it");
  if (!proto::valid_peer_name(name)) rt::exit_config_error("--name must be 1-64 of [A-Za-z0-9_.-]");

  rt::OsRandom rng;
  client::ClientConfig cfg;
  cfg.name = name;
  cfg.static_keys = crypto::X25519KeyPair::generate(rng);
  std::optional<rt::Url> gw;
  if (!connect.empty()) {
    auto ep = Endpoint::parse(connect);
    if (!ep || ep->port == 0) rt::exit_config_error("--connect must be ip:port with a non-zero port, got '" + connect + "'");
    cfg.direct = ep;
  } else if (!gateway_url.empty()) {
    auto u = rt::parse_url(gateway_url);
    if (!u) rt::exit_config_error("--gateway-url: " + u.error().message);
    if (host_name.empty() || !proto::valid_peer_name(host_name)) rt::exit_config_error("--gateway-url needs --host <name>");
    if (session_token.empty()) rt::exit_config_error("--gateway-url needs --session-token");
    gw = *u;
    cfg.target_host = host_name;
    cfg.signaling_token = session_token;
  } else {
    rt::exit_config_error("give --connect <host:port>, or --gateway-url with --host and --session-token");
  }

  rt::asio::io_context io;
  client::ClientCore core(cfg, rng);
  auto sock = rt::UdpSocket::bind(io, *Endpoint::parse("0.0.0.0:0"));
  if (!sock) rt::exit_config_error(sock.error().message);
  std::unique_ptr<rt::SignalingLink> signaling;
  std::function<void()> pump;  // drains every output of the core, then re-arms the timer
  rt::CoreTimer timer(io, [&] { return core.next_timeout(); }, [&](Instant now) {
    core.handle_timeout(now);
    pump();
  });
  Instant started = rt::now();
  std::function<void()> finish;
  pump = [&] {
    while (auto t = core.poll_transmit()) (*sock)->send(t->destination, t->payload);
    while (auto m = core.poll_signal())
      if (signaling) signaling->send(*m);
    while (auto e = core.poll_event()) {
      if (auto* n = std::get_if<client::SignalingNote>(&*e)) {
        rt::log_info("client", n->message);
      } else if (auto* g = std::get_if<client::RelayGranted>(&*e)) {
        rt::log_info("client", "relay " + g->relay + " granted for session " + g->session_id);
      } else if (auto* a = std::get_if<client::RelayAdmitted>(&*e)) {
        rt::log_info("client", "relay accepted our lease (expires " + format_rfc3339(UnixTime::from_nanos(
                                                                         static_cast<std::int64_t>(a->expires_unix_ms) * 1'000'000)) + ")");
      } else if (std::holds_alternative<client::HandshakeDone>(*e)) {
        rt::log_info("client", "handshake complete in " + std::to_string(to_millis(rt::now() - started)) + " ms");
      } else if (auto* s = std::get_if<client::StreamAccepted>(&*e)) {
        rt::log_info("client", "host accepted: " + std::to_string(s->width) + "x" + std::to_string(s->height) + "@" +
                                   std::to_string(s->fps));
      } else if (auto* f = std::get_if<client::ClientFailed>(&*e)) {
        rt::log_error("client", f->reason);
        finish();
        return;
      }
    }
    timer.rearm();
  };
  (*sock)->start([&](const Endpoint& from, std::span<const std::uint8_t> d) {
    core.handle_datagram(rt::now(), client::kMediaSocket, from, d);
    pump();
  });
  if (gw) {
    signaling = rt::attach_signaling(io, *gw, core, pump, "client");
  }
  core.start(rt::now());
  pump();

  // One stats line a second.
  rt::asio::steady_timer stats_timer(io);
  std::uint64_t last_frames = 0;
  std::function<void()> tick = [&] {
    stats_timer.expires_after(1s);
    stats_timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      const auto& s = core.stats();
      const auto* ss = core.session_stats();
      std::string rtt = ss && ss->last_rtt ? std::to_string(to_millis(*ss->last_rtt)) : "-";
      rt::log_info("client", "stats fps=" + std::to_string(s.frames - last_frames) + " frames=" + std::to_string(s.frames) +
                                 " rtt_ms=" + rtt + " bytes=" + std::to_string(s.media_bytes));
      last_frames = s.frames;
      tick();
    });
  };
  tick();

  int exit_code = 1;
  bool finished = false;
  finish = [&] {
    if (finished) return;
    finished = true;
    core.disconnect(rt::now(), "client exiting");
    while (auto t = core.poll_transmit()) (*sock)->send(t->destination, t->payload);
    const auto& s = core.stats();
    const auto* ss = core.session_stats();
    nlohmann::json j;
    j["handshake"] = s.handshake_done.has_value();
    j["relayed"] = core.relayed();
    j["handshake_ms"] = s.handshake_done ? to_millis(*s.handshake_done - *s.started) : -1.0;
    j["frames"] = s.frames;
    j["frames_corrupt"] = s.frames_corrupt;
    j["frames_out_of_order"] = s.frames_out_of_order;
    j["media_bytes"] = s.media_bytes;
    j["pongs"] = ss ? ss->pongs_received : 0;
    j["rtt_avg_ms"] = ss && ss->pongs_received ? to_millis(ss->rtt_sum) / static_cast<double>(ss->pongs_received) : -1.0;
    j["rtt_min_ms"] = ss && ss->min_rtt ? to_millis(*ss->min_rtt) : -1.0;
    j["rtt_max_ms"] = ss && ss->max_rtt ? to_millis(*ss->max_rtt) : -1.0;
    j["latency_avg_ms"] = s.frames ? to_millis(s.latency_sum) / static_cast<double>(s.frames) : -1.0;
    j["dropped_auth"] = ss ? ss->dropped_auth : 0;
    j["dropped_replay"] = ss ? ss->dropped_replay : 0;
    std::printf("summary %s\n", proto::dump_json(j).c_str());
    std::fflush(stdout);
    exit_code = (s.handshake_done && s.frames > 0 && !core.failed()) ? 0 : 1;
    if (signaling) signaling->stop();
    io.stop();
  };
  auto stop_timer = rt::stop_after(io, duration, [&] { finish(); });
  io.run();
  return exit_code;
}
