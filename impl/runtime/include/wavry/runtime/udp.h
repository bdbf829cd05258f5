// A UDP socket for a datagram core: receives into the core via a callback and
// sends the core's Transmits. Oversized datagrams (truncated by the kernel)
// are counted and dropped rather than processed.
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <functional>
#include <span>

#include "wavry/core/transmit.h"
#include "wavry/runtime/runtime.h"

namespace wavry::runtime {

class UdpSocket {
 public:
  using Handler = std::function<void(const Endpoint& from, std::span<const std::uint8_t>)>;

  // Binds (port 0 = any free port); the error says why it failed.
  static Result<std::unique_ptr<UdpSocket>> bind(asio::io_context& io, const Endpoint& ep);
  void start(Handler h);
  void send(const Endpoint& to, std::span<const std::uint8_t> bytes);
  Endpoint local_endpoint() const;
  std::uint64_t dropped_oversize() const { return dropped_oversize_; }
  std::uint64_t send_errors() const { return send_errors_; }

  explicit UdpSocket(asio::ip::udp::socket s) : socket_(std::move(s)) {}

 private:
  void receive();
  asio::ip::udp::socket socket_;
  asio::ip::udp::endpoint sender_;
  std::array<std::uint8_t, 2048> buf_{};
  Handler handler_;
  std::uint64_t dropped_oversize_ = 0, send_errors_ = 0;
};

}  // namespace wavry::runtime
