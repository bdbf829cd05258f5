// Splits a fuzz input into a script of small records for the state-machine
// targets: bytes and length-prefixed chunks, until the input runs out.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace wavry::fuzz {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : data_(data, size) {}
  bool more() const { return pos_ < data_.size(); }
  std::uint8_t byte() { return pos_ < data_.size() ? data_[pos_++] : 0; }
  // A chunk of up to `unit * next byte` bytes (clipped to what is left).
  std::span<const std::uint8_t> chunk(std::size_t unit = 8) {
    std::size_t want = std::size_t{byte()} * unit;
    std::size_t n = std::min(want, data_.size() - pos_);
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  std::string_view text(std::size_t unit = 8) {
    auto c = chunk(unit);
    return {reinterpret_cast<const char*>(c.data()), c.size()};
  }
  std::span<const std::uint8_t> rest() {
    auto out = data_.subspan(pos_);
    pos_ = data_.size();
    return out;
  }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
};

}  // namespace wavry::fuzz
