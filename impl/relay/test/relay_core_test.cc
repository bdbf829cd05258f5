#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "wavry/crypto/paseto.h"
#include "wavry/proto/lease_claims.h"
#include "wavry/proto/relay_packet.h"
#include "wavry/proto/rift_packet.h"
#include "wavry/relay/relay_core.h"

using namespace wavry;
using namespace wavry::relay;
using proto::PeerRole;
using proto::RejectReason;

namespace {

struct Fixture {
  SeededRandom rng{7};
  crypto::Ed25519KeyPair master = crypto::Ed25519KeyPair::generate(rng);
  crypto::Ed25519KeyPair stranger = crypto::Ed25519KeyPair::generate(rng);
  Instant now = Instant::from_nanos(1'000'000'000);
  UnixTime wall0 = UnixTime::from_seconds(1'800'000'000);
  Uuid session = Uuid::random_v4(rng);
  Endpoint host_ep = *Endpoint::parse("10.0.0.2:5000");
  Endpoint client_ep = *Endpoint::parse("10.0.0.3:6000");
  RelayCore relay{make_config(), WallClock(now, wall0)};

  RelayConfig make_config() {
    RelayConfig c;
    c.relay_id = "relay-1";
    c.advertised = *Endpoint::parse("10.0.0.1:4000");
    c.master_key = master.public_key();
    c.max_sessions = 2;
    return c;
  }

  std::string lease(PeerRole role, std::string sub, Duration ttl = 300s, std::string rid = "relay-1",
                    const crypto::Ed25519KeyPair* key = nullptr, std::optional<Uuid> sid = std::nullopt) {
    const auto& k = key ? *key : master;
    proto::LeaseClaims c;
    c.sub = std::move(sub);
    c.sid = sid.value_or(session);
    c.role = role;
    c.rid = std::move(rid);
    c.exp = wall0 + ttl;
    c.iat = std::min(wall0 - 5s, c.exp - 300s);  // an expired lease was issued long ago
    c.nbf = c.iat;
    // A stranger's key signs under the master's key id: a forged signature.
    c.kid = crypto::key_id(master.public_key());
    return crypto::paseto_v4_sign(k, proto::lease_claims_to_json(c), nlohmann::json{{"kid", c.kid}}.dump());
  }

  void present(const Endpoint& from, PeerRole role, const std::string& token, std::optional<Uuid> sid = std::nullopt) {
    relay.handle_datagram(now, kRelaySocket, from, proto::encode_lease_present(sid.value_or(session), role, token));
  }

  std::vector<Transmit> drain() {
    std::vector<Transmit> v;
    while (auto t = relay.poll_transmit()) v.push_back(std::move(*t));
    return v;
  }

  std::optional<RejectReason> reject_of(const std::vector<Transmit>& v) {
    if (v.size() != 1) return std::nullopt;
    auto h = proto::decode_relay_header(v[0].payload);
    if (!h || h->type != proto::RelayType::lease_reject) return std::nullopt;
    return proto::decode_lease_reject(std::span(v[0].payload).subspan(proto::kRelayHeader));
  }

  Bytes rift_data(std::uint64_t pid) {
    Bytes b;
    proto::encode_rift_transport_header(b, 1, pid);
    b.resize(b.size() + 40, 0xEE);
    return proto::encode_forward(session, b);
  }

  void admit_both() {
    present(host_ep, PeerRole::host, lease(PeerRole::host, "studio"));
    present(client_ep, PeerRole::client, lease(PeerRole::client, "laptop"));
    drain();
  }
};

}  // namespace

TEST(Relay, ValidLeaseIsAcknowledgedWithItsExpiry) {
  Fixture f;
  f.present(f.host_ep, PeerRole::host, f.lease(PeerRole::host, "studio"));
  auto out = f.drain();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].destination, f.host_ep);
  auto h = proto::decode_relay_header(out[0].payload);
  ASSERT_EQ(h->type, proto::RelayType::lease_ack);
  auto ack = proto::decode_lease_ack(std::span(out[0].payload).subspan(proto::kRelayHeader));
  EXPECT_EQ(ack->expires_unix_ms, static_cast<std::uint64_t>((f.wall0 + 300s).millis()));
  EXPECT_EQ(f.relay.session_count(), 1u);
}

