// Reassembles VideoChunk messages into frames with bounded memory: a frame
// may have at most kMaxChunks chunks, at most kMaxFramesInFlight frames are
// open at once (the oldest is dropped), and chunk_count must agree across a
// frame's chunks. Frames older than the newest delivered one are stale and
// dropped rather than delivered out of order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "rift.pb.h"
#include "wavry/core/transmit.h"

namespace wavry::client {

struct AssembledFrame {
  std::uint64_t frame_id;
  std::uint64_t timestamp_us;
  bool keyframe;
  Bytes data;
};

struct AssemblerStats {
  std::uint64_t chunks = 0, frames = 0, dropped_incomplete = 0, dropped_stale = 0, dropped_malformed = 0;
};

class FrameAssembler {
 public:
  static constexpr std::uint32_t kMaxChunks = 1024;
  static constexpr std::size_t kMaxFramesInFlight = 16;

  std::optional<AssembledFrame> push(const rift::VideoChunk& chunk);
  const AssemblerStats& stats() const { return stats_; }

 private:
  struct Partial {
    std::uint32_t count = 0, received = 0;
    std::uint64_t timestamp_us = 0;
    bool keyframe = false;
    std::vector<std::optional<std::string>> chunks;
  };
  std::map<std::uint64_t, Partial> open_;
  std::optional<std::uint64_t> last_delivered_;
  AssemblerStats stats_;
};

}  // namespace wavry::client
