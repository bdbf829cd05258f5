// Runs a scenario inside ns-3: the production cores (master, relay, gateway,
// host, client) on five simulated nodes, driven by the sim drivers. The
// event trace (every delivery and every core event, with its simulated time)
// is hashed into a digest; invariants are checked after every relay step.
#include <sodium.h>

#include <cstdio>
#include <fstream>

#include "wavry/client/client_core.h"
#include "wavry/core/bytes.h"
#include "wavry/crypto/identity.h"
#include "wavry/gateway/gateway_core.h"
#include "wavry/harness/runners.h"
#include "wavry/host/host_core.h"
#include "wavry/master/master_core.h"
#include "wavry/proto/relay_packet.h"
#include "wavry/relay/relay_core.h"
#include "wavry/sim/drivers.h"

namespace wavry::harness {

namespace {

constexpr std::uint16_t kMasterPort = 8080, kGatewayPort = 3000, kRelayPort = 4000, kHostPort = 5000,
                        kClientPort = 6000;
// Every simulated node's wall clock reads this at simulated time zero.
constexpr UnixTime kSimWallEpoch = UnixTime::from_seconds(1'767'225'600);  // 2026-01-01T00:00:00Z

class Trace {
 public:
  explicit Trace(const std::string& path) {
    crypto_hash_sha256_init(&st_);
    if (!path.empty()) file_.open(path);
  }
  void add(Instant at, const std::string& what, std::span<const std::uint8_t> bytes = {}) {
    std::string line = std::to_string(at.nanos()) + " " + what + " len=" + std::to_string(bytes.size()) + "\n";
    crypto_hash_sha256_update(&st_, reinterpret_cast<const unsigned char*>(line.data()), line.size());
    crypto_hash_sha256_update(&st_, bytes.data(), bytes.size());
    if (file_) file_ << line;
    ++events_;
  }
  std::string digest() {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st_, out);
    return to_hex(std::span(out, sizeof out));
  }
  std::uint64_t events() const { return events_; }

 private:
  crypto_hash_sha256_state st_;
  std::ofstream file_;
  std::uint64_t events_ = 0;
};

// Hosts a host or client core on a node: its UDP socket, its timer and, from
// `start_at`, its signaling connection to the gateway.
template <class Core, class OnEvent>
class PeerDriver {
 public:
  PeerDriver(sim::Network& net, sim::NodeId node, std::uint16_t port, Endpoint gateway, Core& core, OnEvent on_event)
      : net_(net), node_(node), port_(port), gateway_(gateway), core_(core), on_event_(std::move(on_event)),
        timer_(net, [this] { return core_.next_timeout(); }, [this](Instant now) {
          core_.handle_timeout(now);
          pump();
        }) {
    net_.udp_bind(node_, port_, [this](const Endpoint& from, std::span<const std::uint8_t> d) {
      core_.handle_datagram(net_.now(), SocketId{0}, from, d);
      pump();
    });
  }

  void start_at(Instant at) {
    net_.schedule(at, [this] {
      core_.start(net_.now());
      ws_ = std::make_unique<sim::SimWsClient>(
          net_, node_, gateway_, "/ws",
          [this] {
            core_.signaling_connected(net_.now());
            pump();
          },
          [this](std::string text) {
            if (auto m = proto::parse_signal(text)) core_.handle_signal(net_.now(), *m);
            pump();
          });
      pump();
    });
  }

 private:
  void pump() {
    while (auto t = core_.poll_transmit()) net_.udp_send(node_, port_, t->destination, t->payload);
    while (auto m = core_.poll_signal())
      if (ws_) ws_->send(proto::serialize_signal(*m));
    while (auto e = core_.poll_event()) on_event_(*e);
    timer_.rearm();
  }

