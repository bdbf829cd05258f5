// wavry-server: the host. Accepts RIFT sessions directly on --listen and,
// with --gateway-url, through a relay brokered by the gateway; streams
// synthetic video frames to every accepted client.
#include <CLI/CLI.hpp>

#include "wavry/host/host_core.h"
#include "wavry/runtime/signaling_link.h"
#include "wavry/runtime/udp.h"

using namespace wavry;
namespace rt = wavry::runtime;

int main(int argc, char** argv) {
  CLI::App app{"wavry-server: the Wavry host"};
  std::string listen = "127.0.0.1:0", gateway_url, session_token, name = "wavry-host", log_level = "info";
  std::string display_id, record_dir = "recordings", record_quality = "standard", file_out_dir = "received-files";
  std::string audio_source = "system";
  std::vector<std::string> send_files;
  std::uint32_t width = 1280, height = 720, fps = 30, bitrate = 2000, keyframe_ms = 1000, frame_bytes = 6000;
  std::uint32_t share_pct = 15, file_min = 256, file_max = 4096;
  std::uint64_t file_max_bytes = 1ull << 30;
  double duration = 0;
  bool enable_webrtc = false, record = false;
  app.add_option("--listen", listen, "UDP address for direct sessions (port 0 picks a free port)")
      ->envname("WAVRY_LISTEN_ADDR")->capture_default_str();
  app.add_option("--width", width, "stream width")->check(CLI::Range(320u, 8192u))->capture_default_str();
  app.add_option("--height", height, "stream height")->check(CLI::Range(240u, 8192u))->capture_default_str();
  app.add_option("--fps", fps, "frames per second")->check(CLI::Range(1u, 240u))->capture_default_str();
  app.add_option("--bitrate-kbps", bitrate, "target bitrate")->check(CLI::Range(100u, 200000u))->capture_default_str();
  app.add_option("--keyframe-interval-ms", keyframe_ms, "keyframe interval")
      ->check(CLI::Range(100u, 10000u))->capture_default_str();
  app.add_option("--frame-bytes", frame_bytes, "size of each synthetic frame (until real encoding lands)")
      ->check(CLI::Range(16u, 1000000u))->capture_default_str();
  app.add_option("--display-id", display_id, "display to capture (screen capture arrives with the streaming issue)")
      ->envname("WAVRY_DISPLAY_ID");
  app.add_option("--gateway-url", gateway_url, "signaling WebSocket, e.g. ws://127.0.0.1:3000/ws")
      ->envname("WAVRY_GATEWAY_URL");
  app.add_option("--session-token", session_token, "token for BIND at the gateway (a development token for now)")
      ->envname("WAVRY_SESSION_TOKEN");
  app.add_option("--name", name, "name to bind at the gateway")->capture_default_str();
  app.add_flag("--enable-webrtc", enable_webrtc, "WebRTC bridge (not available yet)")->envname("WAVRY_ENABLE_WEBRTC");
  app.add_flag("--record", record, "record what is streamed (arrives with the streaming issue)")->envname("WAVRY_RECORD");
  app.add_option("--record-dir", record_dir, "recording directory")->envname("WAVRY_RECORD_DIR")->capture_default_str();
  app.add_option("--record-quality", record_quality, "high|standard|low")
      ->check(CLI::IsMember({"high", "standard", "low"}))->envname("WAVRY_RECORD_QUALITY")->capture_default_str();
  app.add_option("--send-file", send_files, "file to send to the client (repeatable; arrives with file transfer)");
  app.add_option("--file-out-dir", file_out_dir, "where received files go")->envname("WAVRY_FILE_OUT_DIR")->capture_default_str();
  app.add_option("--file-max-bytes", file_max_bytes, "largest file accepted")->envname("WAVRY_FILE_MAX_BYTES")->capture_default_str();
  app.add_option("--file-transfer-share-percent", share_pct, "share of the video bitrate for files")
      ->check(CLI::Range(1u, 100u))->capture_default_str();
  app.add_option("--file-transfer-min-kbps", file_min, "file transfer floor")->check(CLI::Range(1u, 1000000u))->capture_default_str();
  app.add_option("--file-transfer-max-kbps", file_max, "file transfer ceiling")->check(CLI::Range(1u, 1000000u))->capture_default_str();
  app.add_option("--audio-source", audio_source, "system|microphone|app:<name>|disabled (audio arrives with the streaming issue)")
      ->envname("WAVRY_AUDIO_SOURCE")->capture_default_str();
  app.add_option("--duration", duration, "stop after this many seconds (0: run until Ctrl-C)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--log-level", log_level, "error|warn|info|debug")->capture_default_str();
  app.footer("Environment: WAVRY_SERVER_ALLOW_PUBLIC_BIND=1 allows a non-loopback --listen.");
  CLI11_PARSE(app, argc, argv);

  rt::init_logging(log_level);
  if (file_min > file_max) rt::exit_config_error("--file-transfer-min-kbps must not exceed --file-transfer-max-kbps");
  if (audio_source != "system" && audio_source != "microphone" && audio_source != "disabled" &&
      !(audio_source.starts_with("app:") && audio_source.size() > 4))
    rt::exit_config_error("--audio-source must be system, microphone, app:<name> or disabled");
  if (!proto::valid_peer_name(name)) rt::exit_config_error("--name must be 1-64 of [A-Za-z0-9_.-]");
  for (auto [set, what] : {std::pair{enable_webrtc, "--enable-webrtc"}, std::pair{record, "--record"},
                           std::pair{!send_files.empty(), "--send-file"}, std::pair{!display_id.empty(), "--display-id"}})
    if (set) rt::log_warn("server", std::string(what) + " is accepted but not implemented yet; ignoring it");
  Endpoint ep = rt::listen_address(listen, "--listen", "WAVRY_SERVER_ALLOW_PUBLIC_BIND");
  std::optional<rt::Url> gw;
  if (!gateway_url.empty()) {
    auto u = rt::parse_url(gateway_url);
    if (!u) rt::exit_config_error("--gateway-url: " + u.error().message);
    if (session_token.empty()) rt::exit_config_error("--gateway-url needs --session-token");
    gw = *u;
  }

  rt::asio::io_context io;
  rt::OsRandom rng;
  host::HostConfig cfg;
  cfg.name = name;
  cfg.static_keys = crypto::X25519KeyPair::generate(rng);
  cfg.width = width;
  cfg.height = height;
  cfg.fps = fps;
  cfg.bitrate_kbps = bitrate;
  cfg.frame_bytes = frame_bytes;
  cfg.keyframe_interval = std::chrono::milliseconds(keyframe_ms);
  if (gw) cfg.signaling_token = session_token;
  host::HostCore core(cfg, rng);

  auto sock = rt::UdpSocket::bind(io, ep);
  if (!sock) rt::exit_config_error(sock.error().message);
  std::unique_ptr<rt::SignalingLink> signaling;
  std::function<void()> pump;  // drains every output of the core, then re-arms the timer
  rt::CoreTimer timer(io, [&] { return core.next_timeout(); }, [&](Instant now) {
    core.handle_timeout(now);
    pump();
  });
  pump = [&] {
    while (auto t = core.poll_transmit()) (*sock)->send(t->destination, t->payload);
    while (auto m = core.poll_signal())
      if (signaling) signaling->send(*m);
    while (auto e = core.poll_event()) {
      if (auto* c = std::get_if<host::PeerConnected>(&*e))
        rt::log_info("server", "client '" + c->client_name + "' connected via " + c->peer + "; streaming");
      else if (auto* g = std::get_if<host::PeerGone>(&*e))
        rt::log_info("server", "peer " + g->peer + " gone: " + g->reason);
      else if (auto* r = std::get_if<host::RelayReady>(&*e))
        rt::log_info("server", "relay " + r->relay + " accepted our lease for session " + r->session_id + " (client '" + r->client + "')");
      else if (auto* f = std::get_if<host::RelayFailed>(&*e))
        rt::log_warn("server", "relay refused session " + f->session_id + ": " + f->reason);
      else if (auto* s = std::get_if<host::SignalingStatus>(&*e))
        rt::log(s->error ? rt::LogLevel::warn : rt::LogLevel::info, "server", s->message);
    }
    timer.rearm();
  };
  (*sock)->start([&](const Endpoint& from, std::span<const std::uint8_t> d) {
    core.handle_datagram(rt::now(), host::kMediaSocket, from, d);
    pump();
  });
  rt::announce_listening("udp", (*sock)->local_endpoint());
  core.start(rt::now());
  if (gw) {
    signaling = rt::attach_signaling(io, *gw, core, pump, "server");
  }
  pump();

  auto finish = [&] {
    const auto& s = core.stats();
    rt::log_info("server", "summary: frames_sent=" + std::to_string(s.frames_sent) + " chunks_sent=" +
                               std::to_string(s.chunks_sent) + " media_bytes=" + std::to_string(s.media_bytes_sent) +
                               " clients_accepted=" + std::to_string(s.peers_accepted));
    if (signaling) signaling->stop();
    io.stop();
  };
  auto stop_timer = rt::stop_after(io, duration, [&] { finish(); });
  io.run();
  return 0;
}
