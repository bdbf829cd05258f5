// wavry-client's session logic, sans-IO. Direct: handshake with --connect.
// Relayed: bind at the gateway, ask for a relay to the named host, present
// the client lease to the relay, then handshake through it. After the
// handshake: Hello, ping/pong RTT (from the session), frame reassembly.
//
// Inputs:  start, handle_datagram, handle_signal, handle_timeout
// Outputs: poll_transmit, poll_signal, poll_event, next_timeout
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "wavry/client/frame_assembler.h"
#include "wavry/core/sans_io.h"
#include "wavry/proto/signaling.h"
#include "wavry/session/relay_link.h"
#include "wavry/session/rift_session.h"

namespace wavry::client {

inline constexpr SocketId kMediaSocket{0};

struct ClientConfig {
  std::string name = "wavry-client";
  crypto::X25519KeyPair static_keys;
  std::optional<Endpoint> direct;              // --connect
  std::string target_host;                     // relayed: the host's name at the gateway
  std::optional<std::string> signaling_token;  // relayed mode needs it
  Duration relay_request_retry = 1s;           // the host may bind a moment after us
  int relay_request_attempts = 30;
  Duration hello_retry = 500ms;                // Hello is resent until HelloAck arrives
  session::SessionConfig session;
};

struct SignalingNote {
  std::string message;
};
struct RelayGranted {
  std::string session_id, relay, relay_id;
};
struct RelayAdmitted {
  std::uint64_t expires_unix_ms;
};
struct HandshakeDone {};
struct StreamAccepted {
  std::uint32_t width, height, fps;
};
struct FrameDelivered {
  std::uint64_t frame_id;
  Duration latency;  // capture to reassembled; meaningful when host and client share a clock
};
struct ClientFailed {
  std::string reason;
};
using ClientEvent =
    std::variant<SignalingNote, RelayGranted, RelayAdmitted, HandshakeDone, StreamAccepted, FrameDelivered, ClientFailed>;

struct ClientStats {
  std::uint64_t frames = 0, frames_corrupt = 0, frames_out_of_order = 0, media_bytes = 0;
  std::optional<Instant> started, handshake_done, first_frame;
  Duration latency_sum{0};
  std::optional<Duration> latency_max;
};

class ClientCore {
 public:
  ClientCore(ClientConfig cfg, Random& rng);

  void start(Instant now);
  // The signaling connection is (re)established: bind our name.
  void signaling_connected(Instant now);
  void handle_datagram(Instant now, SocketId local, const Endpoint& from, std::span<const std::uint8_t> bytes);
  void handle_signal(Instant now, const proto::SignalMessage& m);
  void handle_timeout(Instant now);
  void disconnect(Instant now, const std::string& reason);

  std::optional<Transmit> poll_transmit() { return pop_front(out_); }
  std::optional<proto::SignalMessage> poll_signal() { return pop_front(signals_); }
  std::optional<ClientEvent> poll_event() { return pop_front(events_); }
  std::optional<Instant> next_timeout() const;

  const ClientStats& stats() const { return stats_; }
  const session::SessionStats* session_stats() const { return session_ ? &session_->stats() : nullptr; }
  const AssemblerStats& assembler_stats() const { return assembler_.stats(); }
  bool relayed() const { return link_.has_value(); }
  bool failed() const { return failed_; }

 private:
  void start_session(Instant now);
  void flush(Instant now);
  void fail(std::string reason);
  void send_hello(Instant now);

  ClientConfig cfg_;
  Random& rng_;
  std::unique_ptr<session::RiftSession> session_;
  std::optional<session::RelayLink> link_;
  std::optional<Endpoint> peer_;  // where RIFT datagrams go: the host or the relay
  FrameAssembler assembler_;
  std::optional<std::uint64_t> last_frame_;
  std::optional<Instant> next_relay_request_;
  std::optional<Instant> next_hello_;  // set until HelloAck arrives
  int relay_requests_ = 0;
  bool failed_ = false;
  std::deque<Transmit> out_;
  std::deque<proto::SignalMessage> signals_;
  std::deque<ClientEvent> events_;
  ClientStats stats_;
};

}  // namespace wavry::client
