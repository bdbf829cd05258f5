#include <gtest/gtest.h>

#include "wavry/gateway/gateway_core.h"
#include "wavry/proto/control_api.h"

using namespace wavry;
using namespace wavry::gateway;
using namespace wavry::proto;

namespace {

struct Fixture {
  SeededRandom rng{3};
  Instant now = Instant::from_nanos(1'000'000'000);
  GatewayCore gw;
  explicit Fixture(bool insecure = true, std::string token = "dev-token-123")
      : gw(GatewayConfig{insecure, std::move(token), "broker", 16}, rng) {}

  std::vector<std::pair<ConnId, SignalMessage>> sent(std::vector<ConnId>* closed = nullptr) {
    std::vector<std::pair<ConnId, SignalMessage>> v;
    while (auto s = gw.poll_ws_send()) {
      v.emplace_back(s->conn, *parse_signal(s->text));
      if (s->close_after && closed) closed->push_back(s->conn);
    }
    return v;
  }
  void bind(ConnId c, const std::string& name, PeerRole role, const std::string& token = "dev-token-123") {
    gw.handle_ws_open(now, c);
    gw.handle_ws_message(now, c, serialize_signal(SigBind{token, name, role}));
  }
};

}  // namespace

TEST(Gateway, BindIsRefusedUnlessInsecureSignalingIsAllowed) {
  Fixture f(false);
  std::vector<ConnId> closed;
  f.bind(1, "studio", PeerRole::host);
  auto out = f.sent(&closed);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<SigError>(out[0].second).code, "accounts_unavailable");
  EXPECT_EQ(closed, std::vector<ConnId>{1});
}

TEST(Gateway, BindChecksTheDevelopmentToken) {
  Fixture f;
  f.bind(1, "studio", PeerRole::host, "wrong");
  EXPECT_EQ(std::get<SigError>(f.sent()[0].second).code, "invalid_token");
  f.bind(2, "studio", PeerRole::host);
  auto out = f.sent();
  EXPECT_EQ(std::get<SigBound>(out[0].second).name, "studio");
  EXPECT_EQ(f.gw.bound_count(), 1u);
}

TEST(Gateway, MalformedMessagesGetAnErrorAndSignalingNeedsBind) {
  Fixture f;
  f.gw.handle_ws_open(f.now, 1);
  f.gw.handle_ws_message(f.now, 1, "{{{{");
  std::vector<ConnId> closed;
  auto out = f.sent(&closed);
  EXPECT_EQ(std::get<SigError>(out[0].second).code, "invalid_message");
  EXPECT_TRUE(closed.empty());
  f.gw.handle_ws_message(f.now, 1, serialize_signal(SigRequestRelay{"studio"}));
  out = f.sent(&closed);
  EXPECT_EQ(std::get<SigError>(out[0].second).code, "bind_required");
  EXPECT_EQ(closed, std::vector<ConnId>{1});
}

TEST(Gateway, BrokersLeasesFromTheMasterToBothSides) {
  Fixture f;
  f.bind(1, "studio", PeerRole::host);
  f.bind(2, "laptop", PeerRole::client);
  f.sent();
  f.gw.handle_ws_message(f.now, 2, serialize_signal(SigRequestRelay{"nobody"}));
  EXPECT_EQ(std::get<SigError>(f.sent()[0].second).code, "host_offline");
  f.gw.handle_ws_message(f.now, 2, serialize_signal(SigRequestRelay{"studio"}));
  auto call = f.gw.poll_call();
  ASSERT_TRUE(call);
  EXPECT_EQ(call->request.target, "/v1/leases");
  EXPECT_EQ(call->request.authorization, "Bearer broker");
  auto lr = parse_lease_request(call->request.body);
  ASSERT_TRUE(lr);
  EXPECT_EQ(lr->host_name, "studio");
  EXPECT_EQ(lr->client_name, "laptop");
  LeaseGrant g{lr->session_id, "relay-1", "127.0.0.1:4000", "HOST-LEASE", "CLIENT-LEASE", "2030-01-01T00:00:00Z"};
  f.gw.handle_call_result(f.now, {call->id, 200, to_json(g)});
  auto out = f.sent();
  ASSERT_EQ(out.size(), 2u);
  for (auto& [conn, msg] : out) {
    auto& c = std::get<SigRelayCredentials>(msg);
    EXPECT_EQ(c.session_id, lr->session_id);
    if (conn == 1) {
      EXPECT_EQ(c.role, PeerRole::host);
      EXPECT_EQ(c.lease, "HOST-LEASE");
      EXPECT_EQ(c.peer, "laptop");
    } else {
      EXPECT_EQ(c.role, PeerRole::client);
      EXPECT_EQ(c.lease, "CLIENT-LEASE");
      EXPECT_EQ(c.peer, "studio");
    }
  }
}

