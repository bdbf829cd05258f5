#include "wavry/runtime/http_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>

namespace wavry::runtime {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<Url> parse_url(std::string_view u) {
  Url url;
  std::size_t sep = u.find("://");
  if (sep == std::string_view::npos) return make_error(Errc::invalid_argument, "not a URL: " + std::string(u));
  url.scheme = std::string(u.substr(0, sep));
  if (url.scheme == "https" || url.scheme == "wss")
    return make_error(Errc::invalid_argument, url.scheme + ":// is not supported yet; use http:// or ws:// on a trusted network");
  if (url.scheme != "http" && url.scheme != "ws")
    return make_error(Errc::invalid_argument, "unsupported URL scheme " + url.scheme);
  std::string_view rest = u.substr(sep + 3);
  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  url.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  std::size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == authority.size())
    return make_error(Errc::invalid_argument, "URL needs host:port: " + std::string(u));
  url.host = std::string(authority.substr(0, colon));
  url.port = std::string(authority.substr(colon + 1));
  if (url.host.empty()) return make_error(Errc::invalid_argument, "URL has no host: " + std::string(u));
  return url;
}

namespace {

class CallSession : public std::enable_shared_from_this<CallSession> {
 public:
  CallSession(asio::io_context& io, std::function<void(proto::CallResult)> done)
      : resolver_(io), stream_(io), done_(std::move(done)) {}

  void run(const Url& base, const proto::HttpRequest& r, Duration timeout) {
    req_.method_string(r.method);
    req_.target(r.target);
    req_.version(11);
    req_.set(http::field::host, base.host);
    req_.set(http::field::user_agent, "wavry");
    req_.set(http::field::content_type, "application/json");
    if (!r.authorization.empty()) req_.set(http::field::authorization, r.authorization);
    req_.body() = r.body;
    req_.prepare_payload();
    timeout_ = timeout;
    auto self = shared_from_this();
    resolver_.async_resolve(base.host, base.port, [self](beast::error_code ec, tcp::resolver::results_type res) {
      if (ec) return self->finish(0, ec.message());
      self->stream_.expires_after(self->timeout_);
      self->stream_.async_connect(res, [self](beast::error_code ec2, const tcp::endpoint&) {
        if (ec2) return self->finish(0, ec2.message());
        http::async_write(self->stream_, self->req_, [self](beast::error_code ec3, std::size_t) {
          if (ec3) return self->finish(0, ec3.message());
          self->parser_.body_limit(proto::kMaxHttpBody);
          http::async_read(self->stream_, self->buf_, self->parser_, [self](beast::error_code ec4, std::size_t) {
            if (ec4) return self->finish(0, ec4.message());
            auto& res2 = self->parser_.get();
            self->finish(static_cast<int>(res2.result_int()), std::move(res2.body()));
          });
        });
      });
    });
  }

 private:
  void finish(int status, std::string body) {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    if (done_) done_(proto::CallResult{0, status, std::move(body)});
    done_ = nullptr;
  }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buf_;
  http::request<http::string_body> req_;
  http::response_parser<http::string_body> parser_;
  std::function<void(proto::CallResult)> done_;
  Duration timeout_{};
};

}  // namespace

void http_call(asio::io_context& io, const Url& base, const proto::HttpRequest& req,
               std::function<void(proto::CallResult)> done, Duration timeout) {
  std::make_shared<CallSession>(io, std::move(done))->run(base, req, timeout);
}

}  // namespace wavry::runtime
