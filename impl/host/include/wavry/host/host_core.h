// wavry-server's session logic, sans-IO. One UDP socket carries every peer:
// direct peers are keyed by their address, relayed peers by (relay, session).
// With signaling, the host binds its name at the gateway and waits for relay
// credentials; it then presents its host lease to the relay and answers the
// client's handshake through it.
//
// Inputs:  handle_datagram, handle_signal, handle_timeout
// Outputs: poll_transmit, poll_signal, poll_event, next_timeout
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "wavry/core/sans_io.h"
#include "wavry/proto/signaling.h"
#include "wavry/session/relay_link.h"
#include "wavry/session/rift_session.h"

namespace wavry::host {

inline constexpr SocketId kMediaSocket{0};

struct HostConfig {
  std::string name = "wavry-host";
  crypto::X25519KeyPair static_keys;
  std::uint32_t width = 1280, height = 720, fps = 30;
  std::uint32_t bitrate_kbps = 2000;
  std::size_t frame_bytes = 6000;   // synthetic frame size
  std::size_t chunk_payload = 1100; // keeps every datagram under 1200 bytes with headers and tag
  std::size_t max_peers = 8;
  Duration keyframe_interval = 1s;
  std::optional<std::string> signaling_token;  // set: bind at the gateway as a host
  session::SessionConfig session;   // timings; initiator and keys are filled in
};

struct PeerConnected {
  std::string peer;  // "1.2.3.4:5" or "relay 1.2.3.4:5 session <uuid>"
  std::string client_name;
};
struct PeerGone {
  std::string peer, reason;
};
struct RelayReady {
  std::string session_id, relay, client;
  std::uint64_t expires_unix_ms;
};
struct RelayFailed {
  std::string session_id, reason;
};
struct SignalingStatus {
  std::string message;
  bool error = false;
};
using HostEvent = std::variant<PeerConnected, PeerGone, RelayReady, RelayFailed, SignalingStatus>;

struct HostStats {
  std::uint64_t frames_sent = 0, chunks_sent = 0, media_bytes_sent = 0;
  std::uint64_t datagrams_in = 0, dropped_unknown = 0, dropped_table_full = 0;
  std::uint64_t peers_accepted = 0;
};

class HostCore {
 public:
  HostCore(HostConfig cfg, Random& rng);

  void start(Instant now);
  // The signaling connection is (re)established: bind our name.
  void signaling_connected(Instant now);
  void handle_datagram(Instant now, SocketId local, const Endpoint& from, std::span<const std::uint8_t> bytes);
  void handle_signal(Instant now, const proto::SignalMessage& m);
  void handle_timeout(Instant now);

  std::optional<Transmit> poll_transmit() { return pop_front(out_); }
  std::optional<proto::SignalMessage> poll_signal() { return pop_front(signals_); }
  std::optional<HostEvent> poll_event() { return pop_front(events_); }
  std::optional<Instant> next_timeout() const;

  const HostStats& stats() const { return stats_; }
  std::size_t peer_count() const { return peers_.size(); }

 private:
  struct PeerKey {
    std::optional<Uuid> relay_session;
    Endpoint endpoint;  // the peer (direct) or the relay (relayed)
    auto operator<=>(const PeerKey&) const = default;
  };
  struct Peer {
    std::unique_ptr<session::RiftSession> session;
    bool streaming = false;
    std::string client_name;
    std::uint64_t next_frame_id = 0;
    Instant next_frame_at, last_keyframe;
  };

  void feed_peer(Instant now, const PeerKey& key, std::span<const std::uint8_t> rift);
  void on_message(Instant now, const PeerKey& key, Peer& p, const rift::Message& m);
  void send_frame(Instant now, Peer& p);
  void flush(Instant now);
  std::string describe(const PeerKey& k) const;

  HostConfig cfg_;
  Random& rng_;
  std::map<PeerKey, Peer> peers_;
  std::map<Uuid, session::RelayLink> relays_;
  std::deque<Transmit> out_;
  std::deque<proto::SignalMessage> signals_;
  std::deque<HostEvent> events_;
  HostStats stats_;
};

}  // namespace wavry::host
