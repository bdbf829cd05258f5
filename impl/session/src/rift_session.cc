#include "wavry/session/rift_session.h"

#include "wavry/crypto/aead.h"
#include "wavry/proto/rift_messages.h"
#include "wavry/proto/rift_packet.h"

namespace wavry::session {

RiftSession::RiftSession(SessionConfig cfg, Random& rng)
    : cfg_(std::move(cfg)), noise_({cfg_.initiator, cfg_.static_keys, std::nullopt, {}}, rng) {
  // Alias 0 would read as a handshake header; 1 is the initiator's bootstrap.
  alias_ = cfg_.initiator ? proto::kBootstrapAlias : std::max<std::uint32_t>(rng.next_u32(), 2);
}

bool RiftSession::alias_acceptable(std::uint32_t alias) const {
  if (cfg_.initiator) return !alias_learned_ || alias == alias_;
  // The responder hears the bootstrap alias until its HelloAck gets through.
  return alias == alias_ || alias == proto::kBootstrapAlias;
}

void RiftSession::start(Instant now) {
  epoch_ = now;
  timers_.set(Timer::kIdle, now + cfg_.idle_timeout);
  if (!cfg_.initiator) return;
  auto m1 = noise_.write_message({});
  Bytes pkt;
  proto::encode_rift_handshake_header(pkt, 0);
  pkt.insert(pkt.end(), m1->begin(), m1->end());
  last_handshake_out_ = pkt;
  attempts_ = 1;
  queue(pkt);
  timers_.set(Timer::kHandshakeRetry, now + cfg_.handshake_retry);
}

void RiftSession::queue(Bytes pkt) {
  stats_.packets_sent++;
  stats_.bytes_sent += pkt.size();
  out_.push_back(std::move(pkt));
}

void RiftSession::handle_packet(Instant now, std::span<const std::uint8_t> dgram) {
  if (state_ == SessionState::closed) return;
  auto p = proto::decode_rift(dgram);
  if (!p) {
    stats_.dropped_malformed++;
    return;
  }
  // Transport pid 0 is Noise msg3; every data packet has pid >= 1.
  if (p->handshake || p->packet_id == 0) {
    handle_handshake(now, dgram, p->handshake, p->payload);
  } else if (!alias_acceptable(p->session_alias)) {
    stats_.dropped_alias++;
  } else {
    handle_data(now, p->header, p->packet_id, p->payload);
  }
}

void RiftSession::handle_handshake(Instant now, std::span<const std::uint8_t> dgram, bool hs_header,
                                   std::span<const std::uint8_t> payload) {
  if (!cfg_.initiator) {
    if (hs_header) {  // msg1
      if (!last_msg1_in_.empty()) {
        // A retransmitted msg1: answer with the cached msg2. A different msg1
        // on an existing session is ignored here; the host decides to reset.
        if (std::equal(dgram.begin(), dgram.end(), last_msg1_in_.begin(), last_msg1_in_.end()))
          queue(last_handshake_out_);
        else
          stats_.dropped_malformed++;
        return;
      }
      auto m2 = answer_handshake(payload);
      if (!m2) {
        stats_.dropped_auth++;
        return;
      }
      last_msg1_in_.assign(dgram.begin(), dgram.end());
      Bytes pkt;
      proto::encode_rift_handshake_header(pkt, 0);
      pkt.insert(pkt.end(), m2->begin(), m2->end());
      last_handshake_out_ = pkt;
      queue(pkt);
      timers_.set(Timer::kIdle, now + cfg_.idle_timeout);
      return;
    }
    // msg3 (transport header, pid 0)
    if (state_ == SessionState::established) return;  // a retransmitted msg3
    if (last_msg1_in_.empty()) {
      stats_.dropped_malformed++;
      return;
    }
    crypto::NoiseXX trial = noise_;  // a bad msg3 leaves the responder waiting for a good one
    if (!trial.read_message(payload)) {
      stats_.dropped_auth++;
      return;
    }
    noise_ = std::move(trial);
    become_established(now);
    return;
  }
  // Initiator: only msg2 is expected.
  if (!hs_header || noise_.is_complete()) return;
  auto m3 = answer_handshake(payload);  // a forged msg2 is dropped; the real one can still arrive
  if (!m3) {
    stats_.dropped_auth++;
    return;
  }
  Bytes pkt;
  proto::encode_rift_transport_header(pkt, proto::kBootstrapAlias, 0);
  pkt.insert(pkt.end(), m3->begin(), m3->end());
  last_handshake_out_ = pkt;
  queue(pkt);
  become_established(now);
  // Keep resending msg3 until the responder is heard from.
  timers_.set(Timer::kHandshakeRetry, now + cfg_.handshake_retry);
}

std::optional<Bytes> RiftSession::answer_handshake(std::span<const std::uint8_t> payload) {
  // On a copy, committed only when both steps succeed: msg1 carries no MAC,
  // so a bad one (a low-order ephemeral key) shows only as a failed DH while
  // msg2 is written, and a message we cannot answer must leave the
  // handshake exactly as it was.
  crypto::NoiseXX trial = noise_;
  if (!trial.read_message(payload)) return std::nullopt;
  auto reply = trial.write_message({});
  if (!reply) return std::nullopt;
  noise_ = std::move(trial);
  return std::move(*reply);
}

void RiftSession::become_established(Instant now) {
  auto [i2r, r2i] = noise_.split();
  send_key_ = cfg_.initiator ? i2r.key() : r2i.key();
  recv_key_ = cfg_.initiator ? r2i.key() : i2r.key();
  state_ = SessionState::established;
  if (!cfg_.initiator) timers_.clear(Timer::kHandshakeRetry);
  timers_.set(Timer::kIdle, now + cfg_.idle_timeout);
  if (cfg_.initiator && cfg_.ping_interval.count() > 0) timers_.set(Timer::kPing, now);
  timers_.set(Timer::kKeyAge, now + cfg_.max_key_age);
  events_.push_back(Established{});
}

void RiftSession::handle_data(Instant now, std::span<const std::uint8_t> header, std::uint64_t pid,
                              std::span<const std::uint8_t> payload) {
  if (state_ != SessionState::established) {
    stats_.dropped_malformed++;
    return;
  }
  if (!replay_.check(pid)) {
    stats_.dropped_replay++;
    return;
  }
  auto pt = crypto::aead_open(recv_key_, pid, header, payload);
  if (!pt) {
    stats_.dropped_auth++;
    return;
  }
  replay_.commit(pid);  // only after authentication
  stats_.packets_received++;
  stats_.bytes_received += header.size() + payload.size();
  timers_.set(Timer::kIdle, now + cfg_.idle_timeout);
  if (cfg_.initiator && !peer_confirmed_) {
    peer_confirmed_ = true;
    timers_.clear(Timer::kHandshakeRetry);
  }
  auto msg = proto::decode_message(*pt);
  if (!msg) {
    stats_.dropped_malformed++;
    return;
  }
  if (msg->has_control()) {
    const auto& c = msg->control();
    if (c.has_ping()) {
      rift::Message pong;
      pong.mutable_control()->mutable_pong()->set_timestamp_us(c.ping().timestamp_us());
      send(now, pong);
      return;
    }
    if (c.has_pong()) {
      std::int64_t sent_us = static_cast<std::int64_t>(c.pong().timestamp_us());
      Duration rtt = (now - epoch_) - std::chrono::microseconds(sent_us);
      if (rtt.count() >= 0) {
        stats_.pongs_received++;
        stats_.last_rtt = rtt;
        if (!stats_.min_rtt || rtt < *stats_.min_rtt) stats_.min_rtt = rtt;
        if (!stats_.max_rtt || rtt > *stats_.max_rtt) stats_.max_rtt = rtt;
        stats_.rtt_sum += rtt;
        events_.push_back(RttSample{rtt});
      }
      return;
    }
    if (cfg_.initiator && c.has_hello_ack() && c.hello_ack().accepted() && c.hello_ack().session_alias() > 1) {
      alias_ = c.hello_ack().session_alias();
      alias_learned_ = true;
    }
    if (c.has_disconnect()) {
      close("peer disconnected: " + c.disconnect().reason());
      return;
    }
  }
  events_.push_back(MessageReceived{std::move(*msg)});
}

bool RiftSession::send(Instant now, const rift::Message& m) {
  if (state_ != SessionState::established) return false;
  // Packet ids 1 .. max_packet_id-1 carry data; max_packet_id itself carries
  // the goodbye, so no nonce is ever used twice under one key.
  if (next_pid_ >= cfg_.max_packet_id) {
    end_for_key_limit("packet id");
    return false;
  }
  seal_and_queue(m);
  return true;
}

void RiftSession::seal_and_queue(const rift::Message& m) {
  Bytes pt = proto::encode_message(m);
  Bytes pkt;
  pkt.reserve(proto::kRiftTransportHeader + pt.size() + crypto::kAeadTag);
  std::uint64_t pid = next_pid_++;
  proto::encode_rift_transport_header(pkt, alias_, pid);
  Bytes header(pkt.begin(), pkt.end());
  crypto::aead_seal(send_key_, pid, header, pt, pkt);
  queue(std::move(pkt));
}

void RiftSession::end_for_key_limit(const char* what) {
  std::string reason = std::string("key limit reached (") + what + ")";
  rift::Message bye;
  bye.mutable_control()->mutable_disconnect()->set_reason(reason);
  seal_and_queue(bye);
  close(reason + ": reconnect for fresh keys");
}

void RiftSession::send_ping(Instant now) {
  rift::Message ping;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - epoch_).count();
  ping.mutable_control()->mutable_ping()->set_timestamp_us(static_cast<std::uint64_t>(us));
  if (send(now, ping)) stats_.pings_sent++;
}

