#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "wavry/core/bytes.h"
#include "wavry/crypto/paseto.h"
#include "wavry/master/master_core.h"
#include "wavry/proto/control_api.h"
#include "wavry/proto/lease_claims.h"

using namespace wavry;
using namespace wavry::master;
using nlohmann::json;
using proto::HttpRequest;

namespace {

struct Fixture {
  SeededRandom rng{1};
  crypto::Ed25519KeyPair key = crypto::Ed25519KeyPair::generate(rng);
  Instant now = Instant::from_nanos(5'000'000'000);
  UnixTime wall0 = UnixTime::from_seconds(1'800'000'000);
  MasterCore core{MasterConfig{key, true, 300s, 5s, "relay-secret", "broker-secret"}, WallClock(now, wall0)};

  proto::HttpResponse call(std::string method, std::string target, std::string body = "", std::string auth = "") {
    return core.handle_request(now, HttpRequest{std::move(method), std::move(target), std::move(auth), std::move(body)});
  }
  proto::HttpResponse register_relay(const std::string& id = "relay-a", const std::string& ep = "127.0.0.1:4000") {
    return call("POST", "/v1/relays/register",
                json{{"relay_id", id}, {"endpoints", {ep}}}.dump(), "Bearer relay-secret");
  }
  proto::HttpResponse lease(std::string auth = "Bearer broker-secret") {
    return call("POST", "/v1/leases",
                json{{"session_id", "7d3c9a3e-5b1f-4b7e-8a51-0f3f1b7b2c11"}, {"host_name", "studio"}, {"client_name", "laptop"}}.dump(),
                std::move(auth));
  }
};

}  // namespace

TEST(Master, WellKnownIdPublishesKey) {
  Fixture f;
  auto r = f.call("GET", "/.well-known/wavry-id");
  ASSERT_EQ(r.status, 200);
  auto j = json::parse(r.body);
  EXPECT_EQ(j["public_key"], to_hex(f.key.public_key()));
  EXPECT_EQ(j["key_id"], crypto::key_id(f.key.public_key()));
}

TEST(Master, RegistrationNeedsTokenAndConcreteAddress) {
  Fixture f;
  EXPECT_EQ(f.call("POST", "/v1/relays/register", R"({"relay_id":"r","endpoints":["127.0.0.1:1"]})").status, 401);
  EXPECT_EQ(f.register_relay("r", "0.0.0.0:4000").status, 400);
  EXPECT_EQ(f.call("POST", "/v1/relays/register", "{not json", "Bearer relay-secret").status, 400);
  auto ok = f.register_relay();
  ASSERT_EQ(ok.status, 200);
  auto resp = proto::parse_relay_register_response(ok.body);
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->master_public_key, to_hex(f.key.public_key()));
}

TEST(Master, ReadyOnlyWithAFreshRelay) {
  Fixture f;
  EXPECT_EQ(f.call("GET", "/ready").status, 503);
  f.register_relay();
  EXPECT_EQ(f.call("GET", "/ready").status, 200);
  f.now += 20s;  // no heartbeat: no longer assignable
  EXPECT_EQ(f.call("GET", "/ready").status, 503);
  EXPECT_EQ(f.call("POST", "/v1/relays/heartbeat", R"({"relay_id":"relay-a","load_pct":10})", "Bearer relay-secret").status, 200);
  EXPECT_EQ(f.call("GET", "/ready").status, 200);
  EXPECT_EQ(f.call("POST", "/v1/relays/heartbeat", R"({"relay_id":"nobody","load_pct":10})", "Bearer relay-secret").status, 404);
}

TEST(Master, UnprovisionedKeyIsNeverReady) {
  SeededRandom rng(2);
  Instant now;
  MasterCore core({crypto::Ed25519KeyPair::generate(rng), false}, WallClock());
  core.handle_request(now, {"POST", "/v1/relays/register", "", R"({"relay_id":"r","endpoints":["127.0.0.1:1"]})"});
  EXPECT_EQ(core.handle_request(now, {"GET", "/ready", "", ""}).status, 503);
}

TEST(Master, IssuesHostAndClientLeasesBoundToRelayAndSession) {
  Fixture f;
  EXPECT_EQ(f.lease().status, 503);  // no relay yet
  f.register_relay("relay-b", "127.0.0.1:4001");
  f.register_relay("relay-a", "127.0.0.1:4000");
  EXPECT_EQ(f.lease("Bearer wrong").status, 401);
  EXPECT_EQ(f.lease("").status, 401);
  auto r = f.lease();
  ASSERT_EQ(r.status, 200) << r.body;
  auto g = proto::parse_lease_grant(r.body);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->relay_id, "relay-a");  // equal load: the smaller id, deterministically
  EXPECT_EQ(g->relay_addr, "127.0.0.1:4000");
  for (auto [token, role, sub] : {std::tuple{g->host_lease, proto::PeerRole::host, "studio"},
                                  std::tuple{g->client_lease, proto::PeerRole::client, "laptop"}}) {
    auto v = crypto::paseto_v4_verify(f.key.public_key(), token);
    ASSERT_TRUE(v);
    auto c = proto::lease_claims_from_json(v->message);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->role, role);
    EXPECT_EQ(c->sub, sub);
    EXPECT_EQ(c->rid, "relay-a");
    EXPECT_EQ(c->sid.to_string(), g->session_id);
    EXPECT_EQ(c->exp, f.wall0 + 300s);
    EXPECT_EQ(c->nbf, f.wall0 - 5s);
  }
  // The lease count shows up in the registry listing.
  auto list = json::parse(f.call("GET", "/v1/relays").body);
  EXPECT_EQ(list[0]["relay_id"], "relay-a");
  EXPECT_EQ(list[0]["leases_issued"], 1);
}

TEST(Master, ForgetsSilentRelaysAndBoundsTheRegistry) {
  Fixture f;
  f.register_relay();
  f.now += 11min;
  f.core.handle_timeout(f.now);
  EXPECT_TRUE(f.core.relays().empty());
  EXPECT_EQ(f.call("GET", "/nope").status, 404);
}
