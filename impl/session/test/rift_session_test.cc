// Two sessions wired back to back through the sans-IO interface, on a fake
// clock. The "link" is a loop that moves packets and can drop or alter them.
#include <gtest/gtest.h>

#include <functional>

#include "wavry/proto/rift_packet.h"
#include "wavry/session/rift_session.h"

using namespace wavry;
using namespace wavry::session;

namespace {

struct Pair {
  explicit Pair(const std::function<void(SessionConfig&)>& tweak = {})
      : client(cfg(true, tweak), rng), host(cfg(false, tweak), rng) {}
  SeededRandom rng{42};
  crypto::X25519KeyPair client_keys = crypto::X25519KeyPair::generate(rng);
  crypto::X25519KeyPair host_keys = crypto::X25519KeyPair::generate(rng);
  SessionConfig cfg(bool initiator, const std::function<void(SessionConfig&)>& tweak) {
    SessionConfig c{initiator, initiator ? client_keys : host_keys};
    if (tweak) tweak(c);
    return c;
  }
  RiftSession client;
  RiftSession host;
  Instant now = Instant::from_nanos(1'000'000'000);
  std::vector<SessionEvent> client_events, host_events;
  // Return false to drop; may modify the packet.
  std::function<bool(bool to_host, Bytes&)> link = [](bool, Bytes&) { return true; };
  int delivered_to_host = 0;

  void pump() {
    for (int guard = 0; guard < 1000; ++guard) {
      bool moved = false;
      while (auto p = client.poll_packet()) {
        moved = true;
        if (link(true, *p)) {
          host.handle_packet(now, *p);
          ++delivered_to_host;
        }
      }
      while (auto p = host.poll_packet()) {
        moved = true;
        if (link(false, *p)) client.handle_packet(now, *p);
      }
      while (auto e = client.poll_event()) client_events.push_back(*e);
      while (auto e = host.poll_event()) host_events.push_back(*e);
      if (!moved) return;
    }
  }
  // Advance the clock to the next deadline of either side and fire it.
  void step_to_next_timeout() {
    auto a = client.next_timeout(), b = host.next_timeout();
    Instant next = a && b ? std::min(*a, *b) : (a ? *a : *b);
    now = std::max(now, next);
    client.handle_timeout(now);
    host.handle_timeout(now);
    pump();
  }
  void run_for(Duration d) {
    Instant end = now + d;
    while (true) {
      auto a = client.next_timeout(), b = host.next_timeout();
      if (!a && !b) break;
      Instant next = a && b ? std::min(*a, *b) : (a ? *a : *b);
      if (next > end) break;
      step_to_next_timeout();
    }
    now = end;
  }
};

template <class E>
int count(const std::vector<SessionEvent>& v) {
  int n = 0;
  for (const auto& e : v) n += std::holds_alternative<E>(e);
  return n;
}

rift::Message hello(const std::string& name) {
  rift::Message m;
  m.mutable_control()->mutable_hello()->set_client_name(name);
  return m;
}

}  // namespace

TEST(RiftSession, HandshakeThenEncryptedMessagesBothWays) {
  Pair p;
  p.client.start(p.now);
  p.host.start(p.now);
  p.pump();
  ASSERT_TRUE(p.client.established());
  ASSERT_TRUE(p.host.established());
  EXPECT_EQ(p.client.remote_static(), p.host_keys.public_key);
  EXPECT_EQ(p.host.remote_static(), p.client_keys.public_key);
  ASSERT_TRUE(p.client.send(p.now, hello("laptop")));
  p.pump();
  ASSERT_EQ(count<MessageReceived>(p.host_events), 1);
  EXPECT_EQ(std::get<MessageReceived>(p.host_events.back()).message.control().hello().client_name(), "laptop");
}

TEST(RiftSession, PingPongMeasuresRtt) {
  Pair p;
  p.client.start(p.now);
  p.host.start(p.now);
  p.pump();
  p.run_for(2s);
  EXPECT_GE(p.client.stats().pongs_received, 3u);
  ASSERT_TRUE(p.client.stats().last_rtt);
  EXPECT_EQ(*p.client.stats().last_rtt, Duration(0));  // this harness's link has no delay
}

TEST(RiftSession, LostMsg1AndMsg2AreRetried) {
  Pair p;
  int drops = 2;
  p.link = [&](bool, Bytes&) { return drops-- <= 0; };
  p.client.start(p.now);
  p.host.start(p.now);
  p.pump();
  EXPECT_FALSE(p.client.established());
  p.step_to_next_timeout();  // msg1 retry: reaches host; msg2 dropped (second drop)
  p.step_to_next_timeout();  // msg1 again: host resends cached msg2
  EXPECT_TRUE(p.client.established());
  EXPECT_TRUE(p.host.established());
}

TEST(RiftSession, LostMsg3IsResentUntilHostIsHeard) {
  Pair p;
  bool dropped_msg3 = false;
  p.link = [&](bool to_host, Bytes& b) {
    auto r = proto::decode_rift(b);
    if (to_host && r && !r->handshake && r->packet_id == 0 && !dropped_msg3) {
      dropped_msg3 = true;
      return false;
    }
    return true;
  };
  p.client.start(p.now);
  p.host.start(p.now);
  p.pump();
  EXPECT_TRUE(p.client.established());
  EXPECT_FALSE(p.host.established());
  p.run_for(2s);
  EXPECT_TRUE(p.host.established());
  EXPECT_GE(p.client.stats().pongs_received, 1u);
}

TEST(RiftSession, TamperedAndReplayedPacketsAreDropped) {
  Pair p;
  p.client.start(p.now);
  p.host.start(p.now);
  p.pump();
  ASSERT_TRUE(p.client.send(p.now, hello("a")));
  Bytes pkt = *p.client.poll_packet();
  Bytes tampered = pkt;
  tampered.back() ^= 1;
  p.host.handle_packet(p.now, tampered);
  EXPECT_EQ(p.host.stats().dropped_auth, 1u);
  // Header bytes are authenticated too: change the packet id and fix the CRC.
  // (A changed alias is refused earlier, by the alias check.)
  Bytes header_changed = pkt;
  header_changed[15] ^= 2;
  auto crc = proto::crc16_kermit(std::span(header_changed).first(16));
  header_changed[16] = static_cast<std::uint8_t>(crc >> 8);
  header_changed[17] = static_cast<std::uint8_t>(crc);
  p.host.handle_packet(p.now, header_changed);
  EXPECT_EQ(p.host.stats().dropped_auth, 2u);
  p.host.handle_packet(p.now, pkt);
  p.host.handle_packet(p.now, pkt);
  EXPECT_EQ(p.host.stats().dropped_replay, 1u);
  while (auto e = p.host.poll_event()) p.host_events.push_back(*e);
  EXPECT_EQ(count<MessageReceived>(p.host_events), 1);
}

TEST(RiftSession, ForgedMsg2DoesNotBreakTheHandshake) {
  Pair p;
  p.client.start(p.now);
  Bytes msg1 = *p.client.poll_packet();
  // An attacker answers first with garbage of the right shape.
  Bytes forged;
  proto::encode_rift_handshake_header(forged, 0);
  forged.resize(forged.size() + 96, 0x41);
  p.client.handle_packet(p.now, forged);
  EXPECT_EQ(p.client.stats().dropped_auth, 1u);
  p.host.start(p.now);
  p.host.handle_packet(p.now, msg1);
  p.pump();
  EXPECT_TRUE(p.client.established());
  EXPECT_TRUE(p.host.established());
}

TEST(RiftSession, IdleTimeoutClosesAndHandshakeGivesUp) {
  Pair p;
  p.link = [](bool, Bytes&) { return false; };  // black hole
  p.client.start(p.now);
  p.run_for(60s);
  EXPECT_EQ(p.client.state(), SessionState::closed);
  EXPECT_EQ(count<Closed>(p.client_events), 1);
}

rift::Message hello_ack(std::uint32_t alias) {
  rift::Message m;
  m.mutable_control()->mutable_hello_ack()->set_accepted(true);
  m.mutable_control()->mutable_hello_ack()->set_session_alias(alias);
  return m;
}

TEST(RiftSession, AliasIsAssignedByTheHostAndAdoptedFromHelloAck) {
  Pair p;
  p.client.start(p.now);
  p.host.start(p.now);
  p.pump();
  ASSERT_TRUE(p.host.established());
  std::uint32_t host_alias = p.host.alias();
  EXPECT_GE(host_alias, 2u) << "0 reads as a handshake header, 1 is the bootstrap alias";
  EXPECT_EQ(p.client.alias(), proto::kBootstrapAlias);
  std::vector<std::uint32_t> seen;
  p.link = [&](bool to_host, Bytes& b) {
    if (to_host) seen.push_back(proto::decode_rift(b)->session_alias);
    return true;
  };
  ASSERT_TRUE(p.client.send(p.now, hello("laptop")));
  p.pump();
  ASSERT_TRUE(p.host.send(p.now, hello_ack(host_alias)));
  p.pump();
  EXPECT_EQ(p.client.alias(), host_alias);
  ASSERT_TRUE(p.client.send(p.now, hello("again")));
  p.pump();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], proto::kBootstrapAlias);
  EXPECT_EQ(seen[1], host_alias);
  // A packet under any other alias is dropped before decryption.
  p.link = [&](bool to_host, Bytes& b) {
    if (!to_host) return true;
    Bytes body(b.begin() + proto::kRiftTransportHeader, b.end());
    auto pid = proto::decode_rift(b)->packet_id;
    b.clear();
    proto::encode_rift_transport_header(b, host_alias + 1, pid);
    b.insert(b.end(), body.begin(), body.end());
    return true;
  };
  ASSERT_TRUE(p.client.send(p.now, hello("wrong alias")));
  p.pump();
  EXPECT_EQ(p.host.stats().dropped_alias, 1u);
  EXPECT_EQ(count<MessageReceived>(p.host_events), 2);
}

