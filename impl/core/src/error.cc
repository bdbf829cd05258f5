#include "wavry/core/error.h"

namespace wavry {

const char* to_string(Errc c) {
  switch (c) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::unauthorized: return "unauthorized";
    case Errc::forbidden: return "forbidden";
    case Errc::not_found: return "not_found";
    case Errc::expired: return "expired";
    case Errc::unavailable: return "unavailable";
    case Errc::limit_exceeded: return "limit_exceeded";
    case Errc::crypto: return "crypto";
    case Errc::io: return "io";
  }
  return "unknown";
}

}  // namespace wavry
