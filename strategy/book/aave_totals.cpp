// GenericLogic.calculateUserAccountData's sums for one account of the position book, from its native balances
// cached at the clock: on 128-bit integers when nothing overflows them (the common case, ~2x faster), else on
// U256 with the contract's checked arithmetic. Both give exactly aave::account_data's numbers.
#include "chain/fixed_point.hpp"
#include "strategy/book/book_impl.hpp"

namespace sluice::book {

std::optional<AaveTotals> PositionBook::Impl::aave_totals_u256(const AaveAccount& acc) const noexcept {
  const auto& em = emodes[acc.emode];
  U256 total_collateral, total_debt, avg_ltv, avg_lt;
  bool zero_ltv = false;
  for (std::uint32_t s = acc.slot_begin; s < acc.slot_begin + acc.slot_count; ++s) {
    const auto& hot = slots_hot[s];
    if (!hot.flags) continue;
    const auto& rc = reserves[hot.reserve_id];
    const U256 price = account_price(acc.emode, hot.reserve_id);
    if (price.is_zero()) return std::nullopt;
    if (rc.lt_bps != 0 && (hot.flags & kCollateral)) {
      // _getUserBalanceInBaseCurrency: (balance * price) / unit, the product checked, the division unchecked.
      auto product = checked_mul(hot.collateral, price);
      if (!product) return std::nullopt;
      const U256 value = *product / rc.unit;
      const bool in_emode = acc.emode != 0 && rc.emode == acc.emode;
      auto sum = checked_add(total_collateral, value);
      if (!sum) return std::nullopt;
      total_collateral = *sum;
      if (rc.ltv_bps != 0) {
        auto w = checked_mul(value, U256{in_emode ? em.ltv_bps : rc.ltv_bps});
        auto s2 = w ? checked_add(avg_ltv, *w) : std::nullopt;
        if (!s2) return std::nullopt;
        avg_ltv = *s2;
      } else {
        zero_ltv = true;
      }
      auto w = checked_mul(value, U256{in_emode ? em.lt_bps : rc.lt_bps});
      auto s3 = w ? checked_add(avg_lt, *w) : std::nullopt;
      if (!s3) return std::nullopt;
      avg_lt = *s3;
    }
    if (hot.flags & kBorrowing) {
      auto product = checked_mul(price, hot.debt);
      auto sum = product ? checked_add(total_debt, *product / rc.unit) : std::nullopt;
      if (!sum) return std::nullopt;
      total_debt = *sum;
    }
  }
  if (!total_collateral.is_zero()) {
    avg_ltv = avg_ltv / total_collateral;
    avg_lt = avg_lt / total_collateral;
  } else {
    avg_ltv = avg_lt = U256{};
  }
  U256 hf = U256::max();
  if (!total_debt.is_zero()) {
    auto weighted = bps_mul_half_up(total_collateral, avg_lt);
    auto h = weighted ? wad_div_half_up(*weighted, total_debt) : std::nullopt;
    if (!h) return std::nullopt;
    hf = *h;
  }
  return AaveTotals{total_collateral, total_debt, avg_ltv, avg_lt, hf, zero_ltv};
}

/// The same sums on 128-bit integers, which give the same results whenever nothing overflows 128 bits (amounts
/// below ~10^20 whole tokens at realistic prices); nullopt sends the account to the 256-bit path.
std::optional<AaveTotals> PositionBook::Impl::aave_totals_u128(const AaveAccount& acc) const noexcept {
  using u128 = sluice::uint128;
  const auto& em = emodes[acc.emode];
  const auto fits = [](const U256& v) { return (v.limbs[2] | v.limbs[3]) == 0; };
  const auto low = [](const U256& v) { return (static_cast<u128>(v.limbs[1]) << 64) | v.limbs[0]; };
  u128 total_collateral = 0, total_debt = 0, avg_ltv = 0, avg_lt = 0;
  bool zero_ltv = false;
  for (std::uint32_t s = acc.slot_begin; s < acc.slot_begin + acc.slot_count; ++s) {
    const auto& hot = slots_hot[s];
    if (!hot.flags) continue;
    const auto& rc = reserves[hot.reserve_id];
    const U256 price256 = account_price(acc.emode, hot.reserve_id);
    if (price256.is_zero() || !price256.fits_uint64() || !rc.unit.fits_uint64()) return std::nullopt;
    const u128 price = price256.limbs[0];
    const std::uint64_t unit = rc.unit.limbs[0];
    if (rc.lt_bps != 0 && (hot.flags & kCollateral)) {
      if (!fits(hot.collateral)) return std::nullopt;
      u128 product;
      if (__builtin_mul_overflow(low(hot.collateral), price, &product)) return std::nullopt;
      const u128 value = product / unit;
      if (__builtin_add_overflow(total_collateral, value, &total_collateral)) return std::nullopt;
      const bool in_emode = acc.emode != 0 && rc.emode == acc.emode;
      u128 w;
      if (rc.ltv_bps != 0) {
        if (__builtin_mul_overflow(value, static_cast<u128>(in_emode ? em.ltv_bps : rc.ltv_bps), &w) ||
            __builtin_add_overflow(avg_ltv, w, &avg_ltv))
          return std::nullopt;
      } else {
        zero_ltv = true;
      }
      if (__builtin_mul_overflow(value, static_cast<u128>(in_emode ? em.lt_bps : rc.lt_bps), &w) ||
          __builtin_add_overflow(avg_lt, w, &avg_lt))
        return std::nullopt;
    }
    if (hot.flags & kBorrowing) {
      if (!fits(hot.debt)) return std::nullopt;
      u128 product;
      if (__builtin_mul_overflow(price, low(hot.debt), &product) ||
          __builtin_add_overflow(total_debt, product / unit, &total_debt))
        return std::nullopt;
    }
  }
  if (total_collateral != 0) {
    avg_ltv /= total_collateral;
    avg_lt /= total_collateral;
  } else {
    avg_ltv = avg_lt = 0;
  }
  const auto wide = [](u128 v) { return U256{static_cast<std::uint64_t>(v), static_cast<std::uint64_t>(v >> 64), 0, 0}; };
  U256 hf = U256::max();
  if (total_debt != 0) {
    // percentMul: (x * bps + 5000) / 1e4; wadDiv: (a * 1e18 + b / 2) / b.
    u128 weighted, scaled;
    if (__builtin_mul_overflow(total_collateral, avg_lt, &weighted) ||
        __builtin_add_overflow(weighted, static_cast<u128>(5000), &weighted))
      return std::nullopt;
    weighted /= 10'000;
    if (__builtin_mul_overflow(weighted, static_cast<u128>(1'000'000'000'000'000'000ULL), &scaled) ||
        __builtin_add_overflow(scaled, total_debt / 2, &scaled))
      return std::nullopt;
    hf = wide(scaled / total_debt);
  }
  return AaveTotals{wide(total_collateral), wide(total_debt), wide(avg_ltv), wide(avg_lt), hf, zero_ltv};
}

}  // namespace sluice::book
