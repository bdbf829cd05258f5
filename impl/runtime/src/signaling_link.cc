#include "wavry/runtime/signaling_link.h"

namespace wavry::runtime {

SignalingLink::SignalingLink(asio::io_context& io, Url url, Handlers h)
    : io_(io), url_(std::move(url)), h_(std::move(h)), retry_(io) {}

void SignalingLink::start() { connect(); }

void SignalingLink::connect() {
  ws_ = WsClient::connect(io_, url_,
                          {[this] {
                             backoff_ = 500ms;
                             if (h_.on_connected) h_.on_connected();
                           },
                           [this](std::string text) {
                             auto m = proto::parse_signal(text);
                             if (!m) {
                               if (h_.on_problem) h_.on_problem("unreadable message from the gateway: " + m.error().message);
                               return;
                             }
                             h_.on_message(*m);
                           },
                           [this](std::string why) {
                             if (stopped_) return;
                             if (h_.on_problem) h_.on_problem("gateway connection lost (" + why + "); reconnecting");
                             retry_.expires_after(backoff_);
                             backoff_ = std::min<Duration>(backoff_ * 2, 10s);
                             retry_.async_wait([this](const boost::system::error_code& ec) {
                               if (!ec && !stopped_) connect();
                             });
                           }});
}

void SignalingLink::send(const proto::SignalMessage& m) {
  if (ws_) ws_->send(proto::serialize_signal(m));
}

void SignalingLink::stop() {
  stopped_ = true;
  retry_.cancel();
  if (ws_) ws_->close();
}

}  // namespace wavry::runtime
