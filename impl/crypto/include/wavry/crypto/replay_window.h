// 128-packet sliding replay window. check() has no side effect so a receiver
// can test before decrypting and commit() only after authentication.
#pragma once

#include <cstdint>

namespace wavry::crypto {

class ReplayWindow {
 public:
  static constexpr std::uint64_t kSize = 128;
  bool check(std::uint64_t seq) const;
  void commit(std::uint64_t seq);
  bool check_and_commit(std::uint64_t seq) {
    if (!check(seq)) return false;
    commit(seq);
    return true;
  }
  std::uint64_t highest() const { return highest_; }

 private:
  bool empty_ = true;
  std::uint64_t highest_ = 0;
  unsigned __int128 bits_ = 0;  // bit i: highest - i was seen
};

}  // namespace wavry::crypto