  sim::Network& net_;
  sim::NodeId node_;
  std::uint16_t port_;
  Endpoint gateway_;
  Core& core_;
  OnEvent on_event_;
  sim::SimTimer timer_;
  std::unique_ptr<sim::SimWsClient> ws_;
};

}  // namespace

SimResult run_sim(const Scenario& s, std::uint64_t seed, const std::string& trace_path) {
  if (sodium_init() < 0) std::abort();
  SimResult result;
  Outcome& out = result.outcome;
  Trace trace(trace_path);
  auto net = sim::Network::create(seed);
  std::map<std::string, sim::NodeId> node;
  for (const auto& c : kComponents) node[c] = net->add_node(c, s.links.at(c));
  net->build();
  net->set_trace([&](Instant at, const std::string& what, std::span<const std::uint8_t> b) { trace.add(at, what, b); });
  auto addr = [&](const char* c, std::uint16_t port) { return Endpoint{net->address(node[c]), port}; };
  SeededRandom root(seed);
  SeededRandom master_rng = root.derive(1), gateway_rng = root.derive(3), host_rng = root.derive(4),
               client_rng = root.derive(5), relay_rng = root.derive(2);
  Instant t0 = net->now();
  WallClock wall(t0, kSimWallEpoch);
  const std::string broker_token = "sim-broker-token";
  const std::string dev_token = "sim-dev-token";

  // --- master ---
  master::MasterConfig mcfg{};
  mcfg.signing_key = crypto::Ed25519KeyPair::generate(master_rng);
  mcfg.key_provisioned = true;
  mcfg.broker_token = broker_token;
  master::MasterCore master(mcfg, wall);
  std::function<void()> master_pump;
  sim::SimTimer master_timer(*net, [&] { return master.next_timeout(); }, [&](Instant now) {
    master.handle_timeout(now);
    master_pump();
  });
  master_pump = [&] {
    while (auto e = master.poll_event()) {
      if (auto* l = std::get_if<master::LeasesIssued>(&*e)) trace.add(net->now(), "master leases " + l->session_id);
    }
    master_timer.rearm();
  };
  sim::SimHttpServer master_http(*net, node["master"], kMasterPort, [&](const proto::HttpRequest& req) {
    auto r = master.handle_request(net->now(), req);
    master_pump();
    return r;
  });

  // --- relay ---
  relay::RelayConfig rcfg;
  rcfg.relay_id = Uuid::random_v4(relay_rng).to_string();
  rcfg.advertised = addr("relay", kRelayPort);
  rcfg.master_key = mcfg.signing_key.public_key();
  relay::RelayCore relay(rcfg, wall);
  // Invariant: a FORWARD leaves the relay only towards a peer whose lease the
  // relay acknowledged for that session, and only before that lease expires.
  std::map<std::pair<Uuid, Endpoint>, std::uint64_t> acked;  // -> expiry (Unix ms)
  std::function<void()> relay_pump;
  sim::SimTimer relay_timer(*net, [&] { return relay.next_timeout(); }, [&](Instant now) {
    relay.handle_timeout(now);
    relay_pump();
  });
  relay_pump = [&] {
    while (auto t = relay.poll_transmit()) {
      auto h = proto::decode_relay_header(t->payload);
      if (h && h->type == proto::RelayType::lease_ack) {
        auto ack = proto::decode_lease_ack(std::span(t->payload).subspan(proto::kRelayHeader));
        if (ack) acked[{h->session, t->destination}] = ack->expires_unix_ms;
      } else if (h && h->type == proto::RelayType::forward) {
        auto it = acked.find({h->session, t->destination});
        auto now_ms = static_cast<std::uint64_t>(wall.at(net->now()).millis());
        if (it == acked.end() || it->second <= now_ms)
          out.invariant_violations.push_back("relay forwarded to " + t->destination.to_string() + " without a valid lease");
      }
      net->udp_send(node["relay"], kRelayPort, t->destination, t->payload);
    }
    while (auto c = relay.poll_call()) {
      sim::sim_http_call(*net, node["relay"], addr("master", kMasterPort), c->request, [&, id = c->id](proto::CallResult r) {
        r.id = id;
        relay.handle_call_result(net->now(), r);
        relay_pump();
      });
    }
    while (auto e = relay.poll_event()) {
      if (auto* a = std::get_if<relay::PeerAdmitted>(&*e))
        trace.add(net->now(), std::string("relay admitted ") + proto::to_string(a->role) + " " + a->sub);
      else if (auto* r = std::get_if<relay::LeaseRejected>(&*e))
        trace.add(net->now(), std::string("relay rejected ") + proto::to_string(r->reason));
    }
    relay_timer.rearm();
  };
  net->udp_bind(node["relay"], kRelayPort, [&](const Endpoint& from, std::span<const std::uint8_t> d) {
    relay.handle_datagram(net->now(), relay::kRelaySocket, from, d);
    relay_pump();
  });

  // --- gateway ---
  gateway::GatewayConfig gcfg;
  gcfg.allow_insecure_signaling = true;
  gcfg.dev_token = dev_token;
  gcfg.master_broker_token = broker_token;
  gateway::GatewayCore gateway(gcfg, gateway_rng);
  std::unique_ptr<sim::SimHttpServer> gateway_http;
  std::function<void()> gateway_pump;
  sim::SimTimer gateway_timer(*net, [&] { return gateway.next_timeout(); }, [&](Instant now) {
    gateway.handle_timeout(now);
    gateway_pump();
  });
  gateway_pump = [&] {
    while (auto w = gateway.poll_ws_send()) gateway_http->ws_send(w->conn, std::move(w->text), w->close_after);
    while (auto c = gateway.poll_call()) {
      sim::sim_http_call(*net, node["gateway"], addr("master", kMasterPort), c->request, [&, id = c->id](proto::CallResult r) {
        r.id = id;
        gateway.handle_call_result(net->now(), r);
        gateway_pump();
      });
    }
    while (auto e = gateway.poll_event()) {
      if (auto* b = std::get_if<gateway::RelayBrokered>(&*e)) trace.add(net->now(), "gateway brokered " + b->session_id);
    }
    gateway_timer.rearm();
  };
  gateway_http = std::make_unique<sim::SimHttpServer>(
      *net, node["gateway"], kGatewayPort,
      [&](const proto::HttpRequest& req) { return gateway.handle_request(net->now(), req); },
      sim::SimWsHandlers{"/ws",
                         [&](sim::ConnId c) {
                           bool ok = gateway.handle_ws_open(net->now(), c);
                           gateway_pump();
                           return ok;
                         },
                         [&](sim::ConnId c, std::string text) {
                           gateway.handle_ws_message(net->now(), c, text);
                           gateway_pump();
                         },
                         [&](sim::ConnId c) {
                           gateway.handle_ws_close(net->now(), c);
                           gateway_pump();
                         }});

  // --- host and client: the same wiring around different cores ---
  host::HostConfig hcfg;
  hcfg.name = s.host_name;
  hcfg.static_keys = crypto::X25519KeyPair::generate(host_rng);
  hcfg.fps = s.fps;
  hcfg.frame_bytes = s.frame_bytes;
  hcfg.signaling_token = dev_token;
  host::HostCore host(hcfg, host_rng);
  PeerDriver host_driver(*net, node["host"], kHostPort, addr("gateway", kGatewayPort), host, [&](const host::HostEvent& e) {
    if (auto* c = std::get_if<host::PeerConnected>(&e)) trace.add(net->now(), "host peer " + c->client_name);
    else if (auto* g = std::get_if<host::PeerGone>(&e)) trace.add(net->now(), "host peer gone " + g->reason);
  });
  host_driver.start_at(t0 + std::chrono::milliseconds(static_cast<long>(s.host_start_s * 1000)));

  client::ClientConfig ccfg;
  ccfg.name = s.client_name;
  ccfg.static_keys = crypto::X25519KeyPair::generate(client_rng);
  ccfg.target_host = s.host_name;
  ccfg.signaling_token = dev_token;
  client::ClientCore client(ccfg, client_rng);
  PeerDriver client_driver(*net, node["client"], kClientPort, addr("gateway", kGatewayPort), client, [&](const client::ClientEvent& e) {
    if (std::holds_alternative<client::HandshakeDone>(e)) {
      trace.add(net->now(), "client handshake done");
    } else if (auto* f = std::get_if<client::ClientFailed>(&e)) {
      trace.add(net->now(), "client failed " + f->reason);
      out.notes.push_back("client: " + f->reason);
    }
  });
  client_driver.start_at(t0 + std::chrono::milliseconds(static_cast<long>(s.client_start_s * 1000)));

  net->schedule(t0, [&] {
    relay.start(net->now());
    relay_pump();
  });
  net->run_until(t0 + std::chrono::milliseconds(static_cast<long>(s.duration_s * 1000)));

  // --- collect ---
  const auto& cs = client.stats();
  out.handshake = cs.handshake_done.has_value();
  if (cs.handshake_done && cs.started) out.handshake_ms = to_millis(*cs.handshake_done - *cs.started);
  out.relayed = client.relayed();
  out.frames = cs.frames;
  out.frames_corrupt = cs.frames_corrupt;
  out.frames_out_of_order = cs.frames_out_of_order;
  out.media_bytes = cs.media_bytes;
  if (const auto* ss = client.session_stats()) {
    out.pongs = ss->pongs_received;
    if (ss->pongs_received) out.rtt_avg_ms = to_millis(ss->rtt_sum) / static_cast<double>(ss->pongs_received);
    if (ss->min_rtt) out.rtt_min_ms = to_millis(*ss->min_rtt);
    if (ss->max_rtt) out.rtt_max_ms = to_millis(*ss->max_rtt);
  }
  out.host_frames_sent = host.stats().frames_sent;
  const auto& rc = relay.counters();
  out.relay_forwarded_packets = rc.packets_forwarded;
  out.relay_forwarded_bytes = rc.bytes_forwarded;
  out.relay_leases_accepted = rc.lease_accepted;
  out.relay_lease_rejects = rc.lease_rejects();
  result.packets_lost = net->packets_lost();
  result.trace_events = trace.events();
  result.digest = trace.digest();
  return result;
}

}  // namespace wavry::harness
