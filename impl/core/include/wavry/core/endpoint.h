// Network addresses independent of Asio and ns-3: the drivers convert at the edge.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wavry {

class IpAddress {
 public:
  IpAddress() = default;
  static IpAddress v4(std::uint32_t host_order);
  static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
  static IpAddress v6(const std::array<std::uint8_t, 16>& bytes);
  static IpAddress loopback_v4() { return v4(127, 0, 0, 1); }
  static IpAddress any_v4() { return v4(0u); }
  // Dotted quad or RFC 4291 text; nullopt on anything else.
  static std::optional<IpAddress> parse(std::string_view text);

  bool is_v4() const { return !v6_; }
  std::uint32_t v4_host_order() const;
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  bool is_loopback() const;
  bool is_unspecified() const;
  std::string to_string() const;

  auto operator<=>(const IpAddress&) const = default;

 private:
  bool v6_ = false;
  std::array<std::uint8_t, 16> bytes_{};  // v4 uses the first four bytes
};

struct Endpoint {
  IpAddress ip;
  std::uint16_t port = 0;

  // "1.2.3.4:5", "[::1]:5"; the port is required (0 allowed).
  static std::optional<Endpoint> parse(std::string_view text);
  std::string to_string() const;
  auto operator<=>(const Endpoint&) const = default;
};

// Which of a core's local sockets a datagram arrived on or leaves from.
// Cores name their sockets with small constants; drivers map them to real ones.
struct SocketId {
  std::uint16_t value = 0;
  auto operator<=>(const SocketId&) const = default;
};

}  // namespace wavry
