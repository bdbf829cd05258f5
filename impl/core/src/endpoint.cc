#include "wavry/core/endpoint.h"

#include <charconv>
#include <cstdio>

namespace wavry {

IpAddress IpAddress::v4(std::uint32_t h) {
  IpAddress a;
  a.bytes_[0] = static_cast<std::uint8_t>(h >> 24);
  a.bytes_[1] = static_cast<std::uint8_t>(h >> 16);
  a.bytes_[2] = static_cast<std::uint8_t>(h >> 8);
  a.bytes_[3] = static_cast<std::uint8_t>(h);
  return a;
}

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return v4((std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d);
}

IpAddress IpAddress::v6(const std::array<std::uint8_t, 16>& bytes) {
  IpAddress a;
  a.v6_ = true;
  a.bytes_ = bytes;
  return a;
}

std::uint32_t IpAddress::v4_host_order() const {
  return (std::uint32_t{bytes_[0]} << 24) | (std::uint32_t{bytes_[1]} << 16) | (std::uint32_t{bytes_[2]} << 8) |
         bytes_[3];
}

bool IpAddress::is_loopback() const {
  if (!v6_) return bytes_[0] == 127;
  for (int i = 0; i < 15; ++i)
    if (bytes_[i] != 0) return false;
  return bytes_[15] == 1;
}

bool IpAddress::is_unspecified() const {
  int n = v6_ ? 16 : 4;
  for (int i = 0; i < n; ++i)
    if (bytes_[i] != 0) return false;
  return true;
}

namespace {

std::optional<IpAddress> parse_v4(std::string_view s) {
  std::uint32_t value = 0;
  int parts = 0;
  std::size_t pos = 0;
  for (;;) {
    std::size_t end = s.find('.', pos);
    if (end == std::string_view::npos) end = s.size();
    std::string_view part = s.substr(pos, end - pos);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return std::nullopt;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || p != part.data() + part.size() || v > 255) return std::nullopt;
    value = (value << 8) | v;
    if (++parts > 4) return std::nullopt;  // "1.2.3.4.5"
    if (end == s.size()) break;
    pos = end + 1;
  }
  if (parts != 4) return std::nullopt;
  return IpAddress::v4(value);
}

std::optional<IpAddress> parse_v6(std::string_view s) {
  // Groups of up to four hex digits separated by ':', with at most one "::".
  std::array<std::uint16_t, 8> head{}, tail{};
  int nhead = 0, ntail = 0;
  bool seen_gap = false;
  std::size_t pos = 0;
  if (s.starts_with("::")) {
    seen_gap = true;
    pos = 2;
  }
  while (pos < s.size()) {
    std::size_t end = s.find(':', pos);
    if (end == std::string_view::npos) end = s.size();
    std::string_view g = s.substr(pos, end - pos);
    if (g.empty() || g.size() > 4) return std::nullopt;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(g.data(), g.data() + g.size(), v, 16);
    if (ec != std::errc() || p != g.data() + g.size()) return std::nullopt;
    if (seen_gap) {
      if (ntail == 8) return std::nullopt;
      tail[ntail++] = static_cast<std::uint16_t>(v);
    } else {
      if (nhead == 8) return std::nullopt;
      head[nhead++] = static_cast<std::uint16_t>(v);
    }
    if (end == s.size()) break;
    pos = end + 1;
    if (pos < s.size() && s[pos] == ':') {
      if (seen_gap) return std::nullopt;
      seen_gap = true;
      ++pos;
    } else if (pos == s.size()) {
      return std::nullopt;
    }
  }
  if (nhead + ntail > 8 || (!seen_gap && nhead != 8) || (seen_gap && nhead + ntail == 8)) return std::nullopt;
  std::array<std::uint8_t, 16> bytes{};
  for (int i = 0; i < nhead; ++i) {
    bytes[2 * i] = static_cast<std::uint8_t>(head[i] >> 8);
    bytes[2 * i + 1] = static_cast<std::uint8_t>(head[i]);
  }
  for (int i = 0; i < ntail; ++i) {
    int g = 8 - ntail + i;
    bytes[2 * g] = static_cast<std::uint8_t>(tail[i] >> 8);
    bytes[2 * g + 1] = static_cast<std::uint8_t>(tail[i]);
  }
  return IpAddress::v6(bytes);
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.find(':') != std::string_view::npos) return parse_v6(text);
  return parse_v4(text);
}

std::string IpAddress::to_string() const {
  char buf[64];
  if (!v6_) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", bytes_[0], bytes_[1], bytes_[2], bytes_[3]);
    return buf;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i) out += ':';
    std::snprintf(buf, sizeof buf, "%x", (bytes_[2 * i] << 8) | bytes_[2 * i + 1]);
    out += buf;
  }
  return out;
}

std::optional<Endpoint> Endpoint::parse(std::string_view text) {
  std::string_view host, port;
  if (text.starts_with('[')) {
    std::size_t close = text.find("]:");
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return std::nullopt;
  }
  if (host == "localhost") host = "127.0.0.1";
  auto ip = IpAddress::parse(host);
  unsigned p = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (!ip || port.empty() || ec != std::errc() || ptr != port.data() + port.size() || p > 65535)
    return std::nullopt;
  return Endpoint{*ip, static_cast<std::uint16_t>(p)};
}

std::string Endpoint::to_string() const {
  if (ip.is_v4()) return ip.to_string() + ":" + std::to_string(port);
  return "[" + ip.to_string() + "]:" + std::to_string(port);
}

}  // namespace wavry
