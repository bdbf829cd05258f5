// The contract every datagram core follows (see docs/architecture.md):
//
//   inputs   handle_datagram(now, local, from, bytes)   a datagram arrived
//            handle_timeout(now)                        the wake-up it asked for is due
//   outputs  poll_transmit() -> optional<Transmit>      bytes to send
//            next_timeout()  -> optional<Instant>       when to call handle_timeout next
//
// Driver call order, identical in the Asio runtime and the ns-3 simulator:
//   1. feed one input;  2. drain poll_transmit();  3. drain the core's own
//   events (poll_event(), typed per core);  4. re-arm one timer from
//   next_timeout().  handle_timeout is called only once now >= deadline.
#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <deque>
#include <optional>
#include <span>

#include "wavry/core/time.h"
#include "wavry/core/transmit.h"

namespace wavry {

template <class C>
concept DatagramCore = requires(C c, const C& cc, Instant now, SocketId local, const Endpoint& from,
                                std::span<const std::uint8_t> bytes) {
  c.handle_datagram(now, local, from, bytes);
  c.handle_timeout(now);
  { c.poll_transmit() } -> std::same_as<std::optional<Transmit>>;
  { cc.next_timeout() } -> std::same_as<std::optional<Instant>>;
};

// Named timer slots: a core keeps one deadline per slot and reports the
// earliest. `Slot` is an enum whose last enumerator is kCount.
template <class Slot>
class TimerSlots {
 public:
  void set(Slot s, Instant at) { deadlines_[index(s)] = at; }
  void clear(Slot s) { deadlines_[index(s)].reset(); }
  std::optional<Instant> get(Slot s) const { return deadlines_[index(s)]; }
  // True (and the slot is cleared) when the slot's deadline has passed.
  bool take_due(Slot s, Instant now) {
    auto& d = deadlines_[index(s)];
    if (d && *d <= now) {
      d.reset();
      return true;
    }
    return false;
  }
  std::optional<Instant> earliest() const {
    std::optional<Instant> best;
    for (const auto& d : deadlines_)
      if (d && (!best || *d < *best)) best = d;
    return best;
  }

 private:
  static constexpr std::size_t index(Slot s) { return static_cast<std::size_t>(s); }
  std::array<std::optional<Instant>, static_cast<std::size_t>(Slot::kCount)> deadlines_{};
};

// Output queues: every core's poll_* pops the front of a deque.
template <class T>
std::optional<T> pop_front(std::deque<T>& q) {
  if (q.empty()) return std::nullopt;
  std::optional<T> v(std::move(q.front()));
  q.pop_front();
  return v;
}

}  // namespace wavry
