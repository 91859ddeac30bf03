// GenericLogic.calculateUserAccountData (Aave v3.0) and the per-reserve price it uses under eMode.

#include "chain/fixed_point.hpp"
#include "strategy/aave/detail.hpp"
#include "strategy/aave/math.hpp"

namespace sluice::aave {

namespace {

/// EModeLogic.getEModeConfiguration for the user's category: LTV, LT and the price of the category's source
/// (0 when the user has no eMode or the category has no source).
struct EModeParams {
  U256 ltv;
  U256 liquidation_threshold;
  U256 price;
};

Result<EModeParams> emode_params(const MarketSnapshot& market, const UserState& user,
                                 const detail::PriceOverride* override_price) noexcept {
  EModeParams p;
  if (user.emode_category == 0) return p;
  const EModeCategory* category = market.emode(user.emode_category);
  if (category == nullptr) return AaveError::unknown_emode_category;
  p.ltv = category->ltv_bps;
  p.liquidation_threshold = category->liquidation_threshold_bps;
  if (category->price_source != Address{}) {
    p.price = override_price != nullptr && override_price->emode_source ? override_price->price : category->price;
    if (p.price.is_zero()) return AaveError::missing_price;
  }
  return p;
}

/// The price GenericLogic uses for `reserve`: the eMode source's when the user's category has one and the reserve
/// belongs to it, else the asset's oracle price.
Result<U256> price_for(const MarketSnapshot& market, const UserState& user, const EModeParams& emode,
                       const Reserve& reserve, std::uint16_t id,
                       const detail::PriceOverride* override_price) noexcept {
  if (!emode.price.is_zero() && user.emode_category == reserve.config.emode_category) return emode.price;
  if (override_price != nullptr && !override_price->emode_source && override_price->reserve_id == id)
    return override_price->price;
  return detail::oracle_price(market, id);
}

/// amount * price / 10^decimals: the price product checked, the division unchecked (cannot fail).
Result<U256> in_base_currency(const U256& amount, const U256& price, std::uint8_t decimals) noexcept {
  SLUICE_AAVE_TRY(value, detail::or_revert(checked_mul(amount, price)));
  return value / detail::asset_unit(decimals);
}

}  // namespace

namespace detail {

Result<AccountData> account_data(const MarketSnapshot& market, const UserState& user,
                                 const PriceOverride* override_price) noexcept {
  AccountData out;
  if (user.config.is_empty()) {
    out.health_factor = U256::max();
    return out;
  }
  SLUICE_AAVE_TRY(emode, emode_params(market, user, override_price));

  U256 avg_ltv;
  U256 avg_lt;
  const std::size_t count = market.reserves.size();
  for (std::size_t i = 0; i < count; ++i) {
    const auto id = static_cast<std::uint16_t>(i);
    if (!user.config.is_using_as_collateral_or_borrowing(id)) continue;
    const Reserve& reserve = market.reserves[i];
    if (reserve.asset.is_zero()) continue;
    const ReserveConfig& config = reserve.config;
    SLUICE_AAVE_TRY(price, price_for(market, user, emode, reserve, id, override_price));
    const UserReserve& balances = user_reserve(user, id);

    if (config.liquidation_threshold_bps != 0 && user.config.is_using_as_collateral(id)) {
      SLUICE_AAVE_TRY(balance, collateral_balance(reserve, balances, market.timestamp));
      SLUICE_AAVE_TRY(value, in_base_currency(balance, price, config.decimals));
      SLUICE_AAVE_TRY(total, or_revert(checked_add(out.total_collateral_base, value)));
      out.total_collateral_base = total;
      const bool in_emode = user.emode_category != 0 && config.emode_category == user.emode_category;
      if (config.ltv_bps != 0) {
        SLUICE_AAVE_TRY(weighted, or_revert(checked_mul(value, in_emode ? emode.ltv : U256{config.ltv_bps})));
        SLUICE_AAVE_TRY(sum, or_revert(checked_add(avg_ltv, weighted)));
        avg_ltv = sum;
      } else {
        out.has_zero_ltv_collateral = true;
      }
      SLUICE_AAVE_TRY(weighted_lt, or_revert(checked_mul(
                                       value, in_emode ? emode.liquidation_threshold
                                                       : U256{config.liquidation_threshold_bps})));
      SLUICE_AAVE_TRY(sum_lt, or_revert(checked_add(avg_lt, weighted_lt)));
      avg_lt = sum_lt;
    }

    if (user.config.is_borrowing(id)) {
      SLUICE_AAVE_TRY(debt, debt_balance(reserve, balances, market.timestamp));
      SLUICE_AAVE_TRY(value, in_base_currency(debt, price, config.decimals));
      SLUICE_AAVE_TRY(total, or_revert(checked_add(out.total_debt_base, value)));
      out.total_debt_base = total;
    }
  }

  if (!out.total_collateral_base.is_zero()) {
    out.avg_ltv_bps = avg_ltv / out.total_collateral_base;
    out.avg_liquidation_threshold_bps = avg_lt / out.total_collateral_base;
  }
  if (out.total_debt_base.is_zero()) {
    out.health_factor = U256::max();
  } else {
    SLUICE_AAVE_TRY(adjusted, or_revert(bps_mul_half_up(out.total_collateral_base, out.avg_liquidation_threshold_bps)));
    SLUICE_AAVE_TRY(hf, or_revert(wad_div_half_up(adjusted, out.total_debt_base)));
    out.health_factor = hf;
  }
  return out;
}

}  // namespace detail

Result<AccountData> account_data(const MarketSnapshot& market, const UserState& user) noexcept {
  return detail::account_data(market, user, nullptr);
}

Result<U256> available_borrows(const AccountData& data) noexcept {
  SLUICE_AAVE_TRY(borrowable, detail::or_revert(bps_mul_half_up(data.total_collateral_base, data.avg_ltv_bps)));
  return borrowable > data.total_debt_base ? borrowable - data.total_debt_base : U256{};
}

Result<U256> account_price(const MarketSnapshot& market, const UserState& user, std::uint16_t reserve_id) noexcept {
  SLUICE_AAVE_TRY(reserve, detail::reserve_at(market, reserve_id));
  SLUICE_AAVE_TRY(emode, emode_params(market, user, nullptr));
  return price_for(market, user, emode, *reserve, reserve_id, nullptr);
}

}  // namespace sluice::aave
