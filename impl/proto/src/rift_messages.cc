#include "wavry/proto/rift_messages.h"

namespace wavry::proto {

Bytes encode_message(const rift::Message& m) {
  Bytes out(m.ByteSizeLong());
  m.SerializeToArray(out.data(), static_cast<int>(out.size()));
  return out;
}

std::optional<rift::Message> decode_message(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > kMaxRiftMessage) return std::nullopt;
  rift::Message m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return std::nullopt;
  if (!channel_of(m)) return std::nullopt;
  return m;
}

std::optional<rift::Channel> channel_of(const rift::Message& m) {
  switch (m.content_case()) {
    case rift::Message::kControl: return rift::CONTROL;
    case rift::Message::kInput: return rift::INPUT;
    case rift::Message::kMedia: return rift::MEDIA;
    case rift::Message::CONTENT_NOT_SET: break;
  }
  return std::nullopt;
}

bool ChannelQueue::push(rift::Channel ch, Bytes payload) {
  auto& q = queues_[index(ch)];
  if (q.size() >= limit_) return false;
  q.push_back(std::move(payload));
  return true;
}

std::optional<std::pair<rift::Channel, Bytes>> ChannelQueue::pop() {
  for (rift::Channel ch : {rift::CONTROL, rift::INPUT, rift::MEDIA}) {
    auto& q = queues_[index(ch)];
    if (q.empty()) continue;
    std::pair<rift::Channel, Bytes> out{ch, std::move(q.front())};
    q.pop_front();
    return out;
  }
  return std::nullopt;
}

bool ChannelQueue::empty() const {
  for (const auto& q : queues_)
    if (!q.empty()) return false;
  return true;
}

}  // namespace wavry::proto
