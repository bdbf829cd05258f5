#include "wavry/runtime/udp.h"

namespace wavry::runtime {

using asio::ip::udp;

Result<std::unique_ptr<UdpSocket>> UdpSocket::bind(asio::io_context& io, const Endpoint& ep) {
  boost::system::error_code ec;
  udp::endpoint e(to_asio(ep.ip), ep.port);
  udp::socket s(io);
  s.open(e.protocol(), ec);
  if (!ec) s.bind(e, ec);
  if (ec) return make_error(Errc::io, "cannot bind UDP " + ep.to_string() + ": " + ec.message());
  s.set_option(asio::socket_base::receive_buffer_size(1 << 20), ec);
  s.set_option(asio::socket_base::send_buffer_size(1 << 20), ec);
  s.non_blocking(true, ec);  // sends never stall the loop: a full buffer drops the datagram
  return std::make_unique<UdpSocket>(std::move(s));
}

Endpoint UdpSocket::local_endpoint() const {
  auto e = socket_.local_endpoint();
  return Endpoint{from_asio(e.address()), e.port()};
}

void UdpSocket::start(Handler h) {
  handler_ = std::move(h);
  receive();
}

void UdpSocket::receive() {
  socket_.async_receive_from(asio::buffer(buf_), sender_, [this](const boost::system::error_code& ec, std::size_t n) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      if (n >= buf_.size()) {
        ++dropped_oversize_;
      } else {
        handler_(Endpoint{from_asio(sender_.address()), sender_.port()}, std::span(buf_.data(), n));
      }
    }
    receive();
  });
}

void UdpSocket::send(const Endpoint& to, std::span<const std::uint8_t> bytes) {
  boost::system::error_code ec;
  // Synchronous non-blocking send: UDP either takes the datagram or drops it.
  socket_.send_to(asio::buffer(bytes.data(), bytes.size()), udp::endpoint(to_asio(to.ip), to.port), 0, ec);
  if (ec) ++send_errors_;
}

}  // namespace wavry::runtime
