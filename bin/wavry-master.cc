// wavry-master: relay registry, relay selection and lease issuance over HTTP.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "wavry/crypto/identity.h"
#include "wavry/master/master_core.h"
#include "wavry/runtime/http_server.h"

using namespace wavry;
namespace rt = wavry::runtime;

int main(int argc, char** argv) {
  CLI::App app{"wavry-master: relay registry and lease authority"};
  std::string listen = "127.0.0.1:8080", log_level = "info";
  bool insecure_dev = false;
  int lease_ttl = 300;
  app.add_option("--listen", listen, "HTTP address (port 0 picks a free port)")->capture_default_str();
  app.add_option("--log-level", log_level, "error|warn|info|debug")->capture_default_str();
  app.add_flag("--insecure-dev", insecure_dev,
               "run with a throwaway signing key when none is provisioned (never ready; development only)");
  app.add_option("--lease-ttl-secs", lease_ttl, "lease lifetime, 60..3600")
      ->envname("WAVRY_MASTER_LEASE_TTL_SECS")->check(CLI::Range(60, 3600))->capture_default_str();
  app.footer(
      "Environment:\n"
      "  WAVRY_MASTER_KEY_FILE          Ed25519 signing key (raw 32-byte seed as written by `wavry keygen`, or hex)\n"
      "  WAVRY_MASTER_SIGNING_KEY       the same key as hex (seed or seed||public key)\n"
      "  WAVRY_MASTER_BROKER_TOKEN      bearer token the gateway presents to obtain leases\n"
      "  WAVRY_MASTER_RELAY_TOKEN       bearer token relays present to register (unset: open registration)\n"
      "  WAVRY_MASTER_ALLOW_PUBLIC_BIND=1  allow a non-loopback --listen");
  CLI11_PARSE(app, argc, argv);

  rt::init_logging(log_level);
  Endpoint ep = rt::listen_address(listen, "--listen", "WAVRY_MASTER_ALLOW_PUBLIC_BIND");

  master::MasterConfig cfg{};
  cfg.lease_ttl = std::chrono::seconds(lease_ttl);
  if (auto hex = rt::env_string("WAVRY_MASTER_SIGNING_KEY")) {
    auto kp = crypto::parse_private_key_text(*hex);
    if (!kp) rt::exit_config_error("WAVRY_MASTER_SIGNING_KEY: " + kp.error().message);
    cfg.signing_key = *kp;
    cfg.key_provisioned = true;
  } else if (auto path = rt::env_string("WAVRY_MASTER_KEY_FILE")) {
    auto kp = crypto::read_private_key_file(*path);
    if (!kp) rt::exit_config_error("WAVRY_MASTER_KEY_FILE: " + kp.error().message);
    cfg.signing_key = *kp;
    cfg.key_provisioned = true;
  } else if (insecure_dev) {
    rt::OsRandom rng;
    cfg.signing_key = crypto::Ed25519KeyPair::generate(rng);
    rt::log_warn("master", "INSECURE: no signing key provisioned; using a throwaway key (relays must be told it, /ready stays 503)");
  } else {
    rt::exit_config_error(
        "no signing key: set WAVRY_MASTER_KEY_FILE (see `wavry keygen`) or WAVRY_MASTER_SIGNING_KEY,\n"
        "       or pass --insecure-dev for a throwaway development key");
  }
  cfg.broker_token = rt::env_string("WAVRY_MASTER_BROKER_TOKEN").value_or("");
  cfg.relay_token = rt::env_string("WAVRY_MASTER_RELAY_TOKEN").value_or("");
  if (cfg.broker_token.empty()) rt::log_warn("master", "WAVRY_MASTER_BROKER_TOKEN is not set: lease issuance is disabled");
  if (cfg.relay_token.empty()) rt::log_warn("master", "WAVRY_MASTER_RELAY_TOKEN is not set: any relay may register");

  rt::asio::io_context io;
  master::MasterCore core(cfg, rt::wall_clock());
  std::function<void()> pump;  // drains every output of the core, then re-arms the timer
  rt::CoreTimer timer(io, [&] { return core.next_timeout(); }, [&](Instant now) {
    core.handle_timeout(now);
    pump();
  });
  pump = [&] {
    while (auto e = core.poll_event()) {
      if (auto* r = std::get_if<master::RelayRegistered>(&*e))
        rt::log_info("master", "relay " + r->relay_id + " registered at " + r->endpoint);
      else if (auto* f = std::get_if<master::RelayForgotten>(&*e))
        rt::log_info("master", "relay " + f->relay_id + " forgotten (silent)");
      else if (auto* l = std::get_if<master::LeasesIssued>(&*e))
        rt::log_info("master", "leases for session " + l->session_id + " on relay " + l->relay_id + " (host " +
                                   l->host_name + ", client " + l->client_name + ")");
    }
    timer.rearm();
  };
  auto server = rt::HttpServer::bind(io, ep, [&](const proto::HttpRequest& req) {
    Instant now = rt::now();
    core.sync_wall_clock(now, rt::wall_now());
    auto resp = core.handle_request(now, req);
    pump();
    return resp;
  });
  if (!server) rt::exit_config_error(server.error().message);
  rt::log_info("master", "signing key id " + core.key_id() + " (Wavry ID " + crypto::wavry_id(cfg.signing_key.public_key()) + ")");
  rt::announce_listening("http", (*server)->local_endpoint());
  rt::on_termination_signal(io, [&](int) {
    rt::log_info("master", "shutting down");
    io.stop();
  });
  io.run();
  return 0;
}
