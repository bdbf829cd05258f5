// RIFT logical plane: protobuf decoding with our size bound. What decodes has
// a channel, and its encoding is a fixed point: decoding and encoding it again
// gives the same bytes. (Compared as bytes, because a float field may be NaN,
// which no field-by-field comparison calls equal to itself.)
#include <cstdlib>

#include "wavry/proto/rift_messages.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wavry::proto;
  auto m = decode_message(std::span(data, size));
  if (!m) return 0;
  if (!channel_of(*m)) std::abort();
  auto bytes = encode_message(*m);
  if (bytes.size() > kMaxRiftMessage) return 0;  // unknown fields may re-encode larger; not an error
  auto again = decode_message(bytes);
  if (!again || encode_message(*again) != bytes) std::abort();
  return 0;
}
