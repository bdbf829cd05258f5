#include "wavry/client/client_core.h"

#include "wavry/host/synthetic_video.h"
#include "wavry/proto/rift_packet.h"

namespace wavry::client {

using proto::PeerRole;

ClientCore::ClientCore(ClientConfig cfg, Random& rng) : cfg_(std::move(cfg)), rng_(rng) {
  cfg_.session.initiator = true;
  cfg_.session.static_keys = cfg_.static_keys;
}

void ClientCore::start(Instant now) {
  stats_.started = now;
  if (cfg_.direct) {
    peer_ = cfg_.direct;
    start_session(now);
  } else if (!cfg_.signaling_token) {
    fail("nothing to connect to: give --connect or a gateway");
  }
  flush(now);
}

void ClientCore::signaling_connected(Instant) {
  if (cfg_.signaling_token) signals_.push_back(proto::SigBind{*cfg_.signaling_token, cfg_.name, PeerRole::client});
}

void ClientCore::start_session(Instant now) {
  session_ = std::make_unique<session::RiftSession>(cfg_.session, rng_);
  session_->start(now);
}

void ClientCore::fail(std::string reason) {
  if (failed_) return;
  failed_ = true;
  events_.push_back(ClientFailed{std::move(reason)});
}

void ClientCore::handle_datagram(Instant now, SocketId, const Endpoint& from, std::span<const std::uint8_t> bytes) {
  if (!peer_ || from != *peer_) return;  // only our host (or our relay) may talk to us
  if (link_) {
    auto h = proto::decode_relay_header(bytes);
    if (!h || h->session != link_->credentials().session) return;
    auto inner = link_->handle_packet(now, *h, bytes);
    if (inner && session_) session_->handle_packet(now, *inner);
  } else if (session_) {
    session_->handle_packet(now, bytes);
  }
  flush(now);
}

void ClientCore::handle_signal(Instant now, const proto::SignalMessage& m) {
  if (auto* b = std::get_if<proto::SigBound>(&m)) {
    events_.push_back(SignalingNote{"bound at the gateway as '" + b->name + "'"});
    if (!link_) {  // after a reconnect with a relay in hand, nothing more to ask
      signals_.push_back(proto::SigRequestRelay{cfg_.target_host});
      relay_requests_ = 1;
    }
  } else if (auto* e = std::get_if<proto::SigError>(&m)) {
    if (e->code == "host_offline" && !link_ && relay_requests_ < cfg_.relay_request_attempts) {
      next_relay_request_ = now + cfg_.relay_request_retry;  // the host may not have bound yet
      events_.push_back(SignalingNote{"host '" + cfg_.target_host + "' not online yet; retrying"});
    } else if (!link_) {
      fail("gateway refused: " + e->code + ": " + e->message);
    }
  } else if (auto* c = std::get_if<proto::SigRelayCredentials>(&m)) {
    auto sid = Uuid::parse(c->session_id);
    auto relay = Endpoint::parse(c->relay_addr);
    if (link_ || !sid || !relay || c->role != PeerRole::client) return;
    link_.emplace(session::RelayCredentials{*sid, *relay, c->relay_id, c->lease, PeerRole::client, c->peer});
    peer_ = *relay;
    link_->start(now);
    events_.push_back(RelayGranted{c->session_id, c->relay_addr, c->relay_id});
  }
  flush(now);
}

void ClientCore::send_hello(Instant now) {
  rift::Message hello;
  auto* h = hello.mutable_control()->mutable_hello();
  h->set_client_name(cfg_.name);
  h->set_platform(rift::LINUX);
  h->add_supported_codecs(rift::SYNTHETIC);
  h->set_max_fps(60);
  h->set_protocol_version(1);
  session_->send(now, hello);
  next_hello_ = now + cfg_.hello_retry;
}

void ClientCore::handle_timeout(Instant now) {
  if (next_hello_ && now >= *next_hello_) {
    if (session_ && session_->established())
      send_hello(now);
    else
      next_hello_.reset();  // the session is gone: nothing to resend, and no deadline left in the past
  }
  if (next_relay_request_ && now >= *next_relay_request_) {
    next_relay_request_.reset();
    ++relay_requests_;
    signals_.push_back(proto::SigRequestRelay{cfg_.target_host});
  }
  if (link_) link_->handle_timeout(now);
  if (session_) session_->handle_timeout(now);
  flush(now);
}

void ClientCore::disconnect(Instant now, const std::string& reason) {
  if (session_ && session_->established()) {
    rift::Message bye;
    bye.mutable_control()->mutable_disconnect()->set_reason(reason);
    session_->send(now, bye);
    flush(now);
  }
}

void ClientCore::flush(Instant now) {
  if (link_) {
    while (auto pkt = link_->poll_packet()) out_.push_back(Transmit{kMediaSocket, *peer_, std::move(*pkt)});
    while (auto e = link_->poll_event()) {
      if (auto* a = std::get_if<session::RelayAccepted>(&*e)) {
        events_.push_back(RelayAdmitted{a->expires_unix_ms});
        if (!session_) start_session(now);
      } else {
        fail(std::string("relay refused the lease: ") + proto::to_string(std::get<session::RelayRefused>(*e).reason));
      }
    }
  }
  if (!session_) return;
  while (auto e = session_->poll_event()) {
    if (std::holds_alternative<session::Established>(*e)) {
      stats_.handshake_done = now;
      events_.push_back(HandshakeDone{});
      send_hello(now);
    } else if (auto* m = std::get_if<session::MessageReceived>(&*e)) {
      const auto& msg = m->message;
      if (msg.has_control() && msg.control().has_hello_ack()) {
        const auto& a = msg.control().hello_ack();
        if (!next_hello_) continue;  // a duplicate answer to a resent Hello
        next_hello_.reset();
        if (!a.accepted()) {
          fail("host refused the session: " + a.reject_reason());
        } else {
          events_.push_back(StreamAccepted{a.stream_resolution().width(), a.stream_resolution().height(), a.fps()});
        }
      } else if (msg.has_media() && msg.media().has_video()) {
        auto frame = assembler_.push(msg.media().video());
        if (!frame) continue;
        auto info = host::read_synthetic_frame(frame->data);
        if (!info || info->counter != frame->frame_id) {
          stats_.frames_corrupt++;
          continue;
        }
        if (last_frame_ && frame->frame_id <= *last_frame_) stats_.frames_out_of_order++;
        last_frame_ = frame->frame_id;
        stats_.frames++;
        stats_.media_bytes += frame->data.size();
        if (!stats_.first_frame) stats_.first_frame = now;
        Duration latency = (now - Instant{}) - std::chrono::microseconds(info->capture_us);
        stats_.latency_sum += latency;
        if (!stats_.latency_max || latency > *stats_.latency_max) stats_.latency_max = latency;
        events_.push_back(FrameDelivered{frame->frame_id, latency});
      }
    } else if (auto* c = std::get_if<session::Closed>(&*e)) {
      fail("session closed: " + c->reason);
    }
  }
  while (auto pkt = session_->poll_packet()) {
    if (!peer_) break;
    out_.push_back(Transmit{kMediaSocket, *peer_, link_ ? link_->wrap(*pkt) : std::move(*pkt)});
  }
}

std::optional<Instant> ClientCore::next_timeout() const {
  std::optional<Instant> t = next_relay_request_;
  if (next_hello_ && (!t || *next_hello_ < *t)) t = next_hello_;
  auto consider = [&](std::optional<Instant> i) {
    if (i && (!t || *i < *t)) t = i;
  };
  if (link_) consider(link_->next_timeout());
  if (session_) consider(session_->next_timeout());
  return t;
}

}  // namespace wavry::client
