// Encoding of RIFT logical-plane messages (the protobuf schema in
// schema/rift.proto) with a size bound on decode.
#pragma once

#include <optional>
#include <span>

#include "rift.pb.h"
#include "wavry/core/transmit.h"

namespace wavry::proto {

inline constexpr std::size_t kMaxRiftMessage = 1400;

Bytes encode_message(const rift::Message& m);
std::optional<rift::Message> decode_message(std::span<const std::uint8_t> bytes);

}  // namespace wavry::proto
