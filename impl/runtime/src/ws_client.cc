#include "wavry/runtime/ws_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>

namespace wavry::runtime {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

class WsClientImpl final : public WsClient, public std::enable_shared_from_this<WsClientImpl> {
 public:
  WsClientImpl(asio::io_context& io, Url url, Handlers h) : resolver_(io), ws_(io), url_(std::move(url)), h_(std::move(h)) {}

  void start() {
    auto self = shared_from_this();
    resolver_.async_resolve(url_.host, url_.port, [self](beast::error_code ec, tcp::resolver::results_type res) {
      if (ec) return self->fail("resolve: " + ec.message());
      beast::get_lowest_layer(self->ws_).expires_after(std::chrono::seconds(10));
      beast::get_lowest_layer(self->ws_).async_connect(res, [self](beast::error_code ec2, const tcp::endpoint& ep) {
        if (ec2) return self->fail("connect: " + ec2.message());
        beast::get_lowest_layer(self->ws_).expires_never();
        self->ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
        self->ws_.read_message_max(64 * 1024);
        std::string host = self->url_.host + ":" + std::to_string(ep.port());
        self->ws_.async_handshake(host, self->url_.path, [self](beast::error_code ec3) {
          if (ec3) return self->fail("handshake: " + ec3.message());
          self->open_ = true;
          if (self->h_.on_open) self->h_.on_open();  // may queue and start a write itself
          if (!self->queue_.empty() && !self->writing_) self->write();
          self->read();
        });
      });
    });
  }

  void send(std::string text) override {
    queue_.push_back(std::move(text));
    if (open_ && !writing_) write();
  }

  void close() override {
    if (!open_) return;
    open_ = false;
    auto self = shared_from_this();
    ws_.async_close(websocket::close_code::normal, [self](beast::error_code) {});
  }

 private:
  void read() {
    auto self = shared_from_this();
    ws_.async_read(buf_, [self](beast::error_code ec, std::size_t) {
      if (ec) return self->fail(ec == websocket::error::closed ? "closed by the gateway" : ec.message());
      std::string text = beast::buffers_to_string(self->buf_.data());
      self->buf_.consume(self->buf_.size());
      if (self->h_.on_message) self->h_.on_message(std::move(text));
      self->read();
    });
  }

  void write() {
    writing_ = true;
    auto self = shared_from_this();
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()), [self](beast::error_code ec, std::size_t) {
      self->queue_.pop_front();
      self->writing_ = false;
      if (ec) return self->fail("write: " + ec.message());
      if (!self->queue_.empty()) self->write();
    });
  }

  void fail(std::string why) {
    if (failed_) return;
    failed_ = true;
    open_ = false;
    if (h_.on_close) h_.on_close(std::move(why));
  }

  tcp::resolver resolver_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buf_;
  Url url_;
  Handlers h_;
  std::deque<std::string> queue_;
  bool open_ = false, writing_ = false, failed_ = false;
};

}  // namespace

std::shared_ptr<WsClient> WsClient::connect(asio::io_context& io, const Url& url, Handlers h) {
  auto c = std::make_shared<WsClientImpl>(io, url, std::move(h));
  c->start();
  return c;
}

}  // namespace wavry::runtime
