// Gateway signaling over WebSocket (docs/protocol.md §4): one flat JSON
// dialect, {"type": "...", ...fields}. Parsing never throws: malformed or
// unknown input yields a typed error the gateway answers with ERROR.
#pragma once

#include <string>
#include <variant>

#include "wavry/core/error.h"
#include "wavry/proto/relay_packet.h"

namespace wavry::proto {

inline constexpr std::size_t kMaxSignalMessage = 64 * 1024;

struct SigBind {  // peer -> gateway: claim a name
  std::string token;
  std::string name;
  PeerRole role = PeerRole::client;
};
struct SigBound {  // gateway -> peer
  std::string name;
};
struct SigRequestRelay {  // client -> gateway: relay me to `target`
  std::string target;
};
struct SigRelayCredentials {  // gateway -> host and client
  std::string session_id;
  std::string relay_id;
  std::string relay_addr;
  std::string lease;
  PeerRole role = PeerRole::client;
  std::string peer;        // the other side's name
  std::string expires_at;  // RFC 3339
};
struct SigError {
  std::string code;
  std::string message;
};

using SignalMessage = std::variant<SigBind, SigBound, SigRequestRelay, SigRelayCredentials, SigError>;

// Why a signaling message was refused; the Error's message adds detail.
enum class SignalParseError {
  too_large,       // over kMaxSignalMessage bytes
  not_an_object,   // not JSON, or JSON but not an object
  missing_type,    // no string "type"
  unknown_type,    // a type this dialect does not have
  invalid_field,   // a required field missing, of the wrong type, or out of bounds
};
const char* to_string(SignalParseError e);

Result<SignalMessage> parse_signal(std::string_view text, SignalParseError* why = nullptr);
std::string serialize_signal(const SignalMessage& m);

// Names: 1..64 of [A-Za-z0-9_.-].
bool valid_peer_name(std::string_view name);

}  // namespace wavry::proto
