#pragma once
/// Small numeric bridges the risk primitives share: U256 <-> double (for prices and reports, never for amounts that
/// are settled on chain) and exact comparison of products of up to four U256 factors (1024-bit intermediate), which
/// is what comparing two Uniswap v2 marginal prices or a post-trade price against a threshold needs.

#include "chain/u256.hpp"

#include <initializer_list>
#include <optional>

namespace sluice::risk {

/// a * b modulo 2^256 (EVM MUL) for a 64-bit b: four limb products instead of ten.
U256 mul_small(const U256& a, std::uint64_t b) noexcept;

/// Nearest double to `v` (correctly rounded to within one ulp; exact below 2^53).
double to_double(const U256& v) noexcept;

/// Nearest long double to `v` (x87 extended: exact below 2^64), for closed forms that are then fixed exactly.
long double to_long_double(const U256& v) noexcept;

/// `v / 10^decimals` as a double: a token amount in whole tokens (for display and prices only).
double to_units(const U256& v, unsigned decimals) noexcept;

/// floor(x) as a U256; nullopt for NaN, negative values or x >= 2^256.
std::optional<U256> from_double(double x) noexcept;
/// floor(x) as a U256 for a long double; nullopt for NaN, negative values or x >= 2^256.
std::optional<U256> from_long_double(long double x) noexcept;

/// Sign (-1, 0, +1) of (product of `lhs`) - (product of `rhs`), exactly; at most four factors on each side.
/// Factors beyond four are a programming error and make the function return 0.
int compare_products(std::initializer_list<U256> lhs, std::initializer_list<U256> rhs) noexcept;

/// Sign of a x b - c x d, exactly: compare_products({a, b}, {c, d}), with one 64 x 64-bit product a side when every
/// factor fits in 64 bits (a total in base currency units against a bonus in bps, say).
inline int compare_products(const U256& a, const U256& b, const U256& c, const U256& d) noexcept {
  if (a.fits_uint64() && b.fits_uint64() && c.fits_uint64() && d.fits_uint64()) {
    const uint128 left = static_cast<uint128>(a.limbs[0]) * b.limbs[0];
    const uint128 right = static_cast<uint128>(c.limbs[0]) * d.limbs[0];
    return (left > right) - (left < right);
  }
  return compare_products({a, b}, {c, d});
}

}  // namespace sluice::risk
