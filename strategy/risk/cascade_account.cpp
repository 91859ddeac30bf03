// calculateUserAccountData in 128-bit arithmetic: every step is the one aave/account_data.cpp takes (rayMul half
// up for balances, value = balance x price / 10^decimals floored, sums, the averages floored, percentMul and
// wadDiv half up), with each product checked to fit; anything else falls back to the general code.
#include "strategy/risk/cascade_account.hpp"

#include "chain/fixed_point.hpp"

#include <bit>

namespace sluice::risk::detail {
namespace {

constexpr std::uint64_t kPairMask = 0x5555555555555555ULL;

/// The number of reserves the bitmap marks (collateral or borrowing), over all 128 ids.
int marked_reserves(const U256& bitmap) noexcept {
  int n = 0;
  for (auto x : bitmap.limbs) n += std::popcount((x | (x >> 1)) & kPairMask);
  return n;
}

bool fits128(const U256& v) noexcept { return (v.limbs[2] | v.limbs[3]) == 0; }
uint128 to128(const U256& v) noexcept { return (static_cast<uint128>(v.limbs[1]) << 64) | v.limbs[0]; }
U256 from128(uint128 v) noexcept { return U256{static_cast<std::uint64_t>(v), static_cast<std::uint64_t>(v >> 64), 0, 0}; }

/// 10^n for n <= 19 (fits in 64 bits).
std::uint64_t pow10_64(unsigned n) noexcept {
  std::uint64_t r = 1;
  for (unsigned i = 0; i < n; ++i) r *= 10;
  return r;
}

/// In base currency: floor(balance x price / unit), or false when the product does not fit in 128 bits.
bool value_of(const U256& balance, const U256& price, std::uint64_t unit, uint128& out) noexcept {
  if (!fits128(balance) || !fits128(price)) return false;
  uint128 product;
  if (__builtin_mul_overflow(to128(balance), to128(price), &product)) return false;
  out = product / unit;
  return true;
}

}  // namespace

bool fast_account_data(const aave::MarketSnapshot& market, const aave::UserState& user, aave::AccountData& out) noexcept {
  if (user.config.is_empty()) return false;
  // eMode without a price source changes only the LTV and LT of the category's reserves; with one, prices too
  // (the general code).
  const aave::EModeCategory* category = nullptr;
  if (user.emode_category != 0) {
    category = market.emode(user.emode_category);
    if (category == nullptr || !category->price_source.is_zero()) return false;
  }
  int flagged = 0;
  int last_id = -1;
  uint128 collateral = 0, debt = 0, avg_ltv = 0, avg_lt = 0;
  bool zero_ltv = false;
  for (const auto& r : user.reserves) {
    const auto id = r.reserve_id;
    if (static_cast<int>(id) <= last_id) return false;  // not sorted: user_reserve() would pick the first
    last_id = id;
    const bool coll = user.config.is_using_as_collateral(id), borrow = user.config.is_borrowing(id);
    if (!coll && !borrow) continue;
    ++flagged;
    if (id >= market.reserves.size() || id >= market.prices.size()) return false;
    const auto& reserve = market.reserves[id];
    const auto& config = reserve.config;
    const U256& price = market.prices[id];
    if (reserve.asset.is_zero() || price.is_zero() || config.decimals > 19) return false;
    if (reserve.last_update_timestamp != market.timestamp) return false;  // the index is then not the stored one
    if (!r.stable_debt.principal.is_zero()) return false;
    const std::uint64_t unit = pow10_64(config.decimals);
    if (coll && config.liquidation_threshold_bps != 0) {
      const auto balance = ray_mul_half_up(r.scaled_a_token, reserve.liquidity_index);
      uint128 value;
      if (!balance || !value_of(*balance, price, unit, value)) return false;
      if (__builtin_add_overflow(collateral, value, &collateral)) return false;
      const bool in_emode = category != nullptr && config.emode_category == user.emode_category;
      const std::uint16_t ltv = in_emode ? category->ltv_bps : config.ltv_bps;
      const std::uint16_t lt = in_emode ? category->liquidation_threshold_bps : config.liquidation_threshold_bps;
      uint128 weighted;
      if (config.ltv_bps != 0) {  // the reserve's own LTV decides, as in GenericLogic
        if (__builtin_mul_overflow(value, static_cast<uint128>(ltv), &weighted) ||
            __builtin_add_overflow(avg_ltv, weighted, &avg_ltv))
          return false;
      } else {
        zero_ltv = true;
      }
      if (__builtin_mul_overflow(value, static_cast<uint128>(lt), &weighted) ||
          __builtin_add_overflow(avg_lt, weighted, &avg_lt))
        return false;
    }
    if (borrow) {
      U256 balance;
      if (!r.scaled_variable_debt.is_zero()) {
        const auto b = ray_mul_half_up(r.scaled_variable_debt, reserve.variable_borrow_index);
        if (!b) return false;
        balance = *b;
      }
      uint128 value;
      if (!value_of(balance, price, unit, value)) return false;
      if (__builtin_add_overflow(debt, value, &debt)) return false;
    }
  }
  // Every reserve the bitmap marks must be one of those above (a marked reserve missing from user.reserves, or
  // beyond the market's reserves, is the general code's business).
  if (flagged != marked_reserves(user.config.bitmap)) return false;
  out = aave::AccountData{};
  out.total_collateral_base = from128(collateral);
  out.total_debt_base = from128(debt);
  out.has_zero_ltv_collateral = zero_ltv;
  if (collateral != 0) {
    out.avg_ltv_bps = from128(avg_ltv / collateral);
    out.avg_liquidation_threshold_bps = from128(avg_lt / collateral);
  }
  if (debt == 0) {
    out.health_factor = U256::max();
  } else {
    const auto adjusted = bps_mul_half_up(out.total_collateral_base, out.avg_liquidation_threshold_bps);
    if (!adjusted) return false;
    const auto hf = wad_div_half_up(*adjusted, out.total_debt_base);
    if (!hf) return false;
    out.health_factor = *hf;
  }
  return true;
}

}  // namespace sluice::risk::detail
