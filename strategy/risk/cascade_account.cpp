// calculateUserAccountData's totals and health factor in 128-bit arithmetic: every step is the one
// aave/account_data.cpp takes (rayMul half up for balances, value = balance x price / 10^decimals floored, sums,
// the average LT floored, percentMul and wadDiv half up), with each product checked to fit; anything else falls
// back to the general code.
#include "strategy/risk/cascade_account.hpp"

#include "chain/fixed_point.hpp"

#include <bit>
#include <limits>

namespace sluice::risk::detail {
namespace {

constexpr std::uint64_t kPairMask = 0x5555555555555555ULL;

/// The number of reserves the bitmap marks (collateral or borrowing), over all 128 ids.
int marked_reserves(const U256& bitmap) noexcept {
  int n = 0;
  for (auto x : bitmap.limbs) n += std::popcount((x | (x >> 1)) & kPairMask);
  return n;
}

/// rayMul half up of a 128-bit scaled balance by a 128-bit index, when the result fits in 128 bits.
bool balance_of(const U256& scaled, const U256& index, uint128& out) noexcept {
  if (!fits128(scaled) || !fits128(index)) return false;
  const auto b = ray_mul_half_up(scaled, index);  // cannot overflow: (2^128 - 1)^2 + RAY / 2 < 2^256
  if (!b || !fits128(*b)) return false;
  out = to128(*b);
  return true;
}

}  // namespace

void account_terms(const aave::MarketSnapshot& market, const aave::UserState& user, AccountTerms& out) noexcept {
  out.usable = false;
  out.count = 0;
  if (user.config.is_empty()) return;
  // eMode without a price source changes only the LTV and LT of the category's reserves; with one, prices too
  // (the general code).
  const aave::EModeCategory* category = nullptr;
  if (user.emode_category != 0) {
    category = market.emode(user.emode_category);
    if (category == nullptr || !category->price_source.is_zero()) return;
  }
  int last_id = -1;
  if (user.reserves.size() > std::numeric_limits<std::uint16_t>::max()) return;  // AccountTerm::index
  for (std::uint16_t index = 0; index < user.reserves.size(); ++index) {
    const auto& r = user.reserves[index];
    const auto id = r.reserve_id;
    if (static_cast<int>(id) <= last_id) return;  // not sorted: user_reserve() would pick the first
    last_id = id;
    const bool coll = id < 128 && bitmap_bit(user.config.bitmap, 2u * id + 1u);
    const bool borrow = id < 128 && bitmap_bit(user.config.bitmap, 2u * id);
    if (!coll && !borrow) continue;
    if (out.count == AccountTerms::kMax) return;
    if (id >= market.reserves.size() || id >= market.prices.size()) return;
    const auto& reserve = market.reserves[id];
    const auto& config = reserve.config;
    if (reserve.asset.is_zero() || config.decimals > 19) return;
    if (reserve.last_update_timestamp != market.timestamp) return;  // the index is then not the stored one
    if (!r.stable_debt.principal.is_zero()) return;
    AccountTerm& t = out.terms[out.count++];
    t = AccountTerm{};
    t.id = id;
    t.index = index;
    t.collateral = coll;
    t.borrow = borrow;
    t.decimals = config.decimals;
    if (coll && !balance_of(r.scaled_a_token, reserve.liquidity_index, t.collateral_balance)) return;
    if (coll && config.liquidation_threshold_bps != 0) {
      t.counted = true;
      const bool in_emode = category != nullptr && config.emode_category == user.emode_category;
      t.lt_bps = in_emode ? category->liquidation_threshold_bps : config.liquidation_threshold_bps;
    }
    if (borrow && !r.scaled_variable_debt.is_zero() &&
        !balance_of(r.scaled_variable_debt, reserve.variable_borrow_index, t.debt_balance))
      return;
  }
  // Every reserve the bitmap marks must be one of those above (a marked reserve missing from user.reserves, or
  // beyond the market's reserves, is the general code's business).
  if (out.count != marked_reserves(user.config.bitmap)) return;
  out.usable = true;
}

AccountHealth health_of(const aave::AccountData& data) noexcept {
  return {data.total_collateral_base, data.total_debt_base, data.health_factor};
}

bool fast_account_health(const aave::MarketSnapshot& market, const AccountTerms& terms, AccountHealth& out) noexcept {
  if (!terms.usable) return false;
  uint128 collateral = 0, debt = 0, weighted_lt = 0;  // weighted_lt: sum of value x LT (bps), base currency x bps
  for (std::uint8_t i = 0; i < terms.count; ++i) {
    const AccountTerm& t = terms.terms[i];
    const U256& price = market.prices[t.id];
    if (price.is_zero() || !fits128(price)) return false;
    const uint128 p = to128(price);
    if (t.counted) {
      uint128 value;
      if (!mul_div_128(t.collateral_balance, p, t.unit(), value)) return false;
      if (__builtin_add_overflow(collateral, value, &collateral)) return false;
      // value < 2^112 and LT < 2^16: the product fits (a larger value is far beyond any market: the general code).
      if (value >> 112 != 0 || __builtin_add_overflow(weighted_lt, value * t.lt_bps, &weighted_lt)) return false;
    }
    if (t.borrow) {
      uint128 value;
      if (!mul_div_128(t.debt_balance, p, t.unit(), value)) return false;
      if (__builtin_add_overflow(debt, value, &debt)) return false;
    }
  }
  out.total_collateral_base = from128(collateral);
  out.total_debt_base = from128(debt);
  if (debt == 0) {
    out.health_factor = U256::max();
    return true;
  }
  // The average LT floored, percentMul(collateral, avg LT) then wadDiv(debt), half up, in 128 bits when every
  // intermediate fits (then the contract's overflow guards cannot fire either); otherwise the 256-bit helpers.
  const uint128 avg_lt_bps = collateral != 0 ? div_128(weighted_lt, collateral) : 0;
  constexpr uint128 kWad128 = 1'000'000'000'000'000'000ULL;
  uint128 weighted, scaled, numerator;
  if (!__builtin_mul_overflow(collateral, avg_lt_bps, &weighted) && weighted <= ~uint128{0} - 5'000) {
    const uint128 adjusted = div_u64(weighted + 5'000, 10'000);
    if (!__builtin_mul_overflow(adjusted, kWad128, &scaled) && !__builtin_add_overflow(scaled, debt / 2, &numerator)) {
      out.health_factor = from128(div_128(numerator, debt));
      return true;
    }
  }
  const auto adjusted = bps_mul_half_up(out.total_collateral_base, from128(avg_lt_bps));
  if (!adjusted) return false;
  const auto hf = wad_div_half_up(*adjusted, out.total_debt_base);
  if (!hf) return false;
  out.health_factor = *hf;
  return true;
}

bool fast_account_health(const aave::MarketSnapshot& market, const aave::UserState& user, AccountHealth& out) noexcept {
  AccountTerms terms;
  account_terms(market, user, terms);
  return fast_account_health(market, terms, out);
}

}  // namespace sluice::risk::detail
