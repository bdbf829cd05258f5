#include "wavry/client/frame_assembler.h"

namespace wavry::client {

std::optional<AssembledFrame> FrameAssembler::push(const rift::VideoChunk& c) {
  stats_.chunks++;
  if (c.chunk_count() == 0 || c.chunk_count() > kMaxChunks || c.chunk_index() >= c.chunk_count()) {
    stats_.dropped_malformed++;
    return std::nullopt;
  }
  if (last_delivered_ && c.frame_id() <= *last_delivered_) {
    stats_.dropped_stale++;
    return std::nullopt;
  }
  auto it = open_.find(c.frame_id());
  if (it == open_.end()) {
    if (open_.size() >= kMaxFramesInFlight) {
      open_.erase(open_.begin());
      stats_.dropped_incomplete++;
    }
    Partial p;
    p.count = c.chunk_count();
    p.timestamp_us = c.timestamp_us();
    p.keyframe = c.keyframe();
    p.chunks.resize(p.count);
    it = open_.emplace(c.frame_id(), std::move(p)).first;
  }
  Partial& p = it->second;
  if (p.count != c.chunk_count()) {
    stats_.dropped_malformed++;
    return std::nullopt;
  }
  auto& slot = p.chunks[c.chunk_index()];
  if (slot) return std::nullopt;  // duplicate
  slot = c.payload();
  if (++p.received < p.count) return std::nullopt;
  AssembledFrame f{c.frame_id(), p.timestamp_us, p.keyframe, {}};
  for (auto& s : p.chunks) f.data.insert(f.data.end(), s->begin(), s->end());
  // Every older frame still open can no longer be delivered in order.
  for (auto o = open_.begin(); o != open_.end() && o->first < c.frame_id();) {
    o = open_.erase(o);
    stats_.dropped_incomplete++;
  }
  open_.erase(c.frame_id());
  last_delivered_ = c.frame_id();
  stats_.frames++;
  return f;
}

}  // namespace wavry::client
