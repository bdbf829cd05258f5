#include "wavry/crypto/replay_window.h"

namespace wavry::crypto {

bool ReplayWindow::check(std::uint64_t seq) const {
  if (empty_ || seq > highest_) return true;
  std::uint64_t back = highest_ - seq;
  if (back >= kSize) return false;
  return !((bits_ >> back) & 1);
}

void ReplayWindow::commit(std::uint64_t seq) {
  if (empty_) {
    empty_ = false;
    highest_ = seq;
    bits_ = 1;
    return;
  }
  if (seq > highest_) {
    std::uint64_t shift = seq - highest_;
    bits_ = shift >= kSize ? 1 : ((bits_ << shift) | 1);
    highest_ = seq;
    return;
  }
  std::uint64_t back = highest_ - seq;
  if (back < kSize) bits_ |= static_cast<unsigned __int128>(1) << back;
}

}  // namespace wavry::crypto