bool RiftSession::is_new_initiation(std::span<const std::uint8_t> d) const {
  if (cfg_.initiator || last_msg1_in_.empty()) return false;
  auto p = proto::decode_rift(d);
  return p && p->handshake && !std::equal(d.begin(), d.end(), last_msg1_in_.begin(), last_msg1_in_.end());
}

void RiftSession::handle_timeout(Instant now) {
  if (state_ == SessionState::closed) return;
  if (timers_.take_due(Timer::kIdle, now)) {
    close(state_ == SessionState::established ? "idle timeout" : "handshake timeout");
    return;
  }
  if (timers_.take_due(Timer::kKeyAge, now)) {
    end_for_key_limit("key age");
    return;
  }
  if (timers_.take_due(Timer::kHandshakeRetry, now)) {
    if (state_ == SessionState::handshaking) {
      if (attempts_ >= cfg_.handshake_attempts) {
        close("no answer to the handshake");
        return;
      }
      ++attempts_;
    }
    queue(last_handshake_out_);
    timers_.set(Timer::kHandshakeRetry, now + cfg_.handshake_retry);
  }
  if (timers_.take_due(Timer::kPing, now)) {
    send_ping(now);
    timers_.set(Timer::kPing, now + cfg_.ping_interval);
  }
}

void RiftSession::close(std::string reason) {
  if (state_ == SessionState::closed) return;
  state_ = SessionState::closed;
  timers_ = {};
  events_.push_back(Closed{std::move(reason)});
}

std::optional<Bytes> RiftSession::poll_packet() { return pop_front(out_); }

std::optional<SessionEvent> RiftSession::poll_event() { return pop_front(events_); }

}  // namespace wavry::session
