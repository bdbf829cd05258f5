// wavry-gateway's logic, sans-IO: the signaling broker. Peers connect over a
// WebSocket, BIND a name (host or client role); a client asks for a relay to
// a host; the gateway asks the master for a pair of leases and hands each
// side its credentials. Accounts arrive in a later issue: until then BIND
// takes a development token and is refused unless insecure signaling was
// explicitly allowed (WAVRY_ALLOW_INSECURE_SIGNALING=1).
//
// Inputs:  handle_request (HTTP), handle_ws_open/message/close, handle_call_result, handle_timeout
// Outputs: poll_ws_send(), poll_call(), poll_event(), next_timeout()
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "wavry/core/random.h"
#include "wavry/core/sans_io.h"
#include "wavry/proto/http_types.h"
#include "wavry/proto/signaling.h"

namespace wavry::gateway {

using ConnId = std::uint64_t;

struct GatewayConfig {
  bool allow_insecure_signaling = false;
  std::string dev_token;             // if set, BIND must present exactly this token
  std::string master_broker_token;   // Bearer for the master's /v1/leases
  std::size_t max_connections = 4096;
  Duration bind_timeout = 10s;       // an unbound connection is closed after this
  Duration lease_call_timeout = 10s;
};

struct WsSend {
  ConnId conn;
  std::string text;
  bool close_after = false;
};

struct PeerBound {
  ConnId conn;
  std::string name;
  proto::PeerRole role;
};
struct RelayBrokered {
  std::string session_id, host, client, relay_addr;
};
struct BrokerFailed {
  std::string client, host, reason;
};
using GatewayEvent = std::variant<PeerBound, RelayBrokered, BrokerFailed>;

class GatewayCore {
 public:
  GatewayCore(GatewayConfig cfg, Random& rng);

  proto::HttpResponse handle_request(Instant now, const proto::HttpRequest& req) const;
  // False: refuse the upgrade (over capacity).
  bool handle_ws_open(Instant now, ConnId conn);
  void handle_ws_message(Instant now, ConnId conn, std::string_view text);
  void handle_ws_close(Instant now, ConnId conn);
  void handle_call_result(Instant now, const proto::CallResult& r);
  void handle_timeout(Instant now);

  std::optional<WsSend> poll_ws_send() { return pop_front(sends_); }
  std::optional<proto::OutboundCall> poll_call() { return pop_front(calls_); }
  std::optional<GatewayEvent> poll_event() { return pop_front(events_); }
  std::optional<Instant> next_timeout() const;

  std::size_t connection_count() const { return conns_.size(); }
  std::size_t bound_count() const { return names_.size(); }

 private:
  struct Conn {
    Instant opened;
    std::optional<std::string> name;
    proto::PeerRole role = proto::PeerRole::client;
    // A send with close_after went out: the driver is closing the connection.
    // Nothing more is sent to it and nothing it still sends is acted on.
    bool closing = false;
  };
  struct PendingLease {
    ConnId client_conn;
    std::string client, host;
    Instant deadline;
  };
  void send(ConnId c, const proto::SignalMessage& m, bool close_after = false);
  void error(ConnId c, std::string code, std::string message, bool close_after = false);
  void on_bind(Instant now, ConnId c, Conn& conn, const proto::SigBind& b);
  void on_request_relay(Instant now, ConnId c, Conn& conn, const proto::SigRequestRelay& r);
  void fail_pending(std::uint64_t call_id, const std::string& reason);

  GatewayConfig cfg_;
  Random& rng_;
  std::map<ConnId, Conn> conns_;
  std::map<std::string, ConnId> names_;
  std::map<std::uint64_t, PendingLease> pending_;
  std::uint64_t next_call_id_ = 1;
  std::uint64_t brokered_ = 0;
  std::deque<WsSend> sends_;
  std::deque<proto::OutboundCall> calls_;
  std::deque<GatewayEvent> events_;
};

}  // namespace wavry::gateway
