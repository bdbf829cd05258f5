#include "wavry/proto/rift_messages.h"

namespace wavry::proto {

Bytes encode_message(const rift::Message& m) {
  Bytes out(m.ByteSizeLong());
  m.SerializeToArray(out.data(), static_cast<int>(out.size()));
  return out;
}

std::optional<rift::Message> decode_message(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > kMaxRiftMessage) return std::nullopt;
  rift::Message m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return std::nullopt;
  return m;
}

}  // namespace wavry::proto
