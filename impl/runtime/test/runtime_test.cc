// The Asio/Beast driver against real loopback sockets: UDP round trip, HTTP
// request/response through Beast, a WebSocket exchange, URL parsing and the
// bind gate.
#include <gtest/gtest.h>

#include "wavry/runtime/http_client.h"
#include "wavry/runtime/http_server.h"
#include "wavry/runtime/udp.h"
#include "wavry/runtime/ws_client.h"

using namespace wavry;
using namespace wavry::runtime;

TEST(Runtime, ParsesUrlsAndRefusesTlsForNow) {
  auto u = parse_url("ws://127.0.0.1:3000/ws");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "3000");
  EXPECT_EQ(u->path, "/ws");
  EXPECT_TRUE(parse_url("http://localhost:8080"));
  EXPECT_FALSE(parse_url("https://x:1/"));
  EXPECT_FALSE(parse_url("127.0.0.1:8080"));
  EXPECT_FALSE(parse_url("http://host/"));
}

TEST(Runtime, BindGateNamesTheVariable) {
  unsetenv("WAVRY_TEST_ALLOW_PUBLIC_BIND");
  EXPECT_TRUE(check_bind_allowed(*Endpoint::parse("127.0.0.1:0"), "WAVRY_TEST_ALLOW_PUBLIC_BIND", "x"));
  auto s = check_bind_allowed(*Endpoint::parse("0.0.0.0:0"), "WAVRY_TEST_ALLOW_PUBLIC_BIND", "x");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("WAVRY_TEST_ALLOW_PUBLIC_BIND=1"), std::string::npos);
  setenv("WAVRY_TEST_ALLOW_PUBLIC_BIND", "1", 1);
  EXPECT_TRUE(check_bind_allowed(*Endpoint::parse("0.0.0.0:0"), "WAVRY_TEST_ALLOW_PUBLIC_BIND", "x"));
}

TEST(Runtime, UdpLoopbackRoundTrip) {
  asio::io_context io;
  auto a = UdpSocket::bind(io, *Endpoint::parse("127.0.0.1:0"));
  auto b = UdpSocket::bind(io, *Endpoint::parse("127.0.0.1:0"));
  ASSERT_TRUE(a && b);
  std::string got;
  (*b)->start([&](const Endpoint& from, std::span<const std::uint8_t> d) {
    got.assign(d.begin(), d.end());
    EXPECT_EQ(from, (*a)->local_endpoint());
    io.stop();
  });
  (*a)->start([](const Endpoint&, std::span<const std::uint8_t>) {});
  std::string msg = "hello";
  (*a)->send((*b)->local_endpoint(), std::span(reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size()));
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(got, "hello");
}

TEST(Runtime, HttpAndWebSocketThroughBeast) {
  asio::io_context io;
  std::unique_ptr<HttpServer> server;
  std::vector<std::string> ws_seen;
  WsHandlers ws{"/ws", [](std::uint64_t) { return true; },
                [&](std::uint64_t c, std::string t) {
                  ws_seen.push_back(t);
                  server->ws_send(c, "echo:" + t, false);
                },
                [](std::uint64_t) {}};
  auto s = HttpServer::bind(
      io, *Endpoint::parse("127.0.0.1:0"),
      [](const proto::HttpRequest& r) {
        return proto::json_response(200, "{\"path\":\"" + r.target + "\",\"auth\":\"" + r.authorization + "\"}");
      },
      ws);
  ASSERT_TRUE(s);
  server = std::move(*s);
  Url base{"http", "127.0.0.1", std::to_string(server->local_endpoint().port), "/"};
  proto::CallResult result;
  http_call(io, base, {"POST", "/v1/x", "Bearer t", "{}"}, [&](proto::CallResult r) { result = r; });
  std::string echoed;
  Url wsu = base;
  wsu.scheme = "ws";
  wsu.path = "/ws";
  auto client = WsClient::connect(io, wsu, {nullptr, [&](std::string t) {
                                              echoed = t;
                                              io.stop();
                                            },
                                            nullptr});
  client->send("ping");
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, R"({"path":"/v1/x","auth":"Bearer t"})");
  EXPECT_EQ(echoed, "echo:ping");
  EXPECT_GE(server->open_connections(), 1u);  // the WebSocket is still open
  EXPECT_EQ(server->refused_connections(), 0u);
  // A refused connection reports status 0 rather than hanging.
  proto::CallResult refused{0, -1, ""};
  asio::io_context io2;
  http_call(io2, Url{"http", "127.0.0.1", "1", "/"}, {"GET", "/", "", ""}, [&](proto::CallResult r) { refused = r; });
  io2.run_for(std::chrono::seconds(5));
  EXPECT_EQ(refused.status, 0);
}
