#pragma once
/// Fast paths of U256 arithmetic for the Aave and Morpho math: division by a power of ten without long division
/// (the WAD / RAY / bps / token-unit divisions), products of operands that fit in 128 bits.

#include "chain/u256.hpp"

#include <array>
#include <cstdint>

namespace sluice {

/// Largest k accepted by divmod_pow10's fast path (5^27 is the largest power of 5 that fits in 64 bits).
constexpr unsigned kMaxFastPow10 = 27;

/// divmod(n, 10^k), the same quotient and remainder. For k <= kMaxFastPow10 without a hardware or long division:
/// 10^k = 2^k x 5^k, so the quotient is floor((n >> k) / 5^k), a division by one 64-bit limb done with a
/// precomputed reciprocal (Moller and Granlund, "Improved division by invariant integers", IEEE Trans. Computers
/// 60(2), 2011, algorithm 4); larger k take divmod.
DivResult divmod_pow10(const U256& n, unsigned k) noexcept;

/// divmod_pow10(n, k).quotient, without computing the remainder.
U256 quotient_pow10(const U256& n, unsigned k) noexcept;

/// checked_mul(a, b): with 4 limb products instead of 16 when both operands fit in 128 bits (the product then
/// always fits in 256 bits).
std::optional<U256> checked_mul_fast(const U256& a, const U256& b) noexcept;

/// Bridges between U256 and native integers for the fast paths (64 bits: U256::fits_uint64): whether a value fits
/// in 128 bits, and the conversions.
inline bool fits128(const U256& v) noexcept { return (v.limbs[2] | v.limbs[3]) == 0; }
/// The low 128 bits of `v` (all of it when fits128).
inline uint128 to128(const U256& v) noexcept { return (static_cast<uint128>(v.limbs[1]) << 64) | v.limbs[0]; }
inline U256 from128(uint128 v) noexcept {
  return U256{static_cast<std::uint64_t>(v), static_cast<std::uint64_t>(v >> 64), 0, 0};
}

/// floor(n / d), d > 0: one hardware division when the quotient fits in 64 bits, two otherwise (the compiler's
/// 128-bit division calls __udivti3, which tests for a general divisor first).
inline uint128 div_u64(uint128 n, std::uint64_t d) noexcept {
  auto hi = static_cast<std::uint64_t>(n >> 64);
  const auto lo = static_cast<std::uint64_t>(n);
  if (hi == 0) return lo / d;
#if defined(__x86_64__)
  std::uint64_t q_hi = 0;
  if (hi >= d) q_hi = hi / d, hi %= d;
  std::uint64_t q, r;
  __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
  return (static_cast<uint128>(q_hi) << 64) | q;
#else
  return n / d;
#endif
}

/// floor(n / d), d > 0, by div_u64 when d fits in 64 bits.
inline uint128 div_128(uint128 n, uint128 d) noexcept {
  return d >> 64 == 0 ? div_u64(n, static_cast<std::uint64_t>(d)) : n / d;
}

/// 10^0 .. 10^19, every power of ten that fits in 64 bits.
inline constexpr std::array<std::uint64_t, 20> kPow10U64 = [] {
  std::array<std::uint64_t, 20> t{};
  std::uint64_t p = 1;
  for (auto& x : t) x = p, p *= 10;
  return t;
}();

/// A 256-bit value as two 128-bit halves: hi * 2^128 + lo.
struct Wide128 {
  uint128 hi = 0;
  uint128 lo = 0;
};

/// a * b, exactly (the product of two 128-bit numbers always fits in 256 bits). Inline: it is a handful of
/// instructions, called tens of millions of times by a cascade grid.
inline Wide128 mul_wide_128(uint128 a, uint128 b) noexcept {
  const auto a0 = static_cast<std::uint64_t>(a), a1 = static_cast<std::uint64_t>(a >> 64);
  const auto b0 = static_cast<std::uint64_t>(b), b1 = static_cast<std::uint64_t>(b >> 64);
  const uint128 p00 = static_cast<uint128>(a0) * b0, p01 = static_cast<uint128>(a0) * b1;
  const uint128 p10 = static_cast<uint128>(a1) * b0, p11 = static_cast<uint128>(a1) * b1;
  const uint128 mid = (p00 >> 64) + static_cast<std::uint64_t>(p01) + static_cast<std::uint64_t>(p10);
  Wide128 r;
  r.lo = (mid << 64) | static_cast<std::uint64_t>(p00);
  r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
  return r;
}

/// quotient_pow10 of the 256-bit value n.hi * 2^128 + n.lo: when (n >> k) fits in 192 bits (every 128 x 128-bit
/// WAD / RAY / bps product of the Aave math), three reciprocal steps without a loop; otherwise quotient_pow10.
U256 quotient_pow10(const Wide128& n, unsigned k) noexcept;

/// floor(n / d) when it fits in 128 bits (n.hi < d), false otherwise (d = 0 included): Knuth's algorithm D with
/// 64-bit digits, two 3-by-2 steps (with a two-digit divisor the estimate corrected against the low digit is
/// exact), the 128-by-64 divisions in hardware; a one-digit divisor takes two hardware steps directly. The same
/// quotient as divmod on the U256 operands.
bool div_wide_128(const Wide128& n, uint128 d, uint128& quotient) noexcept;

}  // namespace sluice
