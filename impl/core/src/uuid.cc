#include "wavry/core/uuid.h"

#include <vector>

#include "wavry/core/bytes.h"

namespace wavry {

Uuid Uuid::random_v4(Random& rng) {
  Uuid u;
  rng.fill(u.bytes);
  u.bytes[6] = static_cast<std::uint8_t>((u.bytes[6] & 0x0F) | 0x40);
  u.bytes[8] = static_cast<std::uint8_t>((u.bytes[8] & 0x3F) | 0x80);
  return u;
}

std::optional<Uuid> Uuid::parse(std::string_view t) {
  if (t.size() != 36 || t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-') return std::nullopt;
  std::string hex;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (i != 8 && i != 13 && i != 18 && i != 23) hex += t[i];
  std::vector<std::uint8_t> b;
  if (!from_hex(hex, b) || b.size() != 16) return std::nullopt;
  Uuid u;
  std::copy(b.begin(), b.end(), u.bytes.begin());
  return u;
}

bool Uuid::is_nil() const {
  for (auto b : bytes)
    if (b) return false;
  return true;
}

std::string Uuid::to_string() const {
  std::string h = to_hex(bytes);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

}  // namespace wavry
