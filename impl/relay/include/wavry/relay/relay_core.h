// wavry-relay's logic, sans-IO: a blind UDP forwarder that admits a peer only
// with a valid lease and forwards only between the two admitted peers of a
// session while both leases hold. Also registers and heartbeats with the
// master through OutboundCalls the driver performs, and answers the health
// endpoints.
//
// Inputs:  handle_datagram(now, local, from, bytes), handle_call_result(now, result),
//          handle_http(now, request), handle_timeout(now)
// Outputs: poll_transmit(), poll_call(), poll_event(), next_timeout()
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "wavry/core/sans_io.h"
#include "wavry/crypto/replay_window.h"
#include "wavry/proto/http_types.h"
#include "wavry/relay/lease_verifier.h"

namespace wavry::relay {

inline constexpr SocketId kRelaySocket{0};

struct RelayConfig {
  std::string relay_id;
  Endpoint advertised;                      // the address peers and the master are told
  std::optional<crypto::PublicKey> master_key;  // pinned (--master-public-key)
  bool trust_master_key_from_registration = false;  // insecure development mode only
  std::string master_token;                 // Bearer for register/heartbeat, may be empty
  std::uint32_t max_sessions = 100;
  Duration idle_timeout = 60s;
  Duration waiting_timeout = 30s;           // a session with one peer for this long is dropped
  Duration cleanup_interval = 10s;
  Duration clock_skew = 30s;
  std::string region;
  std::uint32_t asn = 0;
  std::uint32_t max_bitrate_kbps = 20000;
};

// One counter per drop reason, exported at /metrics.
struct RelayCounters {
  std::uint64_t packets_rx = 0, bytes_rx = 0;
  std::uint64_t packets_forwarded = 0, bytes_forwarded = 0;
  std::uint64_t lease_present = 0, lease_accepted = 0;
  std::uint64_t reject_invalid_signature = 0, reject_expired = 0, reject_wrong_relay = 0, reject_invalid_lease = 0,
                reject_session_full = 0, reject_identity_mismatch = 0;
  std::uint64_t dropped_invalid = 0, dropped_session_not_found = 0, dropped_unknown_peer = 0,
                dropped_peer_absent = 0, dropped_lease_expired = 0, dropped_replay = 0;
  std::uint64_t sessions_created = 0, sessions_expired = 0, sessions_idle = 0, nat_rebinds = 0;

  // Every refused lease once (an identity mismatch is also an invalid_lease).
  std::uint64_t lease_rejects() const {
    return reject_invalid_signature + reject_expired + reject_wrong_relay + reject_invalid_lease + reject_session_full;
  }
};

struct PeerAdmitted {
  Uuid session;
  proto::PeerRole role;
  std::string sub;
  Endpoint from;
};
struct LeaseRejected {
  Uuid session;
  proto::RejectReason reason;
  std::string detail;
  Endpoint from;
};
struct SessionEnded {
  Uuid session;
  std::string reason;
};
struct MasterRegistered {
  std::string key_id;
};
struct MasterUnreachable {
  std::string detail;
};
using RelayEvent = std::variant<PeerAdmitted, LeaseRejected, SessionEnded, MasterRegistered, MasterUnreachable>;

class RelayCore {
 public:
  RelayCore(RelayConfig cfg, WallClock wall);

  void start(Instant now);  // begins registration
  void handle_datagram(Instant now, SocketId local, const Endpoint& from, std::span<const std::uint8_t> bytes);
  void handle_timeout(Instant now);
  void handle_call_result(Instant now, const proto::CallResult& r);
  proto::HttpResponse handle_http(Instant now, const proto::HttpRequest& req) const;
  void sync_wall_clock(Instant now, UnixTime wall) { wall_.sync(now, wall); }

  std::optional<Transmit> poll_transmit();
  std::optional<proto::OutboundCall> poll_call();
  std::optional<RelayEvent> poll_event();
  std::optional<Instant> next_timeout() const { return timers_.earliest(); }

  const RelayCounters& counters() const { return counters_; }
  std::size_t session_count() const { return sessions_.size(); }
  std::size_t active_session_count() const;
  bool registered() const { return registered_; }
  bool ready() const;
  std::string prometheus_metrics() const;

 private:
  enum class Timer { kRegister, kHeartbeat, kCleanup, kCount };
  struct PeerSlot {
    bool present = false;
    std::string sub;
    Endpoint endpoint;
    UnixTime lease_expires;
    crypto::ReplayWindow replay;
    Instant last_seen;
  };
  struct Session {
    PeerSlot peers[2];  // indexed by PeerRole
    Instant created, last_activity;
    std::uint64_t packets = 0, bytes = 0;
    std::uint32_t soft_kbps = 0, hard_kbps = 0;
  };

  void on_lease(Instant now, const Endpoint& from, const proto::RelayHeader& h, std::span<const std::uint8_t> payload);
  void on_forward(Instant now, const Endpoint& from, const proto::RelayHeader& h, std::span<const std::uint8_t> dgram);
  void reject(const Endpoint& to, const Uuid& s, proto::RejectReason r, std::string detail);
  void send_register(Instant now);
  void send_heartbeat(Instant now);
  void cleanup(Instant now);

  RelayConfig cfg_;
  WallClock wall_;
  LeaseVerifier verifier_;
  std::map<Uuid, Session> sessions_;
  RelayCounters counters_;
  TimerSlots<Timer> timers_;
  std::deque<Transmit> out_;
  std::deque<proto::OutboundCall> calls_;
  std::deque<RelayEvent> events_;
  bool registered_ = false;
  std::optional<std::uint64_t> register_call_, heartbeat_call_;
  std::uint64_t next_call_id_ = 1;
  Duration register_backoff_ = 1s;
  Duration heartbeat_interval_ = 2s;
  int heartbeat_failures_ = 0;
  Instant started_;
};

}  // namespace wavry::relay
