// Signaling JSON: parsing never throws, and what parses re-serializes to
// something that parses to the same message type.
#include <cstdlib>

#include "wavry/proto/signaling.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto m = wavry::proto::parse_signal(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!m) return 0;
  auto again = wavry::proto::parse_signal(wavry::proto::serialize_signal(*m));
  if (!again || again->index() != m->index()) std::abort();
  return 0;
}
