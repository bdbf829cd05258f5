// TURN ChannelData framing: what decodes re-encodes to its unpadded prefix.
#include <cstdlib>

#include "wavry/proto/stun.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wavry::proto::stun;
  std::span<const std::uint8_t> in(data, size);
  auto cd = decode_channel_data(in);
  if (!cd) return 0;
  if (cd->channel < kMinChannel || cd->channel > kMaxChannel) std::abort();
  auto again = encode_channel_data(cd->channel, cd->data);
  if (again.size() > in.size() || !std::equal(again.begin(), again.end(), in.begin())) std::abort();
  return 0;
}
