#pragma once
/// Division by a 128-bit divisor fixed in advance (a reserve's index for a whole cascade, for instance): the
/// reciprocal is computed once, and each division is then two 3-by-2 steps of multiplications (Moller and Granlund,
/// "Improved division by invariant integers", IEEE Trans. Computers 60(2), 2011, algorithm 5), without a hardware
/// division.

#include "chain/u256_pow10.hpp"

#include <bit>
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

/// div_3by2's reciprocal of a 128-bit divisor with its top bit set: floor((2^192 - 1) / d) - 2^64. That is
/// the quotient of (2^192 - 1) - 2^64 d = (2^128 - 1 - d) 2^64 + (2^64 - 1), whose high part ~d is below d, by d:
/// 64 steps of restoring long division (constexpr; once per divisor at run time).
constexpr std::uint64_t reciprocal_3by2(uint128 d) noexcept {
  uint128 r = ~d;  // the remainder so far, below d
  std::uint64_t q = 0;
  for (int step = 0; step < 64; ++step) {
    const bool overflow = (r >> 127) != 0;  // 2r + 1 >= 2^128 > d
    r = (r << 1) | 1;
    q <<= 1;
    if (overflow || r >= d) {
      r -= d;  // modulo 2^128: the true difference is below d
      q |= 1;
    }
  }
  return q;
}

}  // namespace detail

class InvariantDivisor128 {
 public:
  /// `divisor` > 0. constexpr: a divisor known at compile time (RAY, WAD, 10,000) folds the normalizing shift
  /// into divide()'s code.
  constexpr explicit InvariantDivisor128(uint128 divisor) noexcept
      : divisor_(divisor),
        shift_(static_cast<unsigned>(static_cast<std::uint64_t>(divisor >> 64) != 0
                                         ? std::countl_zero(static_cast<std::uint64_t>(divisor >> 64))
                                         : 64 + std::countl_zero(static_cast<std::uint64_t>(divisor)))),
        d1_(static_cast<std::uint64_t>((divisor << shift_) >> 64)),
        d0_(static_cast<std::uint64_t>(divisor << shift_)),
        reciprocal_(detail::reciprocal_3by2(divisor << shift_)) {}
  constexpr uint128 value() const noexcept { return divisor_; }
  /// floor(n / divisor) when it fits in 128 bits (n.hi < divisor), false otherwise: div_wide_128's quotient.
  bool divide(const Wide128& n, uint128& quotient) const noexcept {
    if (n.hi >= divisor_) return false;
    // The numerator shifted as the divisor was (n.hi < divisor keeps the high half below the normalized divisor).
    const unsigned s = shift_;
    const uint128 hi = s == 0 ? n.hi : (n.hi << s) | (n.lo >> (128 - s));
    quotient = divide_normalized(Wide128{hi, n.lo << s});
    return true;
  }
  /// How far the divisor is shifted left to set its top bit.
  constexpr unsigned shift() const noexcept { return shift_; }
  /// floor(n / (divisor << shift())) for a numerator formed already shifted, with n.hi < divisor << shift() (so
  /// the quotient fits in 128 bits): divide() without its shift, for a caller that can fold it into a constant.
  uint128 divide_normalized(const Wide128& n) const noexcept {
    constexpr auto step = detail::div_3by2<std::uint64_t, uint128>;
    const auto digit = [](uint128 x, unsigned at) { return static_cast<std::uint64_t>(x >> at); };
    uint128 r;
    const std::uint64_t q1 = step(digit(n.hi, 64), digit(n.hi, 0), digit(n.lo, 64), d1_, d0_, reciprocal_, r);
    const std::uint64_t q0 = step(digit(r, 64), digit(r, 0), digit(n.lo, 0), d1_, d0_, reciprocal_, r);
    return (static_cast<uint128>(q1) << 64) | q0;
  }

 private:
  uint128 divisor_;
  unsigned shift_;           ///< leading zeros of the divisor: divisor << shift_ has its top bit set
  std::uint64_t d1_, d0_;    ///< the normalized divisor's two digits
  std::uint64_t reciprocal_; ///< floor((2^192 - 1) / (d1_ d0_)) - 2^64
};

}  // namespace sluice
