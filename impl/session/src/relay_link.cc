#include "wavry/session/relay_link.h"

namespace wavry::session {

RelayLink::RelayLink(RelayCredentials creds, Duration present_retry, int max_presents)
    : creds_(std::move(creds)), retry_(present_retry), max_presents_(max_presents) {}

void RelayLink::start(Instant now) {
  out_.push_back(proto::encode_lease_present(creds_.session, creds_.role, creds_.lease));
  presents_ = 1;
  next_present_ = now + retry_;
}

std::optional<std::span<const std::uint8_t>> RelayLink::handle_packet(Instant, const proto::RelayHeader& h,
                                                                      std::span<const std::uint8_t> d) {
  auto payload = d.subspan(proto::kRelayHeader);
  switch (h.type) {
    case proto::RelayType::lease_ack:
      if (auto ack = proto::decode_lease_ack(payload); ack && !accepted_) {
        accepted_ = true;
        next_present_.reset();
        events_.push_back(RelayAccepted{ack->expires_unix_ms});
      }
      return std::nullopt;
    case proto::RelayType::lease_reject:
      if (auto why = proto::decode_lease_reject(payload); why && !accepted_ && !refused_) {
        refused_ = true;
        next_present_.reset();
        events_.push_back(RelayRefused{*why});
      }
      return std::nullopt;
    case proto::RelayType::forward:
      return payload;
    default:
      return std::nullopt;
  }
}

void RelayLink::handle_timeout(Instant now) {
  if (!next_present_ || now < *next_present_) return;
  if (presents_ >= max_presents_) {
    next_present_.reset();
    refused_ = true;
    events_.push_back(RelayRefused{proto::RejectReason::expired});  // never answered
    return;
  }
  out_.push_back(proto::encode_lease_present(creds_.session, creds_.role, creds_.lease));
  ++presents_;
  next_present_ = now + retry_;
}

}  // namespace wavry::session
