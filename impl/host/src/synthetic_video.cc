#include "wavry/host/synthetic_video.h"

#include "wavry/core/bytes.h"

namespace wavry::host {

Bytes make_synthetic_frame(std::uint64_t frame_id, std::uint64_t capture_us, std::size_t size) {
  Bytes f;
  f.reserve(std::max(size, kSyntheticHeader));
  ByteWriter w(f);
  w.u64(frame_id);
  w.u64(capture_us);
  while (f.size() < size) f.push_back(static_cast<std::uint8_t>((frame_id + f.size()) & 0xFF));
  return f;
}

std::vector<rift::Message> chunk_frame(std::uint64_t frame_id, std::uint64_t capture_us, bool keyframe,
                                       const Bytes& frame, std::size_t max_chunk) {
  std::vector<rift::Message> out;
  std::size_t count = (frame.size() + max_chunk - 1) / max_chunk;
  for (std::size_t i = 0; i < count; ++i) {
    rift::Message m;
    auto* v = m.mutable_media()->mutable_video();
    v->set_frame_id(frame_id);
    v->set_chunk_index(static_cast<std::uint32_t>(i));
    v->set_chunk_count(static_cast<std::uint32_t>(count));
    v->set_timestamp_us(capture_us);
    v->set_keyframe(keyframe);
    std::size_t off = i * max_chunk;
    v->set_payload(frame.data() + off, std::min(max_chunk, frame.size() - off));
    out.push_back(std::move(m));
  }
  return out;
}

std::optional<SyntheticFrameInfo> read_synthetic_frame(const Bytes& f) {
  if (f.size() < kSyntheticHeader) return std::nullopt;
  ByteReader r(f);
  SyntheticFrameInfo info{r.u64(), r.u64()};
  for (std::size_t i = kSyntheticHeader; i < f.size(); ++i)
    if (f[i] != static_cast<std::uint8_t>((info.counter + i) & 0xFF)) return std::nullopt;
  return info;
}

}  // namespace wavry::host
