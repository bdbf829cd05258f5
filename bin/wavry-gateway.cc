// wavry-gateway: signaling WebSocket and relay-session broker.
#include <CLI/CLI.hpp>

#include "wavry/gateway/gateway_core.h"
#include "wavry/runtime/http_client.h"
#include "wavry/runtime/http_server.h"

using namespace wavry;
namespace rt = wavry::runtime;

int main(int argc, char** argv) {
  CLI::App app{"wavry-gateway: signaling and relay broker"};
  std::string listen = "127.0.0.1:3000", master_url = "http://127.0.0.1:8080", log_level = "info";
  app.add_option("--listen", listen, "HTTP/WebSocket address (port 0 picks a free port)")
      ->envname("WAVRY_GATEWAY_BIND_ADDR")->capture_default_str();
  app.add_option("--master-url", master_url, "master base URL (leases)")->envname("WAVRY_MASTER_URL")->capture_default_str();
  app.add_option("--log-level", log_level, "error|warn|info|debug")->capture_default_str();
  app.footer(
      "Environment:\n"
      "  WAVRY_ALLOW_INSECURE_SIGNALING=1  accept development tokens in BIND (accounts arrive later)\n"
      "  WAVRY_GATEWAY_DEV_TOKEN           if set, the one development token BIND accepts\n"
      "  WAVRY_MASTER_BROKER_TOKEN         bearer token for the master's /v1/leases\n"
      "  WAVRY_GATEWAY_ALLOW_PUBLIC_BIND=1 allow a non-loopback --listen");
  CLI11_PARSE(app, argc, argv);

  rt::init_logging(log_level);
  Endpoint ep = rt::listen_address(listen, "--listen", "WAVRY_GATEWAY_ALLOW_PUBLIC_BIND");
  auto murl = rt::parse_url(master_url);
  if (!murl) rt::exit_config_error("--master-url: " + murl.error().message);
  gateway::GatewayConfig cfg;
  cfg.allow_insecure_signaling = rt::env_flag("WAVRY_ALLOW_INSECURE_SIGNALING");
  cfg.dev_token = rt::env_string("WAVRY_GATEWAY_DEV_TOKEN").value_or("");
  cfg.master_broker_token = rt::env_string("WAVRY_MASTER_BROKER_TOKEN").value_or("");
  if (cfg.allow_insecure_signaling)
    rt::log_warn("gateway", "INSECURE: development tokens are accepted in BIND (WAVRY_ALLOW_INSECURE_SIGNALING=1)");
  else
    rt::log_info("gateway", "BIND is refused until accounts exist; set WAVRY_ALLOW_INSECURE_SIGNALING=1 for development");

  rt::asio::io_context io;
  rt::OsRandom rng;
  gateway::GatewayCore core(cfg, rng);
  std::unique_ptr<rt::HttpServer> server;
  std::function<void()> pump;  // drains every output of the core, then re-arms the timer
  rt::CoreTimer timer(io, [&] { return core.next_timeout(); }, [&](Instant now) {
    core.handle_timeout(now);
    pump();
  });
  pump = [&] {
    while (auto s = core.poll_ws_send()) server->ws_send(s->conn, std::move(s->text), s->close_after);
    rt::perform_calls(io, *murl, core, pump);
    while (auto e = core.poll_event()) {
      if (auto* b = std::get_if<gateway::PeerBound>(&*e))
        rt::log_info("gateway", std::string(proto::to_string(b->role)) + " '" + b->name + "' bound");
      else if (auto* r = std::get_if<gateway::RelayBrokered>(&*e))
        rt::log_info("gateway", "relay session " + r->session_id + " via " + r->relay_addr + ": " + r->client + " -> " + r->host);
      else if (auto* f = std::get_if<gateway::BrokerFailed>(&*e))
        rt::log_warn("gateway", "no relay for " + f->client + " -> " + f->host + ": " + f->reason);
    }
    timer.rearm();
  };
  rt::WsHandlers ws{"/ws",
                    [&](std::uint64_t c) {
                      bool ok = core.handle_ws_open(rt::now(), c);
                      pump();
                      return ok;
                    },
                    [&](std::uint64_t c, std::string text) {
                      core.handle_ws_message(rt::now(), c, text);
                      pump();
                    },
                    [&](std::uint64_t c) {
                      core.handle_ws_close(rt::now(), c);
                      pump();
                    }};
  auto s = rt::HttpServer::bind(
      io, ep, [&](const proto::HttpRequest& req) { return core.handle_request(rt::now(), req); }, ws);
  if (!s) rt::exit_config_error(s.error().message);
  server = std::move(*s);
  rt::announce_listening("http", server->local_endpoint());
  rt::on_termination_signal(io, [&](int) {
    rt::log_info("gateway", "shutting down");
    server->ws_close_all();
    io.stop();
  });
  io.run();
  return 0;
}
