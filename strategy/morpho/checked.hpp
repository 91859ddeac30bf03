#pragma once
/// Internal to strategy/morpho: the contract's checked arithmetic mapped to MorphoError, so each formula in the
/// .cpp files reads like the Solidity line it reproduces. Morpho stores totals, borrow shares and collateral as
/// uint128 and converts with UtilsLib.toUint128 (reverts above 2^128 - 1) before adding or subtracting.

#include "chain/fixed_point.hpp"
#include "strategy/morpho/math.hpp"

#include <optional>

namespace sluice::morpho::detail {

inline constexpr U256 kUint128Max = (U256{1} << 128) - U256{1};
/// ORACLE_PRICE_SCALE.
inline constexpr U256 kOraclePriceScale = U256{kWad} * U256{kWad};
/// ORACLE_PRICE_SCALE as an invariant divisor, for the collateral's value in the loan token (built at compile
/// time).
inline constexpr InvariantDivisor128 kOraclePriceScaleDivisor{uint128{1'000'000'000'000'000'000ULL} *
                                                              1'000'000'000'000'000'000ULL};
inline const InvariantDivisor128& oracle_price_scale_divisor() noexcept { return kOraclePriceScaleDivisor; }

/// `field += amount.toUint128()` on a uint128 field: reverts (nullopt) if the amount or the sum exceeds 2^128 - 1.
inline std::optional<U256> add_u128(const U256& field, const U256& amount) noexcept {
  if (amount > kUint128Max || field > kUint128Max) return std::nullopt;
  const U256 sum = field + amount;  // both below 2^128: no 256-bit wrap
  if (sum > kUint128Max) return std::nullopt;
  return sum;
}

/// `field -= amount.toUint128()` on a uint128 field, in place: the cast reverts above 2^128 - 1 (overflow), the
/// subtraction below zero (`on_underflow`). Returns the revert, the field then unchanged.
inline std::optional<MorphoError> sub_u128(U256& field, const U256& amount, MorphoError on_underflow) noexcept {
  if (fits128(field) && fits128(amount)) {  // a stored field and a castable amount: native halves
    const uint128 f = to128(field), a = to128(amount);
    if (a > f) return on_underflow;
    field = from128(f - a);
    return std::nullopt;
  }
  if (amount > kUint128Max) return MorphoError::overflow;
  if (amount > field) return on_underflow;
  field = field - amount;
  return std::nullopt;
}

/// UtilsLib.toUint128: reverts (nullopt) above 2^128 - 1.
inline std::optional<U256> to_u128(const U256& x) noexcept {
  if (x > kUint128Max) return std::nullopt;
  return x;
}

}  // namespace sluice::morpho::detail
