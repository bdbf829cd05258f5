// JSON bodies of the master's HTTP API (docs/protocol.md §5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wavry/core/error.h"

namespace wavry::proto {

struct RelayRegisterRequest {
  std::string relay_id;
  std::vector<std::string> endpoints;  // "ip:port" the relay is reachable at
  std::string region;
  std::uint32_t asn = 0;
  std::uint32_t max_sessions = 100;
  std::uint32_t max_bitrate_kbps = 20000;
};

struct RelayRegisterResponse {
  std::uint32_t heartbeat_interval_ms = 5000;
  std::string master_public_key;  // hex, 32 bytes
  std::string master_key_id;
};

struct RelayHeartbeat {
  std::string relay_id;
  double load_pct = 0;
  std::uint32_t active_sessions = 0;
};

// Gateway -> master: leases for both sides of one session.
struct LeaseRequest {
  std::string session_id;
  std::string host_name;
  std::string client_name;
};

struct LeaseGrant {
  std::string session_id;
  std::string relay_id;
  std::string relay_addr;
  std::string host_lease;
  std::string client_lease;
  std::string expires_at;
};

std::string to_json(const RelayRegisterRequest& r);
std::string to_json(const RelayRegisterResponse& r);
std::string to_json(const RelayHeartbeat& r);
std::string to_json(const LeaseRequest& r);
std::string to_json(const LeaseGrant& r);

Result<RelayRegisterRequest> parse_relay_register(std::string_view body);
Result<RelayRegisterResponse> parse_relay_register_response(std::string_view body);
Result<RelayHeartbeat> parse_relay_heartbeat(std::string_view body);
Result<LeaseRequest> parse_lease_request(std::string_view body);
Result<LeaseGrant> parse_lease_grant(std::string_view body);

}  // namespace wavry::proto
