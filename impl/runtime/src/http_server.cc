#include "wavry/runtime/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>

namespace wavry::runtime {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

class WsSession;

// Shared by the server and every session: a session can outlive the
// HttpServer object (its handlers run, or are destroyed, when the io_context
// gets to them), so it keeps this alive and checks `stopped` before calling
// a handler that may belong to an object already gone.
struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  asio::io_context& io;
  tcp::acceptor acceptor;
  Handler handler;
  std::optional<WsHandlers> ws;
  std::map<std::uint64_t, std::weak_ptr<WsSession>> sockets;
  std::uint64_t next_conn = 1;
  std::size_t open = 0;        // live HttpSession + WsSession objects
  std::uint64_t refused = 0;
  bool stopped = false;

  Impl(asio::io_context& i, tcp::acceptor a, Handler h, std::optional<WsHandlers> w)
      : io(i), acceptor(std::move(a)), handler(std::move(h)), ws(std::move(w)) {}
  void accept();
};

// Counts a live connection for as long as the session object exists.
struct ConnectionSlot {
  explicit ConnectionSlot(HttpServer::Impl& srv) : srv_(srv) { ++srv_.open; }
  ~ConnectionSlot() { --srv_.open; }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  HttpServer::Impl& srv_;
};

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(std::shared_ptr<HttpServer::Impl> srv, tcp::socket s, std::uint64_t id)
      : srv_(std::move(srv)), slot_(*srv_), ws_(std::move(s)), id_(id) {}

  void run(http::request<http::string_body> req) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(proto::kMaxHttpBody);
    auto self = shared_from_this();
    ws_.async_accept(req, [self](beast::error_code ec) {
      if (self->srv_->stopped) return;
      if (ec) return self->srv_->ws->on_close(self->id_);  // the open was counted; undo it
      self->srv_->sockets[self->id_] = self;
      self->open_ = true;
      if (!self->queue_.empty() && !self->writing_) self->write();
      self->read();
    });
  }

  void send(std::string text, bool close_after) {
    queue_.push_back({std::move(text), close_after});
    if (!writing_ && open_) write();
  }

  void close() {
    if (!open_) return;
    auto self = shared_from_this();
    ws_.async_close(websocket::close_code::normal, [self](beast::error_code) {});
  }

 private:
  void read() {
    auto self = shared_from_this();
    ws_.async_read(buf_, [self](beast::error_code ec, std::size_t) {
      if (ec || self->srv_->stopped) return self->closed();
      if (!self->ws_.got_text()) {
        self->buf_.consume(self->buf_.size());
        self->send(R"({"type":"ERROR","code":"binary_unsupported","message":"text frames only"})", false);
      } else {
        std::string text = beast::buffers_to_string(self->buf_.data());
        self->buf_.consume(self->buf_.size());
        self->srv_->ws->on_message(self->id_, std::move(text));
      }
      self->read();
    });
  }

  void write() {
    writing_ = true;
    auto self = shared_from_this();
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front().first), [self](beast::error_code ec, std::size_t) {
      bool close_after = self->queue_.front().second;
      self->queue_.pop_front();
      self->writing_ = false;
      if (ec) return;
      if (close_after) return self->close();
      if (!self->queue_.empty()) self->write();
    });
  }

  void closed() {
    if (!open_) return;
    open_ = false;
    if (srv_->stopped) return;
    srv_->sockets.erase(id_);
    srv_->ws->on_close(id_);
  }

  std::shared_ptr<HttpServer::Impl> srv_;
  ConnectionSlot slot_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buf_;
  std::uint64_t id_;
  bool open_ = false, writing_ = false;
  std::deque<std::pair<std::string, bool>> queue_;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(std::shared_ptr<HttpServer::Impl> srv, tcp::socket s)
      : srv_(std::move(srv)), slot_(*srv_), stream_(std::move(s)) {}

  void read() {
    parser_.emplace();
    parser_->body_limit(proto::kMaxHttpBody);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(30));
    auto self = shared_from_this();
    http::async_read(stream_, buf_, *parser_, [self](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (srv_->stopped) return;
    if (ec == http::error::end_of_stream) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      return;
    }
    if (ec) {
      if (ec == http::error::body_limit) respond(413, R"({"error":"too_large","message":"body over 64 KiB"})", false);
      return;
    }
    auto req = parser_->release();
    if (srv_->ws && websocket::is_upgrade(req) && req.target() == srv_->ws->path) {
      std::uint64_t id = srv_->next_conn++;
      if (!srv_->ws->on_open(id)) {
        respond(503, R"({"error":"over_capacity","message":"too many connections"})", false);
        return;
      }
      stream_.expires_never();
      std::make_shared<WsSession>(srv_, stream_.release_socket(), id)->run(std::move(req));
      return;
    }
    proto::HttpRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    if (auto it = req.find(http::field::authorization); it != req.end()) r.authorization = std::string(it->value());
    r.body = std::move(req.body());
    auto resp = srv_->handler(r);
    respond(resp.status, std::move(resp.body), req.keep_alive(), resp.content_type);
  }

  void respond(int status, std::string body, bool keep_alive, const std::string& type = "application/json") {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
    res->set(http::field::server, "wavry");
    res->set(http::field::content_type, type);
    res->keep_alive(keep_alive);
    res->body() = std::move(body);
    res->prepare_payload();
    auto self = shared_from_this();
    http::async_write(stream_, *res, [self, res](beast::error_code ec, std::size_t) {
      if (ec) return;
      if (res->keep_alive()) {
        self->read();
      } else {
        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      }
    });
  }

  std::shared_ptr<HttpServer::Impl> srv_;
  ConnectionSlot slot_;
  beast::tcp_stream stream_;
  beast::flat_buffer buf_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

void HttpServer::Impl::accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket s) {
    if (ec == asio::error::operation_aborted || self->stopped) return;
    if (!ec) {
      if (self->open >= HttpServer::kMaxConnections) {
        ++self->refused;  // over the bound: close at once rather than grow
        s.close(ec);
      } else {
        std::make_shared<HttpSession>(self, std::move(s))->read();
      }
    }
    self->accept();
  });
}

HttpServer::HttpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  impl_->stopped = true;
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

Result<std::unique_ptr<HttpServer>> HttpServer::bind(asio::io_context& io, const Endpoint& ep, Handler h,
                                                     std::optional<WsHandlers> ws) {
  beast::error_code ec;
  tcp::endpoint e(to_asio(ep.ip), ep.port);
  tcp::acceptor a(io);
  a.open(e.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(e, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(Errc::io, "cannot listen on " + ep.to_string() + ": " + ec.message());
  auto impl = std::make_shared<Impl>(io, std::move(a), std::move(h), std::move(ws));
  impl->accept();
  return std::make_unique<HttpServer>(std::move(impl));
}

Endpoint HttpServer::local_endpoint() const {
  auto e = impl_->acceptor.local_endpoint();
  return Endpoint{from_asio(e.address()), e.port()};
}

void HttpServer::ws_send(std::uint64_t conn, std::string text, bool close_after) {
  auto it = impl_->sockets.find(conn);
  if (it == impl_->sockets.end()) return;
  if (auto s = it->second.lock()) s->send(std::move(text), close_after);
}

std::size_t HttpServer::open_connections() const { return impl_->open; }
std::uint64_t HttpServer::refused_connections() const { return impl_->refused; }

void HttpServer::ws_close_all() {
  for (auto& [id, w] : impl_->sockets)
    if (auto s = w.lock()) s->close();
}

}  // namespace wavry::runtime
