#include <gtest/gtest.h>

#include "wavry/client/frame_assembler.h"
#include "wavry/host/synthetic_video.h"

using namespace wavry;
using namespace wavry::client;

namespace {
std::vector<rift::VideoChunk> chunks(std::uint64_t id, std::size_t size, std::size_t max) {
  std::vector<rift::VideoChunk> out;
  for (auto& m : host::chunk_frame(id, 1000 + id, id == 0, host::make_synthetic_frame(id, 1000 + id, size), max))
    out.push_back(m.media().video());
  return out;
}
}  // namespace

TEST(FrameAssembler, ReassemblesOutOfOrderChunks) {
  FrameAssembler a;
  auto c = chunks(0, 2500, 1000);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_FALSE(a.push(c[2]));
  EXPECT_FALSE(a.push(c[0]));
  EXPECT_FALSE(a.push(c[0]));  // duplicate ignored
  auto f = a.push(c[1]);
  ASSERT_TRUE(f);
  auto info = host::read_synthetic_frame(f->data);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->counter, 0u);
  EXPECT_EQ(f->data.size(), 2500u);
}

TEST(FrameAssembler, DropsStaleAndBoundsMemory) {
  FrameAssembler a;
  auto f1 = chunks(1, 100, 1000), f2 = chunks(2, 100, 1000);
  ASSERT_TRUE(a.push(f2[0]));
  EXPECT_FALSE(a.push(f1[0]));
  EXPECT_EQ(a.stats().dropped_stale, 1u);
  rift::VideoChunk huge = f1[0];
  huge.set_frame_id(10);
  huge.set_chunk_count(1u << 30);
  EXPECT_FALSE(a.push(huge));
  EXPECT_EQ(a.stats().dropped_malformed, 1u);
  for (std::uint64_t id = 100; id < 140; ++id) {  // incomplete frames: only 16 kept
    auto c = chunks(id, 3000, 1000);
    a.push(c[0]);
  }
  EXPECT_GE(a.stats().dropped_incomplete, 24u);
  // A chunk whose count disagrees with its frame's is refused.
  auto c = chunks(200, 3000, 1000);
  a.push(c[0]);
  c[1].set_chunk_count(4);
  EXPECT_FALSE(a.push(c[1]));
}

TEST(SyntheticVideo, DetectsCorruption) {
  auto f = host::make_synthetic_frame(5, 77, 200);
  EXPECT_TRUE(host::read_synthetic_frame(f));
  f[150] ^= 1;
  EXPECT_FALSE(host::read_synthetic_frame(f));
}
