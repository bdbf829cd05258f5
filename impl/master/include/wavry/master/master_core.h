// wavry-master's logic, sans-IO: the relay registry, relay selection and
// lease issuance. HTTP requests come in as values with `now`; responses go
// back as values. The only timer sweeps relays that stopped heartbeating.
//
// Endpoints (docs/protocol.md §5):
//   GET  /health /ready /.well-known/wavry-id /v1/relays
//   POST /v1/relays/register /v1/relays/heartbeat   (Bearer relay token, if configured)
//   POST /v1/leases                                  (Bearer broker token: the gateway)
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "wavry/core/random.h"
#include "wavry/core/sans_io.h"
#include "wavry/crypto/identity.h"
#include "wavry/lease/lease.h"
#include "wavry/proto/http_types.h"

namespace wavry::master {

struct MasterConfig {
  crypto::Ed25519KeyPair signing_key;
  bool key_provisioned = false;     // false: a throwaway key (--insecure-dev); /ready stays 503
  Duration lease_ttl = 300s;        // clamped to 60..3600 s
  Duration lease_backdate = 5s;     // nbf/iat slightly in the past tolerates relay clocks behind ours
  std::string relay_token;          // empty: registration open (development)
  std::string broker_token;         // required for /v1/leases; empty: lease issuance disabled
  std::uint32_t heartbeat_interval_ms = 2000;
  Duration relay_fresh_for = 15s;   // a relay not heard from for this long is not assignable
  Duration relay_forget_after = 10min;
  std::size_t max_relays = 1024;
};

struct RelayRecord {
  std::string relay_id;
  std::vector<std::string> endpoints;
  std::string region;
  std::uint32_t asn = 0;
  std::uint32_t max_sessions = 0;
  std::uint32_t max_bitrate_kbps = 0;
  double load_pct = 0;
  Instant registered_at, last_seen;
  std::uint64_t leases_issued = 0;
};

struct RelayRegistered {
  std::string relay_id, endpoint;
};
struct RelayForgotten {
  std::string relay_id;
};
struct LeasesIssued {
  std::string session_id, relay_id, host_name, client_name;
};
using MasterEvent = std::variant<RelayRegistered, RelayForgotten, LeasesIssued>;

class MasterCore {
 public:
  MasterCore(MasterConfig cfg, WallClock wall);

  proto::HttpResponse handle_request(Instant now, const proto::HttpRequest& req);
  void handle_timeout(Instant now);
  std::optional<Instant> next_timeout() const { return next_sweep_; }
  std::optional<MasterEvent> poll_event();
  void sync_wall_clock(Instant now, UnixTime wall) { wall_.sync(now, wall); }

  const std::string& key_id() const { return key_id_; }
  const std::map<std::string, RelayRecord>& relays() const { return relays_; }
  std::size_t assignable_relays(Instant now) const;
  bool ready(Instant now) const { return cfg_.key_provisioned && assignable_relays(now) > 0; }

 private:
  proto::HttpResponse health(Instant now) const;
  proto::HttpResponse register_relay(Instant now, const proto::HttpRequest& req);
  proto::HttpResponse heartbeat(Instant now, const proto::HttpRequest& req);
  proto::HttpResponse list_relays(Instant now) const;
  proto::HttpResponse issue_leases(Instant now, const proto::HttpRequest& req);
  const RelayRecord* select_relay(Instant now) const;
  bool assignable(const RelayRecord& r, Instant now) const { return now - r.last_seen <= cfg_.relay_fresh_for; }

  MasterConfig cfg_;
  WallClock wall_;
  lease::LeaseSigner signer_;
  std::string key_id_;
  std::map<std::string, RelayRecord> relays_;  // ordered: selection ties break by id, deterministically
  std::optional<Instant> next_sweep_;
  std::deque<MasterEvent> events_;
};

}  // namespace wavry::master
