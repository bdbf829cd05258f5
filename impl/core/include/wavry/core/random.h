// Injected randomness. Cores take a Random& and never call a global source,
// so a simulation seeded with N makes the same choices every run.
#pragma once

#include <cstdint>
#include <span>

namespace wavry {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;

  std::uint64_t next_u64();
  std::uint32_t next_u32() { return static_cast<std::uint32_t>(next_u64() >> 32); }
  // Uniform in [0, bound) without modulo bias; bound must be > 0.
  std::uint64_t uniform(std::uint64_t bound);
};

// Deterministic generator (xoshiro256** seeded through SplitMix64). Used by
// tests and the simulator; never for keys in a real deployment.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed);
  void fill(std::span<std::uint8_t> out) override;
  // A child generator whose stream depends only on this one's seed and `label`.
  SeededRandom derive(std::uint64_t label) const;

 private:
  std::uint64_t step();
  std::uint64_t seed_;
  std::uint64_t s_[4];
};

}  // namespace wavry
