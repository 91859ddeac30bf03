#pragma once
/// Division by a 128-bit divisor fixed in advance (a reserve's index for a whole cascade, for instance): the
/// reciprocal is computed once, and each division is then two 3-by-2 steps of multiplications (Moller and Granlund,
/// "Improved division by invariant integers", IEEE Trans. Computers 60(2), 2011, algorithm 5), without a hardware
/// division.

#include "chain/u256_pow10.hpp"

#include <cstdint>
#include <limits>

namespace sluice {

namespace detail {

/// floor((u2 u1 u0) / (d1 d0)) in base 2^bits(Digit), for (u2 u1) < (d1 d0) and d1's top bit set, with the
/// remainder in `remainder`: the paper's algorithm 5, `v` = floor((B^3 - 1) / (d1 d0)) - B the divisor's reciprocal
/// (B the base). `Double` holds two digits; every sum and difference is taken modulo B or B^2, as in the paper. A
/// template so that the unit tests can run it on 8-bit digits, where its rare corrections are frequent.
template <typename Digit, typename Double>
constexpr Digit div_3by2(Digit u2, Digit u1, Digit u0, Digit d1, Digit d0, Digit v, Double& remainder) noexcept {
  constexpr unsigned kBits = std::numeric_limits<Digit>::digits;
  const auto join = [](Digit hi, Digit lo) { return static_cast<Double>((static_cast<Double>(hi) << kBits) | lo); };
  const Double d = join(d1, d0);
  const auto q = static_cast<Double>(static_cast<Double>(static_cast<Double>(v) * u2) + join(u2, u1));
  auto q1 = static_cast<Digit>(q >> kBits);
  const auto q0 = static_cast<Digit>(q);
  const auto r1 = static_cast<Digit>(u1 - static_cast<Digit>(q1 * d1));
  auto r = static_cast<Double>(join(r1, u0) - static_cast<Double>(static_cast<Double>(d0) * q1) - d);
  q1 = static_cast<Digit>(q1 + 1);
  if (static_cast<Digit>(r >> kBits) >= q0) {
    q1 = static_cast<Digit>(q1 - 1);
    r = static_cast<Double>(r + d);
  }
  if (r >= d) [[unlikely]] {
    q1 = static_cast<Digit>(q1 + 1);
    r = static_cast<Double>(r - d);
  }
  remainder = r;
  return q1;
}

}  // namespace detail

class InvariantDivisor128 {
 public:
  /// `divisor` > 0.
  explicit InvariantDivisor128(uint128 divisor) noexcept;
  uint128 value() const noexcept { return divisor_; }
  /// floor(n / divisor) when it fits in 128 bits (n.hi < divisor), false otherwise: div_wide_128's quotient.
  bool divide(const Wide128& n, uint128& quotient) const noexcept {
    if (n.hi >= divisor_) return false;
    // The numerator shifted as the divisor was (n.hi < divisor keeps the high half below the normalized divisor).
    const unsigned s = shift_;
    const uint128 hi = s == 0 ? n.hi : (n.hi << s) | (n.lo >> (128 - s));
    const uint128 lo = n.lo << s;
    constexpr auto step = detail::div_3by2<std::uint64_t, uint128>;
    const auto digit = [](uint128 x, unsigned at) { return static_cast<std::uint64_t>(x >> at); };
    uint128 r;
    const std::uint64_t q1 = step(digit(hi, 64), digit(hi, 0), digit(lo, 64), d1_, d0_, reciprocal_, r);
    const std::uint64_t q0 = step(digit(r, 64), digit(r, 0), digit(lo, 0), d1_, d0_, reciprocal_, r);
    quotient = (static_cast<uint128>(q1) << 64) | q0;
    return true;
  }

 private:
  uint128 divisor_;
  unsigned shift_;           ///< leading zeros of the divisor: divisor << shift_ has its top bit set
  std::uint64_t d1_, d0_;    ///< the normalized divisor's two digits
  std::uint64_t reciprocal_; ///< floor((2^192 - 1) / (d1_ d0_)) - 2^64
};

}  // namespace sluice
