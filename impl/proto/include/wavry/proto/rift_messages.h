// RIFT logical plane (docs/protocol.md §2): encoding of the protobuf schema in
// schema/rift.proto with a size bound on decode, the channel a message
// travels on, and the priority order between channels.
#pragma once

#include <array>
#include <deque>
#include <optional>
#include <span>

#include "rift.pb.h"
#include "wavry/core/transmit.h"

namespace wavry::proto {

// A decrypted payload never exceeds one datagram; anything larger is refused
// before protobuf sees it.
inline constexpr std::size_t kMaxRiftMessage = 1400;

Bytes encode_message(const rift::Message& m);
// nullopt when oversized, not valid protobuf, or carrying no content.
std::optional<rift::Message> decode_message(std::span<const std::uint8_t> bytes);

// The channel is the top-level oneof arm; a message without content has none.
std::optional<rift::Channel> channel_of(const rift::Message& m);

// Outgoing messages wait per channel; pop() always serves control before
// input before media, FIFO within a channel. Each channel holds at most
// `per_channel_limit` messages; a push beyond that is refused (the caller
// counts it) so a slow link cannot grow memory without bound.
class ChannelQueue {
 public:
  explicit ChannelQueue(std::size_t per_channel_limit = 1024) : limit_(per_channel_limit) {}
  bool push(rift::Channel ch, Bytes payload);
  std::optional<std::pair<rift::Channel, Bytes>> pop();
  std::size_t size(rift::Channel ch) const { return queues_[index(ch)].size(); }
  bool empty() const;

 private:
  static std::size_t index(rift::Channel ch) { return static_cast<std::size_t>(ch); }
  std::size_t limit_;
  std::array<std::deque<Bytes>, 3> queues_;
};

}  // namespace wavry::proto
