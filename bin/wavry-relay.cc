// wavry-relay: lease-gated UDP forwarder. Registers with the master,
// heartbeats, admits peers only with a valid lease, serves /health /ready /metrics.
#include <CLI/CLI.hpp>

#include "wavry/core/bytes.h"
#include "wavry/core/uuid.h"
#include "wavry/crypto/identity.h"
#include "wavry/relay/relay_core.h"
#include "wavry/runtime/http_client.h"
#include "wavry/runtime/http_server.h"
#include "wavry/runtime/udp.h"

using namespace wavry;
namespace rt = wavry::runtime;

int main(int argc, char** argv) {
  CLI::App app{"wavry-relay: lease-gated UDP relay"};
  std::string listen = "127.0.0.1:4000", master_url = "http://127.0.0.1:8080", health_listen = "127.0.0.1:9091";
  std::string master_key_text, region, log_level = "info", public_addr;
  std::uint32_t max_sessions = 100, idle_timeout = 60, ip_pps = 1000, cleanup_secs = 10, lease_secs = 300,
                stats_secs = 30, asn = 0, max_bitrate = 20000;
  bool insecure_dev = false;
  app.add_option("--listen", listen, "UDP address for peers (port 0 picks a free port)")
      ->envname("WAVRY_RELAY_LISTEN")->capture_default_str();
  app.add_option("--master-url", master_url, "master base URL")->envname("WAVRY_RELAY_MASTER_URL")->capture_default_str();
  app.add_option("--max-sessions", max_sessions, "session table bound")
      ->envname("WAVRY_RELAY_MAX_SESSIONS")->check(CLI::Range(1u, 1000000u))->capture_default_str();
  app.add_option("--idle-timeout", idle_timeout, "seconds without traffic before a session is dropped")
      ->envname("WAVRY_RELAY_IDLE_TIMEOUT")->check(CLI::Range(1u, 86400u))->capture_default_str();
  app.add_option("--master-public-key", master_key_text, "master's Ed25519 public key (hex or Wavry ID); pins lease verification")
      ->envname("WAVRY_RELAY_MASTER_PUBLIC_KEY");
  app.add_flag("--allow-insecure-dev", insecure_dev,
               "trust the key the master sends at registration (needs WAVRY_ALLOW_INSECURE_RELAY=1)")
      ->envname("WAVRY_RELAY_ALLOW_INSECURE_DEV");
  app.add_option("--ip-rate-limit-pps", ip_pps, "per-source packet rate limit (enforced from the relay issue on)")
      ->envname("WAVRY_RELAY_IP_RATE_LIMIT_PPS")->check(CLI::Range(1u, 10000000u))->capture_default_str();
  app.add_option("--cleanup-interval-secs", cleanup_secs, "how often expired and idle sessions are removed")
      ->envname("WAVRY_RELAY_CLEANUP_INTERVAL_SECS")->check(CLI::Range(1u, 3600u))->capture_default_str();
  app.add_option("--lease-duration-secs", lease_secs, "upper bound on a session without a fresh lease (the lease's own expiry governs)")
      ->envname("WAVRY_RELAY_LEASE_DURATION_SECS")->check(CLI::Range(1u, 86400u))->capture_default_str();
  app.add_option("--stats-log-interval-secs", stats_secs, "period of the summary log line")
      ->envname("WAVRY_RELAY_STATS_LOG_INTERVAL_SECS")->check(CLI::Range(5u, 86400u))->capture_default_str();
  app.add_option("--region", region, "region label sent to the master")->envname("WAVRY_RELAY_REGION");
  app.add_option("--asn", asn, "autonomous system number sent to the master")->envname("WAVRY_RELAY_ASN");
  app.add_option("--max-bitrate-kbps", max_bitrate, "advertised capacity")
      ->envname("WAVRY_RELAY_MAX_BITRATE")->capture_default_str();
  app.add_option("--health-listen", health_listen, "HTTP address for /health /ready /metrics")
      ->envname("WAVRY_RELAY_HEALTH_LISTEN")->capture_default_str();
  app.add_option("--public-addr", public_addr, "address advertised to the master (default: the bound UDP address)")
      ->envname("WAVRY_RELAY_PUBLIC_ADDR");
  app.add_option("--log-level", log_level, "error|warn|info|debug")->capture_default_str();
  app.footer("Environment: WAVRY_RELAY_MASTER_TOKEN (bearer for registration), WAVRY_RELAY_ALLOW_PUBLIC_BIND=1\n"
             "(non-loopback --listen/--health-listen), WAVRY_ALLOW_INSECURE_RELAY=1 (with --allow-insecure-dev).");
  CLI11_PARSE(app, argc, argv);

  rt::init_logging(log_level);
  Endpoint udp_ep = rt::listen_address(listen, "--listen", "WAVRY_RELAY_ALLOW_PUBLIC_BIND");
  Endpoint health_ep = rt::listen_address(health_listen, "--health-listen", "WAVRY_RELAY_ALLOW_PUBLIC_BIND");
  auto murl = rt::parse_url(master_url);
  if (!murl) rt::exit_config_error("--master-url: " + murl.error().message);

  relay::RelayConfig cfg;
  if (!master_key_text.empty()) {
    crypto::PublicKey pk;
    std::vector<std::uint8_t> raw;
    if (auto id = crypto::parse_wavry_id(master_key_text)) {
      pk = *id;
    } else if (from_hex(master_key_text, raw) && raw.size() == 32 &&
               (std::copy(raw.begin(), raw.end(), pk.begin()), crypto::parse_wavry_id(crypto::wavry_id(pk)))) {
      // hex of a valid key: pk holds it
    } else {
      rt::exit_config_error("--master-public-key must be 64 hex characters or a 43-character Wavry ID of a valid Ed25519 key");
    }
    cfg.master_key = pk;
  } else if (insecure_dev) {
    if (!rt::env_flag("WAVRY_ALLOW_INSECURE_RELAY"))
      rt::exit_config_error("--allow-insecure-dev also needs WAVRY_ALLOW_INSECURE_RELAY=1");
    cfg.trust_master_key_from_registration = true;
    rt::log_warn("relay", "INSECURE: trusting the master key sent at registration over plain HTTP");
  } else {
    rt::exit_config_error("--master-public-key is required (the master prints it; GET /.well-known/wavry-id)");
  }

  rt::asio::io_context io;
  rt::OsRandom rng;
  auto sock = rt::UdpSocket::bind(io, udp_ep);
  if (!sock) rt::exit_config_error(sock.error().message);
  Endpoint bound = (*sock)->local_endpoint();
  if (!public_addr.empty()) {
    auto pa = Endpoint::parse(public_addr);
    if (!pa) rt::exit_config_error("--public-addr must be ip:port");
    cfg.advertised = *pa;
  } else if (bound.ip.is_unspecified()) {
    rt::exit_config_error("bound to a wildcard address: pass --public-addr with the address peers should use");
  } else {
    cfg.advertised = bound;
  }
  cfg.relay_id = Uuid::random_v4(rng).to_string();
  cfg.master_token = rt::env_string("WAVRY_RELAY_MASTER_TOKEN").value_or("");
  cfg.max_sessions = max_sessions;
  cfg.idle_timeout = std::chrono::seconds(idle_timeout);
  cfg.cleanup_interval = std::chrono::seconds(cleanup_secs);
  cfg.region = region;
  cfg.asn = asn;
  cfg.max_bitrate_kbps = max_bitrate;

  relay::RelayCore core(cfg, rt::wall_clock());
  std::function<void()> pump;  // drains every output of the core, then re-arms the timer
  rt::CoreTimer timer(io, [&] { return core.next_timeout(); }, [&](Instant now) {
    core.handle_timeout(now);
    pump();
  });
  pump = [&] {
    while (auto t = core.poll_transmit()) (*sock)->send(t->destination, t->payload);
    rt::perform_calls(io, *murl, core, pump);
    while (auto e = core.poll_event()) {
      if (auto* a = std::get_if<relay::PeerAdmitted>(&*e))
        rt::log_info("relay", std::string("admitted ") + proto::to_string(a->role) + " '" + a->sub + "' from " +
                                  a->from.to_string() + " for session " + a->session.to_string());
      else if (auto* r = std::get_if<relay::LeaseRejected>(&*e))
        // Per packet, so debug: anyone can send junk; the stats line carries the count.
        rt::log_debug("relay", std::string("rejected lease from ") + r->from.to_string() + ": " +
                                   proto::to_string(r->reason) + " (" + r->detail + ")");
      else if (auto* s = std::get_if<relay::SessionEnded>(&*e))
        rt::log_info("relay", "session " + s->session.to_string() + " ended: " + s->reason);
      else if (auto* m = std::get_if<relay::MasterRegistered>(&*e))
        rt::log_info("relay", "registered with the master as " + cfg.relay_id + " (master key id " + m->key_id + ")");
      else if (auto* u = std::get_if<relay::MasterUnreachable>(&*e))
        rt::log_warn("relay", "master: " + u->detail);
    }
    timer.rearm();
  };
  (*sock)->start([&](const Endpoint& from, std::span<const std::uint8_t> d) {
    core.handle_datagram(rt::now(), relay::kRelaySocket, from, d);
    pump();
  });
  auto health = rt::HttpServer::bind(io, health_ep, [&](const proto::HttpRequest& req) {
    return core.handle_http(rt::now(), req);
  });
  if (!health) rt::exit_config_error(health.error().message);

  rt::asio::steady_timer stats_timer(io);
  std::function<void()> stats_tick = [&] {
    stats_timer.expires_after(std::chrono::seconds(stats_secs));
    stats_timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      core.sync_wall_clock(rt::now(), rt::wall_now());
      const auto& c = core.counters();
      rt::log_info("relay", "stats sessions=" + std::to_string(core.session_count()) +
                                " active=" + std::to_string(core.active_session_count()) +
                                " rx=" + std::to_string(c.packets_rx) + " forwarded=" + std::to_string(c.packets_forwarded) +
                                " forwarded_bytes=" + std::to_string(c.bytes_forwarded) +
                                " leases_accepted=" + std::to_string(c.lease_accepted) +
                                " leases_rejected=" + std::to_string(c.lease_rejects()) +
                                " invalid=" + std::to_string(c.dropped_invalid));
      stats_tick();
    });
  };
  stats_tick();

  rt::announce_listening("udp", bound);
  rt::announce_listening("health", (*health)->local_endpoint());
  rt::log_info("relay", "relay " + cfg.relay_id + " advertising " + cfg.advertised.to_string() + " to " + master_url);
  core.start(rt::now());
  pump();
  rt::on_termination_signal(io, [&](int) {
    const auto& c = core.counters();
    rt::log_info("relay", "shutting down: forwarded " + std::to_string(c.packets_forwarded) + " packets, " +
                              std::to_string(c.bytes_forwarded) + " bytes");
    io.stop();
  });
  io.run();
  return 0;
}
