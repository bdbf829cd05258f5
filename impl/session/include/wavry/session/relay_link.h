// One peer's binding to a relay for one session: presents its lease until the
// relay acknowledges it, wraps outgoing RIFT datagrams in FORWARD headers and
// unwraps incoming ones. Used by both the host and the client cores.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <variant>

#include "wavry/core/sans_io.h"
#include "wavry/proto/relay_packet.h"

namespace wavry::session {

struct RelayCredentials {
  Uuid session;
  Endpoint relay;
  std::string relay_id;
  std::string lease;
  proto::PeerRole role;
  std::string peer_name;
};

struct RelayAccepted {
  std::uint64_t expires_unix_ms;
};
struct RelayRefused {
  proto::RejectReason reason;
};
using RelayLinkEvent = std::variant<RelayAccepted, RelayRefused>;

class RelayLink {
 public:
  explicit RelayLink(RelayCredentials creds, Duration present_retry = 1s, int max_presents = 30);

  void start(Instant now);
  // A datagram from the relay for this session. Returns the inner RIFT bytes of a FORWARD.
  std::optional<std::span<const std::uint8_t>> handle_packet(Instant now, const proto::RelayHeader& h,
                                                             std::span<const std::uint8_t> datagram);
  void handle_timeout(Instant now);
  Bytes wrap(std::span<const std::uint8_t> inner) const { return proto::encode_forward(creds_.session, inner); }

  std::optional<Bytes> poll_packet() { return pop_front(out_); }
  std::optional<RelayLinkEvent> poll_event() { return pop_front(events_); }
  std::optional<Instant> next_timeout() const { return next_present_; }

  const RelayCredentials& credentials() const { return creds_; }
  bool accepted() const { return accepted_; }
  bool refused() const { return refused_; }

 private:
  RelayCredentials creds_;
  Duration retry_;
  int max_presents_;
  int presents_ = 0;
  bool accepted_ = false, refused_ = false;
  std::optional<Instant> next_present_;
  std::deque<Bytes> out_;
  std::deque<RelayLinkEvent> events_;
};

}  // namespace wavry::session
