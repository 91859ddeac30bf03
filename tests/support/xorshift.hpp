#pragma once
/// Marsaglia's xorshift64 (shifts 13, 7, 17): a small deterministic generator for the random sweeps of the unit
/// tests, so that a failure reproduces from its iteration number.

#include <cstdint>

namespace sluice::test {

class Xorshift64 {
 public:
  explicit Xorshift64(std::uint64_t seed) : x_(seed) {}
  /// The next 64 random bits.
  std::uint64_t operator()() {
    x_ ^= x_ << 13;
    x_ ^= x_ >> 7;
    x_ ^= x_ << 17;
    return x_;
  }

 private:
  std::uint64_t x_;
};

}  // namespace sluice::test
