// Host and client cores driven through their sans-IO interfaces on a fake
// clock, with an in-memory datagram loop between them (and a real relay
// core in the relayed case). No sockets, no threads.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "wavry/client/client_core.h"
#include "wavry/lease/lease.h"
#include "wavry/host/host_core.h"
#include "wavry/proto/lease_claims.h"
#include "wavry/proto/rift_packet.h"
#include "wavry/relay/relay_core.h"

using namespace wavry;
using proto::PeerRole;

namespace {

const Endpoint kHost = *Endpoint::parse("10.0.0.2:5000");
const Endpoint kClient = *Endpoint::parse("10.0.0.3:6000");
const Endpoint kRelay = *Endpoint::parse("10.0.0.1:4000");

// Anything with handle_datagram/handle_timeout/poll_transmit/next_timeout.
struct Node {
  std::function<void(Instant, const Endpoint&, std::span<const std::uint8_t>)> deliver;
  std::function<void(Instant)> timeout;
  std::function<std::optional<Transmit>()> poll;
  std::function<std::optional<Instant>()> next;
};

struct World {
  Instant now = Instant::from_nanos(1'000'000'000);
  std::map<Endpoint, Node> nodes;
  std::function<bool(const Endpoint& from, const Endpoint& to, const Bytes& payload)> drop = [](auto&, auto&, auto&) {
    return false;
  };
  std::uint64_t delivered = 0;
  std::size_t max_datagram = 0;

  void flush() {
    for (int guard = 0; guard < 100000; ++guard) {
      bool moved = false;
      for (auto& [ep, n] : nodes) {
        while (auto t = n.poll()) {
          moved = true;
          max_datagram = std::max(max_datagram, t->payload.size());
          auto dst = nodes.find(t->destination);
          if (dst == nodes.end() || drop(ep, t->destination, t->payload)) continue;
          ++delivered;
          dst->second.deliver(now, ep, t->payload);
        }
      }
      if (!moved) return;
    }
  }
  void run_for(Duration d) {
    Instant end = now + d;
    flush();
    while (true) {
      std::optional<Instant> next;
      for (auto& [ep, n] : nodes)
        if (auto t = n.next(); t && (!next || *t < *next)) next = t;
      if (!next || *next > end) break;
      now = std::max(now, *next);
      for (auto& [ep, n] : nodes)
        if (auto t = n.next(); t && *t <= now) n.timeout(now);
      flush();
    }
    now = end;
  }
  template <class Core>
  void add(const Endpoint& ep, Core& c) {
    nodes[ep] = Node{[&c](Instant t, const Endpoint& from, std::span<const std::uint8_t> b) {
                       c.handle_datagram(t, SocketId{0}, from, b);
                     },
                     [&c](Instant t) { c.handle_timeout(t); }, [&c] { return c.poll_transmit(); },
                     [&c] { return c.next_timeout(); }};
  }
};

template <class E, class Core>
std::vector<E> events_of(Core& c) {
  std::vector<E> out;
  while (auto e = c.poll_event())
    if (auto* x = std::get_if<E>(&*e)) out.push_back(*x);
  return out;
}

}  // namespace

TEST(HostClient, DirectSessionStreamsFramesInOrderAndMeasuresRtt) {
  SeededRandom rng(11);
  host::HostConfig hc;
  hc.static_keys = crypto::X25519KeyPair::generate(rng);
  hc.fps = 30;
  hc.frame_bytes = 5000;
  host::HostCore host(hc, rng);
  client::ClientConfig cc;
  cc.static_keys = crypto::X25519KeyPair::generate(rng);
  cc.direct = kHost;
  cc.name = "laptop";
  client::ClientCore client(cc, rng);
  World w;
  w.add(kHost, host);
  w.add(kClient, client);
  host.start(w.now);
  client.start(w.now);
  w.run_for(2s);
  const auto& s = client.stats();
  ASSERT_TRUE(s.handshake_done);
  EXPECT_GE(s.frames, 55u);  // 30 fps for ~2 s
  EXPECT_EQ(s.frames_corrupt, 0u);
  EXPECT_EQ(s.frames_out_of_order, 0u);
  EXPECT_GE(client.session_stats()->pongs_received, 3u);
  auto connected = events_of<host::PeerConnected>(host);
  ASSERT_EQ(connected.size(), 1u);
  EXPECT_EQ(connected[0].client_name, "laptop");
  EXPECT_EQ(host.stats().frames_sent, s.frames);
  EXPECT_LE(w.max_datagram, 1200u);  // every datagram fits the 1200-byte budget
}

TEST(HostClient, ALostHelloIsResentAndTheStreamStillStarts) {
  SeededRandom rng(13);
  host::HostConfig hc;
  hc.static_keys = crypto::X25519KeyPair::generate(rng);
  host::HostCore host(hc, rng);
  client::ClientConfig cc;
  cc.static_keys = crypto::X25519KeyPair::generate(rng);
  cc.direct = kHost;
  client::ClientCore client(cc, rng);
  World w;
  w.add(kHost, host);
  w.add(kClient, client);
  int dropped = 0;
  w.drop = [&](const Endpoint&, const Endpoint& to, const Bytes& b) {
    auto p = proto::decode_rift(b);
    // The client's first data packet (packet id 1) is its Hello.
    if (to == kHost && p && !p->handshake && p->packet_id == 1 && dropped == 0) return ++dropped, true;
    return false;
  };
  host.start(w.now);
  client.start(w.now);
  w.run_for(2s);
  EXPECT_EQ(dropped, 1);
  EXPECT_GE(client.stats().frames, 40u);
  EXPECT_EQ(events_of<host::PeerConnected>(host).size(), 1u);
}

TEST(HostClient, HostIgnoresJunkAndBoundsItsPeerTable) {
  SeededRandom rng(12);
  host::HostConfig hc;
  hc.static_keys = crypto::X25519KeyPair::generate(rng);
  hc.max_peers = 2;
  host::HostCore host(hc, rng);
  host.start(Instant{});
  Bytes junk(100, 0x42);
  host.handle_datagram(Instant{}, SocketId{}, kClient, junk);
  Bytes transport;  // a transport packet from an unknown address creates nothing
  proto::encode_rift_transport_header(transport, 1, 5);
  transport.resize(60, 0);
  host.handle_datagram(Instant{}, SocketId{}, kClient, transport);
  EXPECT_EQ(host.peer_count(), 0u);
  EXPECT_EQ(host.stats().dropped_unknown, 2u);
  for (std::uint16_t port = 1; port <= 5; ++port) {
    session::RiftSession s({true, crypto::X25519KeyPair::generate(rng)}, rng);
    s.start(Instant{});
    host.handle_datagram(Instant{}, SocketId{}, Endpoint{kClient.ip, port}, *s.poll_packet());
  }
  EXPECT_EQ(host.peer_count(), 2u);
  EXPECT_EQ(host.stats().dropped_table_full, 3u);
}

namespace {

struct RelayedWorld {
  SeededRandom rng{21};
  crypto::Ed25519KeyPair master = crypto::Ed25519KeyPair::generate(rng);
  UnixTime wall0 = UnixTime::from_seconds(1'800'000'000);
  World w;
  Uuid session = Uuid::random_v4(rng);
  relay::RelayCore relay{[&] {
                           relay::RelayConfig c;
                           c.relay_id = "relay-1";
                           c.advertised = kRelay;
                           c.master_key = master.public_key();
                           return c;
                         }(),
                         WallClock(w.now, wall0)};
  std::unique_ptr<host::HostCore> host;
  std::unique_ptr<client::ClientCore> client;

  RelayedWorld() {
    host::HostConfig hc;
    hc.name = "studio";
    hc.static_keys = crypto::X25519KeyPair::generate(rng);
    hc.signaling_token = "t";
    host = std::make_unique<host::HostCore>(hc, rng);
    client::ClientConfig cc;
    cc.name = "laptop";
    cc.static_keys = crypto::X25519KeyPair::generate(rng);
    cc.target_host = "studio";
    cc.signaling_token = "t";
    client = std::make_unique<client::ClientCore>(cc, rng);
    w.add(kRelay, relay);
    w.add(kHost, *host);
    w.add(kClient, *client);
  }

  std::string lease(PeerRole role, const std::string& sub, std::string rid = "relay-1") {
    proto::LeaseClaims c;
    c.sub = sub;
    c.sid = session;
    c.role = role;
    c.rid = std::move(rid);
    c.iat = wall0;
    c.nbf = wall0;
    c.exp = wall0 + 300s;
    return lease::LeaseSigner(master).sign(c);
  }

  proto::SigRelayCredentials creds(PeerRole role, std::string token) {
    return {session.to_string(), "relay-1", kRelay.to_string(), std::move(token), role,
            role == PeerRole::host ? "laptop" : "studio", "2030-01-01T00:00:00Z"};
  }
};

}  // namespace

TEST(HostClient, RelayedSessionThroughARealRelayCore) {
  RelayedWorld rw;
  auto& w = rw.w;
  rw.host->start(w.now);
  rw.host->signaling_connected(w.now);
  auto bind = rw.host->poll_signal();
  ASSERT_TRUE(bind);
  EXPECT_EQ(std::get<proto::SigBind>(*bind).role, PeerRole::host);
  rw.client->start(w.now);
  rw.client->signaling_connected(w.now);
  ASSERT_TRUE(std::holds_alternative<proto::SigBind>(*rw.client->poll_signal()));
  rw.client->handle_signal(w.now, proto::SigBound{"laptop"});
  auto req = rw.client->poll_signal();
  ASSERT_TRUE(req);
  EXPECT_EQ(std::get<proto::SigRequestRelay>(*req).target, "studio");
  // The client's credentials arrive first: it presents, and its handshake
  // cannot pass the relay until the host is admitted too; retries cover it.
  rw.client->handle_signal(w.now, rw.creds(PeerRole::client, rw.lease(PeerRole::client, "laptop")));
  w.run_for(300ms);
  rw.host->handle_signal(w.now, rw.creds(PeerRole::host, rw.lease(PeerRole::host, "studio")));
  w.run_for(3s);
  const auto& s = rw.client->stats();
  ASSERT_TRUE(s.handshake_done);
  EXPECT_TRUE(rw.client->relayed());
  EXPECT_GE(s.frames, 60u);
  EXPECT_EQ(s.frames_out_of_order, 0u);
  EXPECT_GT(rw.relay.counters().packets_forwarded, 200u);
  EXPECT_EQ(rw.relay.counters().lease_accepted, 2u);
  EXPECT_EQ(rw.relay.active_session_count(), 1u);
}

TEST(HostClient, ClientFailsClearlyWhenTheRelayRefusesItsLease) {
  RelayedWorld rw;
  rw.client->start(rw.w.now);
  rw.client->handle_signal(rw.w.now, rw.creds(PeerRole::client, rw.lease(PeerRole::client, "laptop", "relay-9")));
  rw.w.run_for(1s);
  auto failed = events_of<client::ClientFailed>(*rw.client);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_NE(failed[0].reason.find("wrong_relay"), std::string::npos);
  EXPECT_TRUE(rw.client->failed());
}

TEST(HostClient, ClientRetriesWhileTheHostIsOfflineThenGivesUp) {
  SeededRandom rng(3);
  client::ClientConfig cc;
  cc.static_keys = crypto::X25519KeyPair::generate(rng);
  cc.target_host = "studio";
  cc.signaling_token = "t";
  cc.relay_request_attempts = 3;
  client::ClientCore c(cc, rng);
  Instant now;
  c.start(now);
  c.signaling_connected(now);
  c.poll_signal();
  c.handle_signal(now, proto::SigBound{"wavry-client"});
  int requests = c.poll_signal() ? 1 : 0;
  for (int i = 0; i < 5; ++i) {
    c.handle_signal(now, proto::SigError{"host_offline", "no host"});
    if (auto t = c.next_timeout()) {
      now = *t;
      c.handle_timeout(now);
    }
    while (c.poll_signal()) ++requests;
  }
  EXPECT_EQ(requests, 3);
  EXPECT_TRUE(c.failed());
}
