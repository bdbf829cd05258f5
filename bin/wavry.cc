// wavry: keygen, show-id, ping, version.
#include <CLI/CLI.hpp>

#include "wavry/crypto/identity.h"
#include "wavry/session/rift_session.h"
#include "wavry/runtime/udp.h"

using namespace wavry;
namespace rt = wavry::runtime;

namespace {

int keygen(const std::string& prefix) {
  rt::OsRandom rng;
  auto kp = crypto::Ed25519KeyPair::generate(rng);
  std::cout << "Generating Ed25519 keypair...\n";
  if (auto s = crypto::write_key_files(prefix, kp); !s) {
    std::cerr << "error: " << s.error().message << "\n";
    return 1;
  }
  std::cout << "Private key: " << prefix << ".key\n"
            << "Public key:  " << prefix << ".pub\n"
            << "Wavry ID:    " << crypto::wavry_id(kp.public_key()) << "\n";
  return 0;
}

int show_id(const std::string& path) {
  auto pk = crypto::read_public_key_file(path);
  if (!pk) {
    std::cerr << "error: " << pk.error().message << "\n";
    return 1;
  }
  std::cout << crypto::wavry_id(*pk) << "\n";
  return 0;
}

// An encrypted ping: a full Noise handshake with the host, then `count`
// pings over the session. Reports the handshake time and each RTT.
int ping(const std::string& server, int count, double timeout_s) {
  auto target = Endpoint::parse(server);
  if (!target || target->port == 0) {
    std::cerr << "error: --server must be ip:port, got '" << server << "'\n";
    return 2;
  }
  rt::asio::io_context io;
  rt::OsRandom rng;
  auto sock = rt::UdpSocket::bind(io, *Endpoint::parse(target->ip.is_v4() ? "0.0.0.0:0" : "[::]:0"));
  if (!sock) {
    std::cerr << "error: " << sock.error().message << "\n";
    return 1;
  }
  session::SessionConfig cfg;
  cfg.initiator = true;
  cfg.static_keys = crypto::X25519KeyPair::generate(rng);
  cfg.ping_interval = 200ms;
  cfg.handshake_retry = 250ms;
  session::RiftSession s(cfg, rng);
  Instant start = rt::now();
  int pongs = 0;
  bool done = false;
  std::function<void()> pump;  // drains every output of the core, then re-arms the timer
  rt::CoreTimer timer(io, [&] { return s.next_timeout(); }, [&](Instant now) {
    s.handle_timeout(now);
    pump();
  });
  pump = [&] {
    while (auto e = s.poll_event()) {
      if (std::holds_alternative<session::Established>(*e)) {
        std::cout << "Handshake with " << target->to_string() << ": " << to_millis(rt::now() - start) << " ms\n";
      } else if (auto* r = std::get_if<session::RttSample>(&*e)) {
        std::cout << "Response from " << target->to_string() << ": RTT=" << to_millis(r->rtt) << " ms\n";
        if (++pongs >= count) {
          rift::Message bye;
          bye.mutable_control()->mutable_disconnect()->set_reason("ping done");
          s.send(rt::now(), bye);
          done = true;
        }
      } else if (auto* c = std::get_if<session::Closed>(&*e)) {
        std::cout << "Session closed: " << c->reason << "\n";
        done = true;
      }
    }
    while (auto p = s.poll_packet()) (*sock)->send(*target, *p);
    if (done) io.stop();
    timer.rearm();
  };
  (*sock)->start([&](const Endpoint& from, std::span<const std::uint8_t> d) {
    if (from != *target) return;
    s.handle_packet(rt::now(), d);
    pump();
  });
  s.start(start);
  pump();
  rt::asio::steady_timer deadline(io);
  deadline.expires_after(std::chrono::milliseconds(static_cast<long>(timeout_s * 1000)));
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) {
      std::cout << "Ping timeout for " << target->to_string() << "\n";
      io.stop();
    }
  });
  io.run();
  return pongs > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wavry: identity and connectivity tools"};
  app.require_subcommand(1);
  std::string output = "wavry", key, server;
  int count = 3;
  double timeout = 5;
  auto* kg = app.add_subcommand("keygen", "generate an Ed25519 identity: <prefix>.key (0600) and <prefix>.pub");
  kg->add_option("-o,--output", output, "file prefix")->capture_default_str();
  auto* sid = app.add_subcommand("show-id", "print the Wavry ID of a public key file");
  sid->add_option("-k,--key", key, "public key file")->required();
  auto* pg = app.add_subcommand("ping", "encrypted RIFT ping of a wavry-server");
  pg->add_option("-s,--server", server, "host:port")->required();
  pg->add_option("-c,--count", count, "pings to send")->check(CLI::Range(1, 1000))->capture_default_str();
  pg->add_option("--timeout", timeout, "seconds to wait")->check(CLI::Range(0.1, 600.0))->capture_default_str();
  auto* ver = app.add_subcommand("version", "print the version");
  CLI11_PARSE(app, argc, argv);
  if (*kg) return keygen(output);
  if (*sid) return show_id(key);
  if (*pg) return ping(server, count, timeout);
  if (*ver) {
    std::cout << "wavry " << WAVRY_VERSION << "\n";
    return 0;
  }
  return 0;
}
