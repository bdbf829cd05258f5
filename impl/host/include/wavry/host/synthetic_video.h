// The skeleton's video source: frames that carry their counter and capture
// time, padded to a size, cut into VideoChunk messages that fit a datagram.
// Real capture and encoding arrive with the streaming issue, behind the same
// "frames in, chunks out" seam.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rift.pb.h"
#include "wavry/core/transmit.h"

namespace wavry::host {

inline constexpr std::size_t kSyntheticHeader = 16;  // u64 frame counter, u64 capture time (us)

Bytes make_synthetic_frame(std::uint64_t frame_id, std::uint64_t capture_us, std::size_t size);
std::vector<rift::Message> chunk_frame(std::uint64_t frame_id, std::uint64_t capture_us, bool keyframe,
                                       const Bytes& frame, std::size_t max_chunk);

struct SyntheticFrameInfo {
  std::uint64_t counter;
  std::uint64_t capture_us;
};
// Checks the header and the padding pattern; nullopt if the frame is corrupt.
std::optional<SyntheticFrameInfo> read_synthetic_frame(const Bytes& frame);

}  // namespace wavry::host
