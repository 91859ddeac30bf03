#pragma once
/// One division step of a two-digit numerator by a normalized one-digit divisor with a precomputed reciprocal
/// (Moller and Granlund, "Improved division by invariant integers", IEEE Trans. Computers 60(2), 2011,
/// algorithm 4): one full digit product, one low product, two conditional corrections, no hardware division.
/// A template on the digit: 64-bit digits for the power-of-ten divisions (u256.cpp), 8-bit digits in the unit
/// tests, where the corrections are frequent.

#include "chain/u256.hpp"

#include <cstdint>

namespace sluice::detail {

/// The full product of two digits, as its high and low digits.
template <typename Digit>
struct DigitProduct {
  Digit hi;
  Digit lo;
};
constexpr DigitProduct<std::uint8_t> mul_digits(std::uint8_t a, std::uint8_t b) noexcept {
  const auto p = static_cast<std::uint16_t>(a * b);
  return {static_cast<std::uint8_t>(p >> 8), static_cast<std::uint8_t>(p)};
}
constexpr DigitProduct<std::uint64_t> mul_digits(std::uint64_t a, std::uint64_t b) noexcept {
  const uint128 p = static_cast<uint128>(a) * b;
  return {static_cast<std::uint64_t>(p >> 64), static_cast<std::uint64_t>(p)};
}

/// floor((u1 u0) / d) in base B = 2^bits(Digit), for u1 < d and d's top bit set, with `v` = floor((B^2 - 1) / d)
/// - B (the divisor's reciprocal) and the remainder in `remainder`. Every sum and product is taken modulo B, as in
/// the paper.
template <typename Digit>
constexpr Digit div_2by1(Digit u1, Digit u0, Digit d, Digit v, Digit& remainder) noexcept {
  const auto p = mul_digits(v, u1);
  // (q1 q0) = v u1 + (u1 u0), modulo B^2.
  const auto q0 = static_cast<Digit>(p.lo + u0);
  auto q1 = static_cast<Digit>(p.hi + u1 + (q0 < u0 ? 1 : 0) + 1);
  auto r = static_cast<Digit>(u0 - static_cast<Digit>(q1 * d));
  if (r > q0) {
    q1 = static_cast<Digit>(q1 - 1);
    r = static_cast<Digit>(r + d);
  }
  if (r >= d) [[unlikely]] {
    q1 = static_cast<Digit>(q1 + 1);
    r = static_cast<Digit>(r - d);
  }
  remainder = r;
  return q1;
}

}  // namespace sluice::detail