TEST(Gateway, MasterFailureAndTimeoutReachTheClient) {
  Fixture f;
  f.bind(1, "studio", PeerRole::host);
  f.bind(2, "laptop", PeerRole::client);
  f.sent();
  f.gw.handle_ws_message(f.now, 2, serialize_signal(SigRequestRelay{"studio"}));
  auto call = f.gw.poll_call();
  f.gw.handle_call_result(f.now, {call->id, 503, R"({"error":"no_relay"})"});
  EXPECT_EQ(std::get<SigError>(f.sent()[0].second).code, "relay_unavailable");
  f.gw.handle_ws_message(f.now, 2, serialize_signal(SigRequestRelay{"studio"}));
  f.gw.poll_call();
  f.now += 11s;
  f.gw.handle_timeout(f.now);
  EXPECT_EQ(std::get<SigError>(f.sent()[0].second).code, "relay_unavailable");
}

TEST(Gateway, OnlyClientsRequestRelaysAndNewerBindWins) {
  Fixture f;
  f.bind(1, "studio", PeerRole::host);
  f.sent();
  f.gw.handle_ws_message(f.now, 1, serialize_signal(SigRequestRelay{"studio"}));
  EXPECT_EQ(std::get<SigError>(f.sent()[0].second).code, "forbidden");
  f.bind(3, "studio", PeerRole::host);
  std::vector<ConnId> closed;
  f.sent(&closed);
  EXPECT_EQ(closed, std::vector<ConnId>{1});
  f.gw.handle_ws_close(f.now, 1);  // the old connection closing must not unbind the new one
  EXPECT_EQ(f.gw.bound_count(), 1u);
}

TEST(Gateway, UnboundConnectionsTimeOutAndCapacityIsBounded) {
  Fixture f;
  f.gw.handle_ws_open(f.now, 1);
  ASSERT_TRUE(f.gw.next_timeout());
  f.now += 10s;
  f.gw.handle_timeout(f.now);
  std::vector<ConnId> closed;
  f.sent(&closed);
  EXPECT_EQ(closed, std::vector<ConnId>{1});
  for (ConnId c = 10; c < 25; ++c) EXPECT_TRUE(f.gw.handle_ws_open(f.now, c));
  EXPECT_FALSE(f.gw.handle_ws_open(f.now, 99));
  EXPECT_EQ(f.gw.handle_request(f.now, {"GET", "/", "", ""}).status, 200);
  EXPECT_EQ(f.gw.handle_request(f.now, {"GET", "/health", "", ""}).status, 200);
}

// Found by fuzz_gateway_http: a connection told to close (close_after) could
// still be answered, and its pipelined messages acted on, until the driver
// reported the close. A closing connection now gets nothing more.
TEST(Gateway, NothingMoreGoesToAConnectionBeingClosed) {
  Fixture f;
  f.gw.handle_ws_open(f.now, 1);
  f.gw.handle_ws_message(f.now, 1, serialize_signal(SigRequestRelay{"studio"}));  // before BIND: closed
  f.gw.handle_ws_message(f.now, 1, serialize_signal(SigRequestRelay{"studio"}));
  f.gw.handle_ws_message(f.now, 1, serialize_signal(SigBind{"dev-token-123", "laptop", PeerRole::client}));
  std::vector<ConnId> closed;
  auto out = f.sent(&closed);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<SigError>(out[0].second).code, "bind_required");
  EXPECT_EQ(closed, std::vector<ConnId>{1});
  EXPECT_EQ(f.gw.bound_count(), 0u);
  f.now += 60s;
  f.gw.handle_timeout(f.now);
  EXPECT_TRUE(f.sent().empty()) << "no bind_timeout for a connection already closing";
}

// Found by fuzz_gateway_http: a request target that is not UTF-8 was echoed
// into the JSON error body, and nlohmann's dump() threw out of the handler.
TEST(Gateway, NonUtf8RequestTargetGetsA404NotAnException) {
  Fixture f;
  HttpRequest req{"GET", std::string("/\xff\xfe\xc3", 4), "", ""};
  auto resp = f.gw.handle_request(f.now, req);
  EXPECT_EQ(resp.status, 404);
  EXPECT_NE(resp.body.find("\xef\xbf\xbd"), std::string::npos) << "invalid bytes become U+FFFD";
}
