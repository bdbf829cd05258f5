// RIFT logical plane: protobuf decoding with our size bound. What decodes has
// a channel and re-encodes to bytes that decode to an equal message.
#include <google/protobuf/util/message_differencer.h>

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
  if (!again || !google::protobuf::util::MessageDifferencer::Equals(*m, *again)) std::abort();
  return 0;
}