TEST(RiftSession, PacketIdLimitEndsTheSessionWithADisconnect) {
  Pair p([](SessionConfig& c) {
    c.max_packet_id = 6;
    c.ping_interval = Duration(0);
  });
  p.client.start(p.now);
  p.host.start(p.now);
  p.pump();
  int sent = 0;
  while (p.client.send(p.now, hello("x"))) ++sent;
  p.pump();
  EXPECT_EQ(sent, 5) << "packet ids 1..5 carry data, 6 the goodbye";
  EXPECT_EQ(p.client.state(), SessionState::closed);
  EXPECT_EQ(p.host.state(), SessionState::closed) << "the host heard the Disconnect";
  ASSERT_EQ(count<Closed>(p.host_events), 1);
  EXPECT_NE(std::get<Closed>(p.host_events.back()).reason.find("key limit reached (packet id)"), std::string::npos);
}

TEST(RiftSession, KeyAgeLimitEndsTheSession) {
  Pair p([](SessionConfig& c) {
    c.max_key_age = 60s;
    c.idle_timeout = 3600s;
  });
  p.client.start(p.now);
  p.host.start(p.now);
  p.pump();
  p.run_for(59s);
  EXPECT_TRUE(p.client.established());
  p.run_for(2s);
  EXPECT_EQ(p.client.state(), SessionState::closed);
  EXPECT_EQ(p.host.state(), SessionState::closed);
  EXPECT_NE(std::get<Closed>(p.client_events.back()).reason.find("key age"), std::string::npos);
}

TEST(RiftSession, DefaultKeyLimitsAre24HoursAndBelowNonceWrap) {
  SessionConfig c;
  EXPECT_EQ(c.max_key_age, Duration(24h));
  EXPECT_LT(c.max_packet_id, ~std::uint64_t{0});
}

// Found by fuzz_noise_responder: msg1 has no MAC, and a low-order ephemeral
// key (here all zeros) fails only at the DH while msg2 is written. The
// responder must drop it and still answer a real msg1 afterwards.
TEST(RiftSession, LowOrderEphemeralInMsg1IsDropped) {
  Pair p;
  p.host.start(p.now);
  Bytes bad;
  proto::encode_rift_handshake_header(bad, 0);
  bad.resize(bad.size() + 32, 0);
  p.host.handle_packet(p.now, bad);
  EXPECT_FALSE(p.host.poll_packet());
  EXPECT_EQ(p.host.stats().dropped_auth, 1u);
  p.client.start(p.now);
  p.pump();
  EXPECT_TRUE(p.host.established());
  EXPECT_TRUE(p.client.established());
}
