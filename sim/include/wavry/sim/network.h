// The simulated network, as seen by scenario code: nodes on point-to-point
// links (delay, rate, loss) around one router, UDP sockets, and a framed
// message channel over TCP that carries the control plane (HTTP requests and
// WebSocket messages as whole frames). Time is simulated. ns-3 sits behind
// this interface in one translation unit (ns3_network.cc); nothing here
// names an ns-3 type, so the cores and scenario code never include ns-3.
//
// Determinism: one process runs one simulation; every random object is
// seeded from `seed`. A run is a function of (topology, inputs, seed).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "wavry/core/endpoint.h"
#include "wavry/core/time.h"

namespace wavry::sim {

struct LinkParams {
  Duration delay = 5ms;          // one way, node <-> router
  std::uint64_t rate_bps = 100'000'000;
  double loss = 0.0;             // per-packet drop probability, each direction, on arrival
};

using NodeId = std::uint32_t;
using ConnId = std::uint64_t;

struct ChannelHandlers {
  std::function<void(ConnId)> on_open;
  std::function<void(ConnId, std::string)> on_message;
  std::function<void(ConnId)> on_close;
};

// Observes every delivery; the harness folds it into the trace digest.
using TraceHook = std::function<void(Instant at, const std::string& what, std::span<const std::uint8_t> bytes)>;

class Network {
 public:
  static std::unique_ptr<Network> create(std::uint64_t seed);
  virtual ~Network() = default;

  virtual NodeId add_node(const std::string& name, const LinkParams& link) = 0;
  // Call once after all nodes exist: assigns addresses and routes.
  virtual void build() = 0;
  virtual IpAddress address(NodeId n) const = 0;

  virtual void udp_bind(NodeId n, std::uint16_t port,
                        std::function<void(const Endpoint& from, std::span<const std::uint8_t>)> on_datagram) = 0;
  virtual void udp_send(NodeId n, std::uint16_t port, const Endpoint& to, std::span<const std::uint8_t> bytes) = 0;

  virtual void listen(NodeId n, std::uint16_t port, ChannelHandlers h) = 0;
  virtual ConnId connect(NodeId n, const Endpoint& server, ChannelHandlers h) = 0;
  virtual void send(ConnId c, std::string message) = 0;
  virtual void close(ConnId c) = 0;

  virtual Instant now() const = 0;
  // Runs `fn` at `at` (or now, if `at` has passed). Returns an id for cancel().
  virtual std::uint64_t schedule(Instant at, std::function<void()> fn) = 0;
  virtual void cancel(std::uint64_t timer) = 0;
  virtual void run_until(Instant end) = 0;

  virtual void set_trace(TraceHook hook) = 0;
  // Packets dropped by the loss model so far (both directions, all links).
  virtual std::uint64_t packets_lost() const = 0;
};

}  // namespace wavry::sim