TEST(Relay, RefusesBadLeasesWithTheRightReasonAndCreatesNoSession) {
  Fixture f;
  f.present(f.host_ep, PeerRole::host, f.lease(PeerRole::host, "studio", 300s, "relay-1", &f.stranger));
  EXPECT_EQ(f.reject_of(f.drain()), RejectReason::invalid_signature);
  f.present(f.host_ep, PeerRole::host, f.lease(PeerRole::host, "studio", -60s));
  EXPECT_EQ(f.reject_of(f.drain()), RejectReason::expired);
  f.present(f.host_ep, PeerRole::host, f.lease(PeerRole::host, "studio", 300s, "relay-2"));
  EXPECT_EQ(f.reject_of(f.drain()), RejectReason::wrong_relay);
  f.present(f.host_ep, PeerRole::client, f.lease(PeerRole::host, "studio"));  // wrong role
  EXPECT_EQ(f.reject_of(f.drain()), RejectReason::invalid_lease);
  SeededRandom other(99);
  f.present(f.host_ep, PeerRole::host, f.lease(PeerRole::host, "studio"), Uuid::random_v4(other));  // wrong session
  EXPECT_EQ(f.reject_of(f.drain()), RejectReason::invalid_lease);
  f.present(f.host_ep, PeerRole::host, "v4.public.garbage");
  EXPECT_EQ(f.reject_of(f.drain()), RejectReason::invalid_signature);
  EXPECT_EQ(f.relay.session_count(), 0u);
  EXPECT_EQ(f.relay.counters().lease_accepted, 0u);
  EXPECT_EQ(f.relay.counters().lease_rejects(), 6u);
}

TEST(Relay, ClockSkewIsTolerated) {
  Fixture f;
  // Issued by a master whose clock is 20 s ahead of ours: nbf in our future, within tolerance.
  proto::LeaseClaims c;
  c.sub = "studio";
  c.sid = f.session;
  c.role = PeerRole::host;
  c.rid = "relay-1";
  c.iat = f.wall0 + 20s;
  c.nbf = c.iat;
  c.exp = c.iat + 300s;
  lease::LeaseSigner signer(f.master);
  std::string t = signer.sign(c);
  f.present(f.host_ep, PeerRole::host, t);
  EXPECT_FALSE(f.reject_of(f.drain()));
  c.iat = f.wall0 + 60s;  // beyond 30 s of skew
  c.nbf = c.iat;
  c.exp = c.iat + 300s;
  t = signer.sign(c);
  f.present(f.client_ep, PeerRole::host, t);
  EXPECT_EQ(f.reject_of(f.drain()), RejectReason::invalid_lease);
}

TEST(Relay, ForwardsOnlyBetweenTheTwoAdmittedPeers) {
  Fixture f;
  f.present(f.host_ep, PeerRole::host, f.lease(PeerRole::host, "studio"));
  f.drain();
  f.relay.handle_datagram(f.now, kRelaySocket, f.host_ep, f.rift_data(1));
  EXPECT_TRUE(f.drain().empty());
  EXPECT_EQ(f.relay.counters().dropped_peer_absent, 1u);
  f.present(f.client_ep, PeerRole::client, f.lease(PeerRole::client, "laptop"));
  f.drain();
  f.relay.handle_datagram(f.now, kRelaySocket, f.host_ep, f.rift_data(2));
  auto out = f.drain();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].destination, f.client_ep);
  EXPECT_EQ(out[0].payload, f.rift_data(2));
  // A third party that knows the session id gets nothing through.
  f.relay.handle_datagram(f.now, kRelaySocket, *Endpoint::parse("10.9.9.9:1"), f.rift_data(3));
  EXPECT_TRUE(f.drain().empty());
  EXPECT_EQ(f.relay.counters().dropped_unknown_peer, 1u);
  // Replays of data packets are dropped; handshake packets (pid 0) may repeat.
  f.relay.handle_datagram(f.now, kRelaySocket, f.host_ep, f.rift_data(2));
  EXPECT_TRUE(f.drain().empty());
  EXPECT_EQ(f.relay.counters().dropped_replay, 1u);
  f.relay.handle_datagram(f.now, kRelaySocket, f.client_ep, f.rift_data(0));
  f.relay.handle_datagram(f.now, kRelaySocket, f.client_ep, f.rift_data(0));
  EXPECT_EQ(f.drain().size(), 2u);
}

TEST(Relay, ForwardingStopsAtLeaseExpiry) {
  Fixture f;
  f.present(f.host_ep, PeerRole::host, f.lease(PeerRole::host, "studio", 60s));
  f.present(f.client_ep, PeerRole::client, f.lease(PeerRole::client, "laptop", 300s));
  f.drain();
  f.now += 59s;
  f.relay.handle_datagram(f.now, kRelaySocket, f.client_ep, f.rift_data(1));
  EXPECT_EQ(f.drain().size(), 1u);
  f.now += 2s;
  f.relay.handle_datagram(f.now, kRelaySocket, f.client_ep, f.rift_data(2));
  EXPECT_TRUE(f.drain().empty());
  EXPECT_EQ(f.relay.counters().dropped_lease_expired, 1u);
}

