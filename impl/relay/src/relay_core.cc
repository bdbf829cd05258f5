#include "wavry/proto/json_util.h"
#include "wavry/relay/relay_core.h"

#include <nlohmann/json.hpp>

#include "wavry/core/bytes.h"
#include "wavry/proto/control_api.h"
#include "wavry/proto/relay_packet.h"
#include "wavry/proto/rift_packet.h"

namespace wavry::relay {

using nlohmann::json;
using proto::PeerRole;
using proto::RejectReason;

RelayCore::RelayCore(RelayConfig cfg, WallClock wall) : cfg_(std::move(cfg)), wall_(wall) {
  verifier_.set_skew(cfg_.clock_skew);
  if (cfg_.master_key) verifier_.trust(crypto::key_id(*cfg_.master_key), *cfg_.master_key);
}

void RelayCore::start(Instant now) {
  started_ = now;
  timers_.set(Timer::kRegister, now);
  timers_.set(Timer::kCleanup, now + cfg_.cleanup_interval);
}

std::size_t RelayCore::active_session_count() const {
  std::size_t n = 0;
  for (const auto& [id, s] : sessions_) n += s.peers[0].present && s.peers[1].present;
  return n;
}

bool RelayCore::ready() const {
  return registered_ && verifier_.has_keys() && sessions_.size() < cfg_.max_sessions;
}

void RelayCore::handle_datagram(Instant now, SocketId, const Endpoint& from, std::span<const std::uint8_t> bytes) {
  counters_.packets_rx++;
  counters_.bytes_rx += bytes.size();
  auto h = proto::decode_relay_header(bytes);
  if (!h) {
    counters_.dropped_invalid++;
    return;
  }
  auto payload = bytes.subspan(proto::kRelayHeader);
  switch (h->type) {
    case proto::RelayType::lease_present:
    case proto::RelayType::lease_renew:
      on_lease(now, from, *h, payload);
      return;
    case proto::RelayType::forward:
      on_forward(now, from, *h, bytes);
      return;
    default:  // ACK/REJECT only travel relay -> peer
      counters_.dropped_invalid++;
      return;
  }
}

void RelayCore::reject(const Endpoint& to, const Uuid& s, RejectReason r, std::string detail) {
  switch (r) {
    case RejectReason::invalid_signature: counters_.reject_invalid_signature++; break;
    case RejectReason::expired: counters_.reject_expired++; break;
    case RejectReason::wrong_relay: counters_.reject_wrong_relay++; break;
    case RejectReason::session_full: counters_.reject_session_full++; break;
    default: counters_.reject_invalid_lease++; break;
  }
  out_.push_back(Transmit{kRelaySocket, to, proto::encode_lease_reject(s, r)});
  events_.push_back(LeaseRejected{s, r, std::move(detail), to});
}

void RelayCore::on_lease(Instant now, const Endpoint& from, const proto::RelayHeader& h,
                         std::span<const std::uint8_t> payload) {
  counters_.lease_present++;
  auto lp = proto::decode_lease_present(payload);
  if (!lp) {
    counters_.dropped_invalid++;
    return;
  }
  auto result = verifier_.verify(lp->token, wall_.at(now), h.session, lp->role, cfg_.relay_id);
  if (auto* f = std::get_if<LeaseFailure>(&result)) {
    reject(from, h.session, f->reason, f->detail);
    return;
  }
  const auto& claims = std::get<LeaseCheck>(result).claims;
  auto it = sessions_.find(h.session);
  if (it == sessions_.end()) {
    // Sessions are created only for a valid lease, so junk cannot fill the table.
    if (sessions_.size() >= cfg_.max_sessions) {
      reject(from, h.session, RejectReason::session_full, "relay at --max-sessions");
      return;
    }
    it = sessions_.emplace(h.session, Session{}).first;
    it->second.created = now;
    counters_.sessions_created++;
  }
  Session& s = it->second;
  PeerSlot& slot = s.peers[static_cast<int>(lp->role)];
  if (slot.present && slot.sub != claims.sub) {
    // The first identity to claim a role keeps it for the session.
    counters_.reject_identity_mismatch++;
    reject(from, h.session, RejectReason::invalid_lease, "role already held by another identity");
    return;
  }
  if (slot.present && slot.endpoint != from) counters_.nat_rebinds++;
  bool was_present = slot.present;
  slot.present = true;
  slot.sub = claims.sub;
  slot.endpoint = from;
  // A fresh lease extends the slot; an older one never shortens it.
  slot.lease_expires = std::max(slot.lease_expires, claims.exp);
  slot.last_seen = now;
  s.last_activity = now;
  s.soft_kbps = std::max<std::uint32_t>(claims.soft_kbps, 1000);
  s.hard_kbps = std::max(claims.hard_kbps, s.soft_kbps);
  counters_.lease_accepted++;
  out_.push_back(Transmit{kRelaySocket, from,
                          proto::encode_lease_ack(h.session, {static_cast<std::uint64_t>(slot.lease_expires.millis()),
                                                               s.soft_kbps, s.hard_kbps})});
  if (!was_present) events_.push_back(PeerAdmitted{h.session, lp->role, claims.sub, from});
}

void RelayCore::on_forward(Instant now, const Endpoint& from, const proto::RelayHeader& h,
                           std::span<const std::uint8_t> dgram) {
  auto it = sessions_.find(h.session);
  if (it == sessions_.end()) {
    counters_.dropped_session_not_found++;
    return;
  }
  Session& s = it->second;
  int sender = -1;
  for (int r = 0; r < 2; ++r)
    if (s.peers[r].present && s.peers[r].endpoint == from) sender = r;
  if (sender < 0) {
    counters_.dropped_unknown_peer++;  // a FORWARD is bound to the address that presented the lease
    return;
  }
  PeerSlot& src = s.peers[sender];
  PeerSlot& dst = s.peers[1 - sender];
  if (!dst.present) {
    counters_.dropped_peer_absent++;
    return;
  }
  UnixTime wall = wall_.at(now);
  if (src.lease_expires <= wall || dst.lease_expires <= wall) {
    counters_.dropped_lease_expired++;  // forwarding stops at lease expiry, without grace
    return;
  }
  auto inner = dgram.subspan(proto::kRelayHeader);
  // Replay check on the sender's packet ids. RIFT handshake packets (pid 0)
  // are legitimately retransmitted, so only data packets are checked.
  if (proto::looks_like_rift(inner)) {
    auto rp = proto::decode_rift(inner);
    if (!rp) {
      counters_.dropped_invalid++;
      return;
    }
    if (rp->packet_id != 0 && !src.replay.check_and_commit(rp->packet_id)) {
      counters_.dropped_replay++;
      return;
    }
  } else {
    if (inner.size() < 8) {
      counters_.dropped_invalid++;
      return;
    }
    ByteReader r(inner);
    if (!src.replay.check_and_commit(r.u64())) {
      counters_.dropped_replay++;
      return;
    }
  }
  src.last_seen = now;
  s.last_activity = now;
  s.packets++;
  s.bytes += dgram.size();
  counters_.packets_forwarded++;
  counters_.bytes_forwarded += dgram.size();
  Bytes copy(dgram.begin(), dgram.end());
  copy[3] = 0;  // flags are reserved
  out_.push_back(Transmit{kRelaySocket, dst.endpoint, std::move(copy)});
}

void RelayCore::handle_timeout(Instant now) {
  if (timers_.take_due(Timer::kRegister, now)) send_register(now);
  if (timers_.take_due(Timer::kHeartbeat, now)) send_heartbeat(now);
  if (timers_.take_due(Timer::kCleanup, now)) {
    cleanup(now);
    timers_.set(Timer::kCleanup, now + cfg_.cleanup_interval);
  }
}

void RelayCore::cleanup(Instant now) {
  UnixTime wall = wall_.at(now);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    Session& s = it->second;
    bool both = s.peers[0].present && s.peers[1].present;
    bool expired = true;
    for (auto& p : s.peers)
      if (p.present && p.lease_expires > wall) expired = false;
    std::string reason;
    if (expired) {
      reason = "lease expired";
      counters_.sessions_expired++;
    } else if (now - s.last_activity > cfg_.idle_timeout) {
      reason = "idle";
      counters_.sessions_idle++;
    } else if (!both && now - s.created > cfg_.waiting_timeout) {
      reason = "second peer never arrived";
      counters_.sessions_idle++;
    }
    if (!reason.empty()) {
      events_.push_back(SessionEnded{it->first, reason});
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
}

void RelayCore::send_register(Instant now) {
  proto::RelayRegisterRequest r{cfg_.relay_id, {cfg_.advertised.to_string()}, cfg_.region, cfg_.asn,
                                cfg_.max_sessions, cfg_.max_bitrate_kbps};
  std::uint64_t id = next_call_id_++;
  register_call_ = id;
  std::string auth = cfg_.master_token.empty() ? "" : "Bearer " + cfg_.master_token;
  calls_.push_back({id, "master", {"POST", "/v1/relays/register", auth, proto::to_json(r)}});
  (void)now;
}

void RelayCore::send_heartbeat(Instant now) {
  double load = cfg_.max_sessions ? 100.0 * static_cast<double>(sessions_.size()) / cfg_.max_sessions : 100.0;
  proto::RelayHeartbeat hb{cfg_.relay_id, std::min(load, 100.0), static_cast<std::uint32_t>(active_session_count())};
  std::uint64_t id = next_call_id_++;
  heartbeat_call_ = id;
  std::string auth = cfg_.master_token.empty() ? "" : "Bearer " + cfg_.master_token;
  calls_.push_back({id, "master", {"POST", "/v1/relays/heartbeat", auth, proto::to_json(hb)}});
  (void)now;
}

void RelayCore::handle_call_result(Instant now, const proto::CallResult& r) {
  if (register_call_ && r.id == *register_call_) {
    register_call_.reset();
    auto resp = r.status == 200 ? proto::parse_relay_register_response(r.body)
                                : Result<proto::RelayRegisterResponse>(make_error(Errc::unavailable, "status " + std::to_string(r.status)));
    if (!resp) {
      events_.push_back(MasterUnreachable{"register: " + resp.error().message + " " + r.body.substr(0, 200)});
      timers_.set(Timer::kRegister, now + register_backoff_);
      register_backoff_ = std::min<Duration>(register_backoff_ * 2, 30s);
      return;
    }
    Bytes pk;
    if (!cfg_.master_key && cfg_.trust_master_key_from_registration && from_hex(resp->master_public_key, pk) &&
        pk.size() == 32) {
      crypto::PublicKey key;
      std::copy(pk.begin(), pk.end(), key.begin());
      verifier_.trust(crypto::key_id(key), key);
    }
    registered_ = true;
    register_backoff_ = 1s;
    heartbeat_failures_ = 0;
    heartbeat_interval_ = std::chrono::milliseconds(resp->heartbeat_interval_ms);
    timers_.set(Timer::kHeartbeat, now + heartbeat_interval_);
    events_.push_back(MasterRegistered{resp->master_key_id});
    return;
  }
  if (heartbeat_call_ && r.id == *heartbeat_call_) {
    heartbeat_call_.reset();
    if (r.status == 200) {
      heartbeat_failures_ = 0;
      registered_ = true;
      timers_.set(Timer::kHeartbeat, now + heartbeat_interval_);
      return;
    }
    ++heartbeat_failures_;
    registered_ = false;
    events_.push_back(MasterUnreachable{"heartbeat status " + std::to_string(r.status)});
    if (r.status == 404 || heartbeat_failures_ >= 3) {
      timers_.set(Timer::kRegister, now);  // the master forgot us (restart): register again
    } else {
      timers_.set(Timer::kHeartbeat, now + heartbeat_interval_);
    }
  }
}

proto::HttpResponse RelayCore::handle_http(Instant now, const proto::HttpRequest& req) const {
  if (req.method != "GET") return proto::error_response(405, "method_not_allowed", "GET only");
  if (req.target == "/health") {
    const auto& c = counters_;
    return proto::json_response(
        200, proto::dump_json(json{{"status", "ok"},
                  {"relay_id", cfg_.relay_id},
                  {"ready", ready()},
                  {"registered_with_master", registered_},
                  {"has_master_key", verifier_.has_keys()},
                  {"sessions", sessions_.size()},
                  {"active_sessions", active_session_count()},
                  {"max_sessions", cfg_.max_sessions},
                  {"uptime_secs", duration_cast<std::chrono::seconds>(now - started_).count()},
                  {"packets_forwarded", c.packets_forwarded},
                  {"bytes_forwarded", c.bytes_forwarded}}));
  }
  if (req.target == "/ready") {
    bool ok = ready();
    return proto::json_response(ok ? 200 : 503, proto::dump_json(json{{"relay_id", cfg_.relay_id}, {"ready", ok}}));
  }
  if (req.target == "/metrics") return {200, "text/plain; version=0.0.4", prometheus_metrics()};
  return proto::error_response(404, "not_found", "no such endpoint");
}

std::string RelayCore::prometheus_metrics() const {
  const auto& c = counters_;
  std::string out;
  auto counter = [&](const char* name, std::uint64_t v, const char* help) {
    out += std::string("# HELP wavry_relay_") + name + " " + help + "\n# TYPE wavry_relay_" + name + " counter\n";
    out += std::string("wavry_relay_") + name + " " + std::to_string(v) + "\n";
  };
  auto dropped = [&](const char* reason, std::uint64_t v) {
    out += std::string("wavry_relay_dropped_packets_total{reason=\"") + reason + "\"} " + std::to_string(v) + "\n";
  };
  auto rejected = [&](const char* reason, std::uint64_t v) {
    out += std::string("wavry_relay_lease_rejects_total{reason=\"") + reason + "\"} " + std::to_string(v) + "\n";
  };
  counter("packets_received_total", c.packets_rx, "Datagrams received.");
  counter("bytes_received_total", c.bytes_rx, "Bytes received.");
  counter("packets_forwarded_total", c.packets_forwarded, "Datagrams forwarded between peers.");
  counter("bytes_forwarded_total", c.bytes_forwarded, "Bytes forwarded between peers.");
  counter("lease_presents_total", c.lease_present, "LEASE_PRESENT and LEASE_RENEW packets.");
  counter("leases_accepted_total", c.lease_accepted, "Leases accepted.");
  counter("sessions_created_total", c.sessions_created, "Sessions created.");
  counter("nat_rebinds_total", c.nat_rebinds, "Peers that re-presented from a new address.");
  out += "# HELP wavry_relay_dropped_packets_total Datagrams dropped, by reason.\n"
         "# TYPE wavry_relay_dropped_packets_total counter\n";
  dropped("invalid", c.dropped_invalid);
  dropped("session_not_found", c.dropped_session_not_found);
  dropped("unknown_peer", c.dropped_unknown_peer);
  dropped("peer_absent", c.dropped_peer_absent);
  dropped("lease_expired", c.dropped_lease_expired);
  dropped("replay", c.dropped_replay);
  out += "# HELP wavry_relay_lease_rejects_total Leases refused, by reason.\n"
         "# TYPE wavry_relay_lease_rejects_total counter\n";
  rejected("invalid_signature", c.reject_invalid_signature);
  rejected("expired", c.reject_expired);
  rejected("wrong_relay", c.reject_wrong_relay);
  rejected("invalid_lease", c.reject_invalid_lease);
  rejected("session_full", c.reject_session_full);
  rejected("identity_mismatch", c.reject_identity_mismatch);
  out += "# HELP wavry_relay_sessions Sessions in the table.\n# TYPE wavry_relay_sessions gauge\n";
  out += "wavry_relay_sessions " + std::to_string(sessions_.size()) + "\n";
  out += "# HELP wavry_relay_active_sessions Sessions with both peers.\n# TYPE wavry_relay_active_sessions gauge\n";
  out += "wavry_relay_active_sessions " + std::to_string(active_session_count()) + "\n";
  return out;
}

std::optional<Transmit> RelayCore::poll_transmit() { return pop_front(out_); }

std::optional<proto::OutboundCall> RelayCore::poll_call() { return pop_front(calls_); }

std::optional<RelayEvent> RelayCore::poll_event() { return pop_front(events_); }

}  // namespace wavry::relay
