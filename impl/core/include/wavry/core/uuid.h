// 16-byte session identifiers, written as RFC 4122 text.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wavry/core/random.h"

namespace wavry {

struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  static Uuid random_v4(Random& rng);
  static std::optional<Uuid> parse(std::string_view text);  // hyphenated, case-insensitive
  bool is_nil() const;
  std::string to_string() const;
  auto operator<=>(const Uuid&) const = default;
};

}  // namespace wavry
