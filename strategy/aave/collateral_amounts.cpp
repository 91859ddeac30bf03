// LiquidationLogic._calculateAvailableCollateralToLiquidate (Aave v3.0): the collateral a liquidation seizes, the
// debt it repays and the protocol's fee, in the contract's checked 256-bit steps or, where every value fits, in
// native 128-bit arithmetic with the same results.

#include "chain/fixed_point.hpp"
#include "chain/u256_pow10.hpp"
#include "strategy/aave/detail.hpp"
#include "strategy/aave/liquidation_steps.hpp"

#include <optional>

namespace sluice::aave::detail {
namespace {

// 128-bit helpers of available_collateral_128: each false when its result or an intermediate does not fit.

/// floor(price_a x amount x 10^decimals_b / (price_b x 10^decimals_a)), the shape of both collateral/debt
/// conversions. The common power of ten cancels exactly (x 10^d / (y 10^d) = x / y), and for positive integers
/// floor(floor(n / 10^k) / p) = floor(n / (10^k p)), so the intermediates stay near the result's size.
bool convert(std::uint64_t price_a, uint128 amount, unsigned decimals_a, unsigned decimals_b, std::uint64_t price_b,
             uint128& out) noexcept {
  uint128 n;
  if (__builtin_mul_overflow(static_cast<uint128>(price_a), amount, &n)) return false;
  if (decimals_b >= decimals_a) {
    if (__builtin_mul_overflow(n, static_cast<uint128>(kPow10U64[decimals_b - decimals_a]), &n)) return false;
  } else {
    n = div_u64(n, kPow10U64[decimals_a - decimals_b]);
  }
  out = div_u64(n, price_b);
  return true;
}

/// percentMul: (value x bps + 5,000) / 10,000.
bool bps_mul(uint128 value, std::uint64_t bps, uint128& out) noexcept {
  uint128 n;
  if (__builtin_mul_overflow(value, static_cast<uint128>(bps), &n) || __builtin_add_overflow(n, 5'000, &n))
    return false;
  out = div_u64(n, 10'000);
  return true;
}

/// percentDiv: (value x 10,000 + bps / 2) / bps, bps > 0.
bool bps_div(uint128 value, std::uint64_t bps, uint128& out) noexcept {
  uint128 n;
  if (__builtin_mul_overflow(value, static_cast<uint128>(10'000), &n) || __builtin_add_overflow(n, bps / 2, &n))
    return false;
  out = div_u64(n, bps);
  return true;
}

/// available_collateral in native 128-bit arithmetic: prices below 2^64, at most 19 decimals, amounts below 2^128
/// and every intermediate within 128 bits. Where it answers, the contract's 256-bit expressions cannot overflow
/// (price x amount x unit < 2^64 x 2^128 x 2^64) and their values are these; nullopt leaves the decision,
/// errors included, to the 256-bit steps.
std::optional<CollateralAmounts> available_collateral_128(const Reserve& collateral, const Reserve& debt,
                                                          const PricesAndBonus& p, const U256& debt_to_cover,
                                                          const U256& user_collateral) noexcept {
  const unsigned dc = collateral.config.decimals, dd = debt.config.decimals;
  if (!p.debt_price.fits_uint64() || !p.collateral_price.fits_uint64() || !fits128(debt_to_cover) ||
      !fits128(user_collateral) || dc >= kPow10U64.size() || dd >= kPow10U64.size() || p.bonus_bps == 0)
    return std::nullopt;
  const std::uint64_t debt_price = p.debt_price.limbs[0], collateral_price = p.collateral_price.limbs[0];
  if (debt_price == 0 || collateral_price == 0) return std::nullopt;
  const uint128 cover = to128(debt_to_cover), balance = to128(user_collateral);
  uint128 base, max_collateral, amount, debt_needed = cover;
  if (!convert(debt_price, cover, dd, dc, collateral_price, base) || !bps_mul(base, p.bonus_bps, max_collateral))
    return std::nullopt;
  if (max_collateral > balance) {
    amount = balance;
    uint128 debt_value;
    if (!convert(collateral_price, amount, dc, dd, debt_price, debt_value) ||
        !bps_div(debt_value, p.bonus_bps, debt_needed))
      return std::nullopt;
  } else {
    amount = max_collateral;
  }
  CollateralAmounts out;
  out.debt_needed = from128(debt_needed);
  out.to_liquidator = from128(amount);
  if (const std::uint16_t fee_bps = collateral.config.liquidation_protocol_fee_bps; fee_bps != 0) {
    uint128 without_bonus, fee;
    if (!bps_div(amount, p.bonus_bps, without_bonus) || without_bonus > amount ||
        !bps_mul(amount - without_bonus, fee_bps, fee) || fee > amount)
      return std::nullopt;
    out.protocol_fee = from128(fee);
    out.to_liquidator = from128(amount - fee);
  }
  return out;
}

}  // namespace

Result<CollateralAmounts> available_collateral(const Reserve& collateral, const Reserve& debt,
                                               const PricesAndBonus& p, const U256& debt_to_cover,
                                               const U256& user_collateral) noexcept {
  if (auto fast = available_collateral_128(collateral, debt, p, debt_to_cover, user_collateral)) return *fast;
  return available_collateral_wide(collateral, debt, p, debt_to_cover, user_collateral);
}

Result<CollateralAmounts> available_collateral_wide(const Reserve& collateral, const Reserve& debt,
                                                    const PricesAndBonus& p, const U256& debt_to_cover,
                                                    const U256& user_collateral) noexcept {
  const U256& collateral_unit = asset_unit(collateral.config.decimals);
  const U256& debt_unit = asset_unit(debt.config.decimals);
  const U256 bonus{p.bonus_bps};

  SLUICE_AAVE_TRY(n1, or_revert(checked_mul_fast(p.debt_price, debt_to_cover)));
  SLUICE_AAVE_TRY(numerator, or_revert(checked_mul_fast(n1, collateral_unit)));
  SLUICE_AAVE_TRY(denominator, or_revert(checked_mul_fast(p.collateral_price, debt_unit)));
  SLUICE_AAVE_TRY(base_collateral, or_revert(checked_div(numerator, denominator)));
  SLUICE_AAVE_TRY(max_collateral, or_revert(bps_mul_half_up(base_collateral, bonus)));

  CollateralAmounts out;
  U256 amount;
  if (max_collateral > user_collateral) {
    amount = user_collateral;
    SLUICE_AAVE_TRY(m1, or_revert(checked_mul_fast(p.collateral_price, amount)));
    SLUICE_AAVE_TRY(m2, or_revert(checked_mul_fast(m1, debt_unit)));
    SLUICE_AAVE_TRY(d2, or_revert(checked_mul_fast(p.debt_price, collateral_unit)));
    SLUICE_AAVE_TRY(debt_value, or_revert(checked_div(m2, d2)));
    SLUICE_AAVE_TRY(needed, or_revert(bps_div_half_up(debt_value, bonus)));
    out.debt_needed = needed;
  } else {
    amount = max_collateral;
    out.debt_needed = debt_to_cover;
  }

  if (collateral.config.liquidation_protocol_fee_bps != 0) {
    SLUICE_AAVE_TRY(without_bonus, or_revert(bps_div_half_up(amount, bonus)));
    SLUICE_AAVE_TRY(bonus_collateral, or_revert(checked_sub(amount, without_bonus)));
    const U256 fee_bps{collateral.config.liquidation_protocol_fee_bps};
    SLUICE_AAVE_TRY(fee, or_revert(bps_mul_half_up(bonus_collateral, fee_bps)));
    SLUICE_AAVE_TRY(to_liquidator, or_revert(checked_sub(amount, fee)));
    out.protocol_fee = fee;
    out.to_liquidator = to_liquidator;
  } else {
    out.to_liquidator = amount;
  }
  return out;
}

}  // namespace sluice::aave::detail
