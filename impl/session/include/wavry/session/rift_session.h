// One RIFT session with one peer, sans-IO (docs/architecture.md, docs/protocol.md §1).
//
// Wire sequence (client = initiator):
//   msg1  handshake header (pid 0) + Noise XX message 1      client -> host, retried
//   msg2  handshake header (pid 0) + Noise XX message 2      host -> client, resent on a repeated msg1
//   msg3  transport header (pid 0) + Noise XX message 3      client -> host, resent until the host is heard
//   data  transport header (pid >= 1) + AEAD(Message), AAD = the 18 header bytes
// Transport keys come from Noise Split(), never from the handshake hash.
//
// The session owns ping/pong (RTT) and liveness; what the messages mean is
// the host's and client's business. Inputs are whole RIFT datagrams already
// stripped of any relay header; outputs are RIFT datagrams for the peer.
#pragma once

#include <deque>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "rift.pb.h"
#include "wavry/core/random.h"
#include "wavry/core/sans_io.h"
#include "wavry/crypto/noise.h"
#include "wavry/crypto/replay_window.h"

namespace wavry::session {

struct SessionConfig {
  bool initiator = false;
  crypto::X25519KeyPair static_keys;
  Duration handshake_retry = 500ms;
  int handshake_attempts = 40;       // initiator gives up after this many msg1 sends
  Duration ping_interval = 500ms;    // initiator only; 0 disables
  Duration idle_timeout = 10s;       // no authenticated packet for this long -> closed
  // Key limits: the packet id is the AEAD nonce and must never repeat under a
  // key, and a key should not live for ever. Reaching either ends the session
  // with a Disconnect ("key limit reached"); the initiator reconnects with a
  // fresh handshake, which gives fresh keys.
  std::uint64_t max_packet_id = (std::uint64_t{1} << 62);
  Duration max_key_age = 24h;
};

struct SessionStats {
  std::uint64_t packets_sent = 0, packets_received = 0;
  std::uint64_t bytes_sent = 0, bytes_received = 0;
  std::uint64_t dropped_auth = 0, dropped_replay = 0, dropped_malformed = 0, dropped_alias = 0;
  std::uint64_t pings_sent = 0, pongs_received = 0;
  std::optional<Duration> last_rtt, min_rtt, max_rtt;
  Duration rtt_sum{0};
};

struct Established {};
struct MessageReceived {
  rift::Message message;
};
struct RttSample {
  Duration rtt;
};
struct Closed {
  std::string reason;
};
using SessionEvent = std::variant<Established, MessageReceived, RttSample, Closed>;

enum class SessionState { handshaking, established, closed };

class RiftSession {
 public:
  RiftSession(SessionConfig cfg, Random& rng);

  // Initiator: queue msg1 now. No-op for a responder.
  void start(Instant now);
  void handle_packet(Instant now, std::span<const std::uint8_t> datagram);
  void handle_timeout(Instant now);
  // Encrypts and queues one message; false unless established.
  bool send(Instant now, const rift::Message& m);
  void close(std::string reason);

  std::optional<Bytes> poll_packet();
  std::optional<SessionEvent> poll_event();
  std::optional<Instant> next_timeout() const { return timers_.earliest(); }

  SessionState state() const { return state_; }
  bool established() const { return state_ == SessionState::established; }
  const SessionStats& stats() const { return stats_; }
  const crypto::Key32& remote_static() const { return noise_.remote_static(); }
  // The session alias (docs/protocol.md §1.3): the responder draws a non-zero
  // one at random and announces it in HelloAck; the initiator sends with the
  // bootstrap alias 1 until that HelloAck arrives, then with the announced one.
  std::uint32_t alias() const { return alias_; }
  // Responder: true for a handshake-initiation datagram other than the one
  // this session answered (the peer restarted; the owner should replace us).
  bool is_new_initiation(std::span<const std::uint8_t> datagram) const;

 private:
  enum class Timer { kHandshakeRetry, kPing, kIdle, kKeyAge, kCount };
  void handle_handshake(Instant now, std::span<const std::uint8_t> dgram, bool handshake_header,
                        std::span<const std::uint8_t> payload);
  void handle_data(Instant now, std::span<const std::uint8_t> header, std::uint64_t pid,
                   std::span<const std::uint8_t> payload);
  // Reads the peer's handshake message and writes our reply (msg2 or msg3).
  std::optional<Bytes> answer_handshake(std::span<const std::uint8_t> payload);
  void become_established(Instant now);
  void queue(Bytes pkt);
  void send_ping(Instant now);
  void end_for_key_limit(const char* what);
  void seal_and_queue(const rift::Message& m);
  bool alias_acceptable(std::uint32_t alias) const;

  SessionConfig cfg_;
  crypto::NoiseXX noise_;
  SessionState state_ = SessionState::handshaking;
  crypto::Key32 send_key_{}, recv_key_{};
  std::uint64_t next_pid_ = 1;
  std::uint32_t alias_ = 0;        // ours to send with (see alias())
  bool alias_learned_ = false;     // initiator: HelloAck announced the alias
  crypto::ReplayWindow replay_;
  bool peer_confirmed_ = false;  // initiator: an authenticated packet arrived, msg3 got through
  Bytes last_handshake_out_;     // msg1 (initiator) / msg2 (responder) / msg3 (initiator)
  Bytes last_msg1_in_;           // responder: to recognise a repeated msg1
  int attempts_ = 0;
  TimerSlots<Timer> timers_;
  std::deque<Bytes> out_;
  std::deque<SessionEvent> events_;
  SessionStats stats_;
  Instant epoch_;  // ping timestamps are microseconds since the session started
};

}  // namespace wavry::session
