// Time as values. Cores never read a clock: every input carries `now`.
//   Instant  - a point on a monotonic clock whose epoch the driver chooses
//              (steady_clock in the real runtime, Simulator::Now() in ns-3).
//   UnixTime - wall-clock time since 1970-01-01T00:00:00Z; only lease
//              issuance and validation need it, and it is passed alongside.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>

namespace wavry {

using Duration = std::chrono::nanoseconds;
using std::chrono::duration_cast;
using namespace std::chrono_literals;

class Instant {
 public:
  constexpr Instant() = default;
  static constexpr Instant from_nanos(std::int64_t ns) { return Instant(ns); }
  constexpr std::int64_t nanos() const { return ns_; }

  constexpr Instant operator+(Duration d) const { return Instant(ns_ + d.count()); }
  constexpr Instant operator-(Duration d) const { return Instant(ns_ - d.count()); }
  constexpr Duration operator-(Instant o) const { return Duration(ns_ - o.ns_); }
  constexpr Instant& operator+=(Duration d) { ns_ += d.count(); return *this; }
  constexpr auto operator<=>(const Instant&) const = default;

 private:
  constexpr explicit Instant(std::int64_t ns) : ns_(ns) {}
  std::int64_t ns_ = 0;
};

class UnixTime {
 public:
  constexpr UnixTime() = default;
  static constexpr UnixTime from_nanos(std::int64_t ns) { return UnixTime(ns); }
  static constexpr UnixTime from_seconds(std::int64_t s) { return UnixTime(s * 1'000'000'000); }
  constexpr std::int64_t nanos() const { return ns_; }
  constexpr std::int64_t millis() const { return ns_ / 1'000'000; }
  constexpr std::int64_t seconds() const { return ns_ / 1'000'000'000; }

  constexpr UnixTime operator+(Duration d) const { return UnixTime(ns_ + d.count()); }
  constexpr UnixTime operator-(Duration d) const { return UnixTime(ns_ - d.count()); }
  constexpr Duration operator-(UnixTime o) const { return Duration(ns_ - o.ns_); }
  constexpr auto operator<=>(const UnixTime&) const = default;

 private:
  constexpr explicit UnixTime(std::int64_t ns) : ns_(ns) {}
  std::int64_t ns_ = 0;
};

// Maps a core's monotonic `now` to wall-clock time. Built from one pair
// (Instant, UnixTime) read together; the real driver re-syncs it now and then,
// the simulator gives each node its own (which is how clock skew is modelled).
class WallClock {
 public:
  WallClock() = default;
  WallClock(Instant mono, UnixTime wall) : mono_(mono), wall_(wall) {}
  void sync(Instant mono, UnixTime wall) {
    mono_ = mono;
    wall_ = wall;
  }
  UnixTime at(Instant now) const { return wall_ + (now - mono_); }

 private:
  Instant mono_;
  UnixTime wall_;
};

// RFC 3339 in UTC with a 'Z' suffix and whole seconds, e.g. 2026-02-10T12:00:00Z.
std::string format_rfc3339(UnixTime t);
// Accepts 'Z' or a numeric offset and an optional fraction; false on anything else.
bool parse_rfc3339(std::string_view text, UnixTime& out);

// Milliseconds as a double, for logs and summaries.
inline double to_millis(Duration d) { return static_cast<double>(d.count()) / 1e6; }

}  // namespace wavry
