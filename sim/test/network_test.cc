// The simulated network on its own: UDP with delay, loss that depends only on
// the seed, and framed messages over simulated TCP.
#include <gtest/gtest.h>

#include "wavry/sim/drivers.h"

using namespace wavry;
using namespace wavry::sim;

TEST(SimNetwork, UdpDelayAndFramedTcp) {
  auto net = Network::create(7);
  NodeId a = net->add_node("a", {10ms, 10'000'000, 0});
  NodeId b = net->add_node("b", {20ms, 10'000'000, 0});
  net->build();
  Instant got_at;
  std::string got;
  net->udp_bind(b, 9000, [&](const Endpoint& from, std::span<const std::uint8_t> d) {
    got.assign(d.begin(), d.end());
    got_at = net->now();
    EXPECT_EQ(from.ip, net->address(a));
  });
  net->udp_bind(a, 9001, [](const Endpoint&, std::span<const std::uint8_t>) {});
  Instant start = net->now();
  std::string hello = "hello";
  net->schedule(start, [&] {
    net->udp_send(a, 9001, Endpoint{net->address(b), 9000},
                  std::span(reinterpret_cast<const std::uint8_t*>(hello.data()), hello.size()));
  });
  SimHttpServer server(*net, b, 80, [](const proto::HttpRequest& r) { return proto::json_response(201, r.target); });
  proto::CallResult result;
  net->schedule(start + 100ms, [&] {
    sim_http_call(*net, a, Endpoint{net->address(b), 80}, {"GET", "/x", "", ""}, [&](proto::CallResult r) { result = r; });
  });
  net->run_until(start + 2s);
  EXPECT_EQ(got, "hello");
  EXPECT_GE(got_at - start, 30ms);  // two links of 10 ms and 20 ms
  EXPECT_LT(got_at - start, 32ms);
  EXPECT_EQ(result.status, 201);
  EXPECT_EQ(result.body, "/x");
}