TEST(Relay, RoleIsLockedToTheFirstIdentityAndTableIsBounded) {
  Fixture f;
  f.admit_both();
  f.present(*Endpoint::parse("10.0.0.9:1"), PeerRole::host, f.lease(PeerRole::host, "mallory"));
  EXPECT_EQ(f.reject_of(f.drain()), RejectReason::invalid_lease);
  EXPECT_EQ(f.relay.counters().reject_identity_mismatch, 1u);
  // Same identity from a new address: NAT rebinding through a fresh present.
  f.present(*Endpoint::parse("10.0.0.2:5999"), PeerRole::host, f.lease(PeerRole::host, "studio"));
  f.drain();
  EXPECT_EQ(f.relay.counters().nat_rebinds, 1u);
  SeededRandom r(5);
  Uuid s2 = Uuid::random_v4(r), s3 = Uuid::random_v4(r);
  f.present(f.host_ep, PeerRole::host, f.lease(PeerRole::host, "studio", 300s, "relay-1", nullptr, s2), s2);
  f.drain();
  f.present(f.host_ep, PeerRole::host, f.lease(PeerRole::host, "studio", 300s, "relay-1", nullptr, s3), s3);
  EXPECT_EQ(f.reject_of(f.drain()), RejectReason::session_full);
}

TEST(Relay, CleanupDropsLonelyAndExpiredSessions) {
  Fixture f;
  f.relay.start(f.now);
  f.present(f.host_ep, PeerRole::host, f.lease(PeerRole::host, "studio"));
  f.drain();
  for (int i = 0; i < 4; ++i) {
    f.now += 10s;
    f.relay.handle_timeout(f.now);
  }
  EXPECT_EQ(f.relay.session_count(), 0u);
  EXPECT_EQ(f.relay.counters().sessions_idle, 1u);
}

TEST(Relay, RegistersAndHeartbeatsThroughCalls) {
  Fixture f;
  f.relay.start(f.now);
  f.relay.handle_timeout(f.now);
  auto reg = f.relay.poll_call();
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg->request.target, "/v1/relays/register");
  EXPECT_NE(reg->request.body.find("10.0.0.1:4000"), std::string::npos);
  f.relay.handle_call_result(f.now, {reg->id, 0, ""});  // master down: retry later
  EXPECT_FALSE(f.relay.registered());
  f.now += 1s;
  f.relay.handle_timeout(f.now);
  reg = f.relay.poll_call();
  ASSERT_TRUE(reg);
  f.relay.handle_call_result(
      f.now, {reg->id, 200, R"({"heartbeat_interval_ms":1000,"master_public_key":"00","master_key_id":"k"})"});
  EXPECT_TRUE(f.relay.registered());
  EXPECT_TRUE(f.relay.ready());
  f.now += 1s;
  f.relay.handle_timeout(f.now);
  auto hb = f.relay.poll_call();
  ASSERT_TRUE(hb);
  EXPECT_EQ(hb->request.target, "/v1/relays/heartbeat");
  f.relay.handle_call_result(f.now, {hb->id, 404, ""});  // master restarted and forgot us
  f.relay.handle_timeout(f.now);
  auto again = f.relay.poll_call();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->request.target, "/v1/relays/register");
}

TEST(Relay, MalformedInputIsCountedNeverFatalAndMetricsExport) {
  Fixture f;
  f.relay.handle_datagram(f.now, kRelaySocket, f.host_ep, Bytes{});
  f.relay.handle_datagram(f.now, kRelaySocket, f.host_ep, Bytes(19, 0x57));
  f.relay.handle_datagram(f.now, kRelaySocket, f.host_ep, Bytes(1600, 0x57));
  Bytes lp = proto::encode_lease_present(f.session, PeerRole::host, "x");
  lp.resize(proto::kRelayHeader + 2);
  f.relay.handle_datagram(f.now, kRelaySocket, f.host_ep, lp);
  EXPECT_EQ(f.relay.counters().dropped_invalid, 4u);
  std::string m = f.relay.prometheus_metrics();
  EXPECT_NE(m.find("wavry_relay_dropped_packets_total{reason=\"invalid\"} 4"), std::string::npos);
  EXPECT_EQ(f.relay.handle_http(f.now, {"GET", "/metrics", "", ""}).status, 200);
  EXPECT_EQ(f.relay.handle_http(f.now, {"GET", "/ready", "", ""}).status, 503);
}
