#include "wavry/host/host_core.h"

#include "wavry/host/synthetic_video.h"
#include "wavry/proto/rift_packet.h"

namespace wavry::host {

using proto::PeerRole;

HostCore::HostCore(HostConfig cfg, Random& rng) : cfg_(std::move(cfg)), rng_(rng) {
  cfg_.session.initiator = false;
  cfg_.session.static_keys = cfg_.static_keys;
  cfg_.fps = std::clamp<std::uint32_t>(cfg_.fps, 1, 240);
}

// Nothing to prepare: state is created by a peer's handshake or by relay credentials.
void HostCore::start(Instant) {}

void HostCore::signaling_connected(Instant) {
  if (cfg_.signaling_token) signals_.push_back(proto::SigBind{*cfg_.signaling_token, cfg_.name, PeerRole::host});
}

std::string HostCore::describe(const PeerKey& k) const {
  if (k.relay_session) return "relay " + k.endpoint.to_string() + " session " + k.relay_session->to_string();
  return k.endpoint.to_string();
}

void HostCore::handle_datagram(Instant now, SocketId, const Endpoint& from, std::span<const std::uint8_t> bytes) {
  stats_.datagrams_in++;
  if (proto::looks_like_relay(bytes)) {
    auto h = proto::decode_relay_header(bytes);
    auto link = h ? relays_.find(h->session) : relays_.end();
    if (link == relays_.end() || link->second.credentials().relay != from) {
      stats_.dropped_unknown++;  // only the relay we hold a lease with may talk for a session
      return;
    }
    if (auto inner = link->second.handle_packet(now, *h, bytes)) feed_peer(now, PeerKey{h->session, from}, *inner);
  } else if (proto::looks_like_rift(bytes)) {
    feed_peer(now, PeerKey{std::nullopt, from}, bytes);
  } else {
    stats_.dropped_unknown++;
  }
  flush(now);
}

void HostCore::feed_peer(Instant now, const PeerKey& key, std::span<const std::uint8_t> rift) {
  auto it = peers_.find(key);
  if (it != peers_.end() && it->second.session->is_new_initiation(rift)) {
    // The same address starts a new handshake: the client restarted.
    events_.push_back(PeerGone{describe(key), "peer restarted its session"});
    peers_.erase(it);
    it = peers_.end();
  }
  if (it == peers_.end()) {
    // Only a handshake initiation may create state, and the table is bounded.
    auto p = proto::decode_rift(rift);
    if (!p || !p->handshake) {
      stats_.dropped_unknown++;
      return;
    }
    if (peers_.size() >= cfg_.max_peers) {
      stats_.dropped_table_full++;
      return;
    }
    Peer peer;
    peer.session = std::make_unique<session::RiftSession>(cfg_.session, rng_);
    peer.session->start(now);
    it = peers_.emplace(key, std::move(peer)).first;
  }
  it->second.session->handle_packet(now, rift);
}

void HostCore::on_message(Instant now, const PeerKey& key, Peer& p, const rift::Message& m) {
  if (!m.has_control() || !m.control().has_hello()) return;  // input and the rest arrive with later issues
  const auto& hello = m.control().hello();
  p.client_name = hello.client_name().substr(0, 64);
  rift::Message ack;
  auto* a = ack.mutable_control()->mutable_hello_ack();
  a->set_accepted(true);
  a->set_selected_codec(rift::SYNTHETIC);
  a->mutable_stream_resolution()->set_width(cfg_.width);
  a->mutable_stream_resolution()->set_height(cfg_.height);
  a->set_fps(cfg_.fps);
  a->set_initial_bitrate_kbps(cfg_.bitrate_kbps);
  a->set_keyframe_interval_ms(static_cast<std::uint32_t>(duration_cast<std::chrono::milliseconds>(cfg_.keyframe_interval).count()));
  std::string sid(16, '\0');
  rng_.fill(std::span(reinterpret_cast<std::uint8_t*>(sid.data()), sid.size()));
  a->set_session_id(sid);
  a->set_session_alias(p.session->alias());
  p.session->send(now, ack);
  if (!p.streaming) {
    p.streaming = true;
    p.next_frame_at = now;
    p.last_keyframe = now - cfg_.keyframe_interval;
    stats_.peers_accepted++;
    events_.push_back(PeerConnected{describe(key), p.client_name});
  }
}

void HostCore::send_frame(Instant now, Peer& p) {
  std::uint64_t capture_us = static_cast<std::uint64_t>(duration_cast<std::chrono::microseconds>(now - Instant{}).count());
  bool key = now - p.last_keyframe >= cfg_.keyframe_interval;
  if (key) p.last_keyframe = now;
  std::uint64_t id = p.next_frame_id++;
  Bytes frame = make_synthetic_frame(id, capture_us, cfg_.frame_bytes);
  for (const auto& chunk : chunk_frame(id, capture_us, key, frame, cfg_.chunk_payload)) {
    if (!p.session->send(now, chunk)) return;
    stats_.chunks_sent++;
  }
  stats_.frames_sent++;
  stats_.media_bytes_sent += frame.size();
}

void HostCore::handle_signal(Instant now, const proto::SignalMessage& m) {
  if (auto* b = std::get_if<proto::SigBound>(&m)) {
    events_.push_back(SignalingStatus{"bound at the gateway as '" + b->name + "'"});
  } else if (auto* e = std::get_if<proto::SigError>(&m)) {
    events_.push_back(SignalingStatus{"gateway error " + e->code + ": " + e->message, true});
  } else if (auto* c = std::get_if<proto::SigRelayCredentials>(&m)) {
    auto sid = Uuid::parse(c->session_id);
    auto relay = Endpoint::parse(c->relay_addr);
    if (!sid || !relay || c->role != PeerRole::host) {
      events_.push_back(SignalingStatus{"ignored unusable relay credentials", true});
      return;
    }
    if (relays_.size() >= cfg_.max_peers) {
      events_.push_back(RelayFailed{c->session_id, "too many relayed sessions"});
      return;
    }
    session::RelayCredentials rc{*sid, *relay, c->relay_id, c->lease, PeerRole::host, c->peer};
    auto [it, inserted] = relays_.try_emplace(*sid, rc);
    if (inserted) it->second.start(now);
  }
  flush(now);
}

void HostCore::handle_timeout(Instant now) {
  for (auto& [sid, link] : relays_) link.handle_timeout(now);
  for (auto& [key, p] : peers_) {
    p.session->handle_timeout(now);
    if (p.streaming && p.session->established()) {
      Duration frame_gap = std::chrono::nanoseconds(1'000'000'000 / cfg_.fps);
      // Catch up at most one frame per wake-up: a stalled host skips frames rather than burst.
      if (now >= p.next_frame_at) {
        send_frame(now, p);
        p.next_frame_at = std::max(p.next_frame_at + frame_gap, now);
      }
    }
  }
  flush(now);
}

void HostCore::flush(Instant now) {
  for (auto& [sid, link] : relays_) {
    while (auto pkt = link.poll_packet()) out_.push_back(Transmit{kMediaSocket, link.credentials().relay, std::move(*pkt)});
    while (auto e = link.poll_event()) {
      if (auto* a = std::get_if<session::RelayAccepted>(&*e))
        events_.push_back(RelayReady{sid.to_string(), link.credentials().relay.to_string(), link.credentials().peer_name,
                                     a->expires_unix_ms});
      else
        events_.push_back(RelayFailed{sid.to_string(), proto::to_string(std::get<session::RelayRefused>(*e).reason)});
    }
  }
  for (auto it = peers_.begin(); it != peers_.end();) {
    const PeerKey& key = it->first;
    Peer& p = it->second;
    // Events first: answering a message queues packets, drained just below.
    bool closed = false;
    while (auto e = p.session->poll_event()) {
      if (auto* m = std::get_if<session::MessageReceived>(&*e)) {
        on_message(now, key, p, m->message);
      } else if (auto* c = std::get_if<session::Closed>(&*e)) {
        events_.push_back(PeerGone{describe(key), c->reason});
        closed = true;
      }
    }
    while (auto pkt = p.session->poll_packet()) {
      if (!key.relay_session) {
        out_.push_back(Transmit{kMediaSocket, key.endpoint, std::move(*pkt)});
      } else if (auto link = relays_.find(*key.relay_session); link != relays_.end()) {
        out_.push_back(Transmit{kMediaSocket, key.endpoint, link->second.wrap(*pkt)});
      }
    }
    if (closed) {
      if (key.relay_session) relays_.erase(*key.relay_session);
      it = peers_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<Instant> HostCore::next_timeout() const {
  std::optional<Instant> t;
  auto consider = [&](std::optional<Instant> i) {
    if (i && (!t || *i < *t)) t = i;
  };
  for (const auto& [sid, link] : relays_) consider(link.next_timeout());
  for (const auto& [key, p] : peers_) {
    consider(p.session->next_timeout());
    if (p.streaming) consider(p.next_frame_at);
  }
  return t;
}

}  // namespace wavry::host
