// LiquidationLogic.executeLiquidationCall (Aave v3.0): the amounts a liquidationCall moves, or the error it
// reverts with, evaluated in the contract's order.

#include "chain/fixed_point.hpp"
#include "chain/u256_pow10.hpp"
#include "strategy/aave/detail.hpp"
#include "strategy/aave/liquidation_steps.hpp"
#include "strategy/aave/math.hpp"


namespace sluice::aave {

namespace {

constexpr std::uint16_t kDefaultCloseFactorBps = 5'000;  ///< DEFAULT_LIQUIDATION_CLOSE_FACTOR
constexpr std::uint16_t kMaxCloseFactorBps = 10'000;     ///< MAX_LIQUIDATION_CLOSE_FACTOR
/// CLOSE_FACTOR_HF_THRESHOLD: at or below HF 0.95 the whole debt may be repaid.
constexpr U256 kCloseFactorHfThreshold{950'000'000'000'000'000ULL};
/// ValidationLogic.HEALTH_FACTOR_LIQUIDATION_THRESHOLD: 1e18.
constexpr U256 kLiquidationThreshold{1'000'000'000'000'000'000ULL};

/// The user's debt in the debt reserve (Helpers.getUserCurrentDebt) and the close-factor-capped amount to repay
/// (LiquidationLogic._calculateDebt).
struct DebtToLiquidate {
  U256 variable;
  U256 total;
  U256 actual;
  std::uint16_t close_factor_bps = 0;
};

/// The part of _calculateDebt after the two balances are read.
Result<DebtToLiquidate> debt_to_liquidate(const U256& stable, const U256& variable, const U256& health_factor,
                                          const U256& debt_to_cover) noexcept {
  DebtToLiquidate d;
  SLUICE_AAVE_TRY(total, detail::or_revert(checked_add(stable, variable)));
  d.variable = variable;
  d.total = total;
  d.close_factor_bps = health_factor > kCloseFactorHfThreshold ? kDefaultCloseFactorBps : kMaxCloseFactorBps;
  SLUICE_AAVE_TRY(max_debt, detail::or_revert(bps_mul_half_up(total, U256{d.close_factor_bps})));
  d.actual = debt_to_cover > max_debt ? max_debt : debt_to_cover;
  return d;
}

/// ValidationLogic.validateLiquidationCall, in its order (no PriceOracleSentinel: L1 markets have none).
Result<void> validate(const Reserve& collateral, const Reserve& debt, const UserState& user,
                      std::uint16_t collateral_id, const U256& health_factor, const U256& total_debt) noexcept {
  if (!collateral.config.active || !debt.config.active) return AaveError::reserve_inactive;
  if (collateral.config.paused || debt.config.paused) return AaveError::reserve_paused;
  if (health_factor >= kLiquidationThreshold) return AaveError::health_factor_not_below_threshold;
  if (collateral.config.liquidation_threshold_bps == 0 || !user.config.is_using_as_collateral(collateral_id))
    return AaveError::collateral_cannot_be_liquidated;
  if (total_debt.is_zero()) return AaveError::specified_currency_not_borrowed;
  return {};
}

/// LiquidationLogic._getConfigurationData: the bonus and the two prices. In v3.0 the collateral takes the eMode
/// source's price (and the category's bonus) only when it belongs to the user's category, but the debt asset
/// takes the eMode source's price whenever the user's category has one, whether or not the debt is in it.

Result<detail::PricesAndBonus> prices_and_bonus(const MarketSnapshot& market, const UserState& user,
                                        const Reserve& collateral, const LiquidationRequest& request) noexcept {
  detail::PricesAndBonus p;
  p.bonus_bps = collateral.config.liquidation_bonus_bps;
  bool collateral_from_emode = false;
  bool debt_from_emode = false;
  U256 emode_price;
  if (user.emode_category != 0) {
    const EModeCategory* category = market.emode(user.emode_category);
    if (category == nullptr) return AaveError::unknown_emode_category;
    const bool has_source = category->price_source != Address{};
    emode_price = category->price;
    if (collateral.config.emode_category == user.emode_category) {
      p.bonus_bps = category->liquidation_bonus_bps;
      collateral_from_emode = has_source;
    }
    debt_from_emode = has_source;
  }
  if (collateral_from_emode || debt_from_emode) {
    if (emode_price.is_zero()) return AaveError::missing_price;
  }
  if (collateral_from_emode) {
    p.collateral_price = emode_price;
  } else {
    SLUICE_AAVE_TRY(price, detail::oracle_price(market, request.collateral_reserve_id));
    p.collateral_price = price;
  }
  if (debt_from_emode) {
    p.debt_price = emode_price;
  } else {
    SLUICE_AAVE_TRY(price, detail::oracle_price(market, request.debt_reserve_id));
    p.debt_price = price;
  }
  return p;
}

/// _burnDebtTokens: VariableDebtToken.burn reverts when the amount it burns scales down to zero.
Result<void> check_debt_burn(const Reserve& debt_reserve, const DebtToLiquidate& d, const U256& debt_needed,
                             std::uint64_t timestamp, detail::LiquidationScaled* scaled_out) noexcept {
  const U256 burned = d.variable >= debt_needed ? debt_needed : d.variable;
  if (d.variable < debt_needed && d.variable.is_zero()) return {};  // stable debt only: no variable burn
  SLUICE_AAVE_TRY(index, normalized_debt(debt_reserve, timestamp));
  SLUICE_AAVE_TRY(scaled, detail::or_revert(ray_div_half_up(burned, index)));
  if (scaled.is_zero()) return AaveError::invalid_burn_amount;
  if (scaled_out != nullptr && d.variable >= debt_needed) scaled_out->debt_repaid = scaled;
  return {};
}

/// After the liquidator's collateral leaves the user's aToken balance, the fee is capped at what is left (in scaled
/// units): executeLiquidationCall's `scaledDownLiquidationProtocolFee > scaledDownUserBalance` branch.
Result<U256> capped_protocol_fee(const Reserve& collateral, const UserReserve& balances,
                                 const detail::CollateralAmounts& a, std::uint64_t timestamp,
                                 detail::LiquidationScaled* scaled_out) noexcept {
  using detail::or_revert;
  if (a.protocol_fee.is_zero()) return U256{};
  SLUICE_AAVE_TRY(index, normalized_income(collateral, timestamp));
  SLUICE_AAVE_TRY(scaled_moved, or_revert(ray_div_half_up(a.to_liquidator, index)));
  SLUICE_AAVE_TRY(scaled_left, or_revert(checked_sub(balances.scaled_a_token, scaled_moved)));
  SLUICE_AAVE_TRY(scaled_fee, or_revert(ray_div_half_up(a.protocol_fee, index)));
  if (scaled_fee > scaled_left) return or_revert(ray_mul_half_up(scaled_left, index));
  if (scaled_out != nullptr) {
    scaled_out->collateral_to_liquidator = scaled_moved;
    scaled_out->protocol_fee = scaled_fee;
  }
  return a.protocol_fee;
}

}  // namespace

Result<LiquidationOutcome> liquidation(const MarketSnapshot& market, const UserState& user,
                                       const LiquidationRequest& request) noexcept {
  // The contract's order: both reserves are looked up before the account data is computed.
  if (auto c = detail::reserve_at(market, request.collateral_reserve_id); !c) return c.error();
  if (auto d = detail::reserve_at(market, request.debt_reserve_id); !d) return d.error();
  SLUICE_AAVE_TRY(account, account_data(market, user));
  return liquidation(market, user, request, account);
}

Result<LiquidationOutcome> liquidation(const MarketSnapshot& market, const UserState& user,
                                       const LiquidationRequest& request, const AccountData& account) noexcept {
  SLUICE_AAVE_TRY(collateral, detail::reserve_at(market, request.collateral_reserve_id));
  SLUICE_AAVE_TRY(debt, detail::reserve_at(market, request.debt_reserve_id));
  const UserReserve& debt_balances = detail::user_reserve(user, request.debt_reserve_id);
  SLUICE_AAVE_TRY(stable, stable_debt_balance(debt_balances.stable_debt, market.timestamp));
  SLUICE_AAVE_TRY(variable, detail::variable_debt_balance(*debt, debt_balances, market.timestamp));
  return detail::liquidation_from_balances(market, user, request, account, *collateral, *debt,
                                           detail::user_reserve(user, request.collateral_reserve_id), stable,
                                           variable, nullptr, nullptr);
}

namespace detail {

Result<LiquidationOutcome> liquidation_from_balances(const MarketSnapshot& market, const UserState& user,
                                                     const LiquidationRequest& request, const AccountData& account,
                                                     const Reserve& collateral_reserve, const Reserve& debt_reserve,
                                                     const UserReserve& collateral_balances, const U256& stable_debt,
                                                     const U256& variable_debt,
                                                     const U256* collateral_balance_known,
                                                     LiquidationScaled* scaled) noexcept {
  if (scaled != nullptr) *scaled = LiquidationScaled{};
  const Reserve* collateral = &collateral_reserve;
  const Reserve* debt = &debt_reserve;
  SLUICE_AAVE_TRY(d, debt_to_liquidate(stable_debt, variable_debt, account.health_factor, request.debt_to_cover));
  if (auto ok = validate(*collateral, *debt, user, request.collateral_reserve_id, account.health_factor, d.total);
      !ok)
    return ok.error();
  SLUICE_AAVE_TRY(prices, prices_and_bonus(market, user, *collateral, request));
  U256 user_collateral;
  if (collateral_balance_known != nullptr) {
    user_collateral = *collateral_balance_known;
  } else {
    SLUICE_AAVE_TRY(balance, detail::collateral_balance(*collateral, collateral_balances, market.timestamp));
    user_collateral = balance;
  }
  SLUICE_AAVE_TRY(amounts, detail::available_collateral(*collateral, *debt, prices, d.actual, user_collateral));
  if (auto ok = check_debt_burn(*debt, d, amounts.debt_needed, market.timestamp, scaled); !ok) return ok.error();
  SLUICE_AAVE_TRY(fee, capped_protocol_fee(*collateral, collateral_balances, amounts, market.timestamp, scaled));

  LiquidationOutcome out;
  out.debt_repaid = amounts.debt_needed;
  out.collateral_to_liquidator = amounts.to_liquidator;
  out.protocol_fee = fee;
  out.close_factor_bps = d.close_factor_bps;
  out.liquidation_bonus_bps = prices.bonus_bps;
  out.collateral_price = prices.collateral_price;
  out.debt_price = prices.debt_price;
  out.health_factor_before = account.health_factor;
  return out;
}

namespace {

/// rayDiv half up of a 128-bit amount by an index, when the result fits in 128 bits; by `divisor` when it is that
/// index's and has a fast path for it (otherwise, as when the quotient leaves 128 bits, the general division
/// decides).
bool ray_div_128(uint128 amount, const U256& index, const RayDivisor* divisor, uint128& out) noexcept {
  if (fits128(index)) {
    if (divisor != nullptr && divisor->value() == to128(index) && divisor->divide(amount, out)) return true;
    return ray_div_half_up_128(amount, to128(index), out);
  }
  const auto q = ray_div_half_up(from128(amount), index);
  if (!q || !fits128(*q)) return false;
  out = to128(*q);
  return true;
}

}  // namespace

std::optional<NarrowLiquidation> narrow_max_liquidation(const MarketSnapshot& market, const UserState& user,
                                                        std::uint16_t collateral_id, std::uint16_t debt_id,
                                                        const U256& health_factor, uint128 collateral_balance,
                                                        uint128 scaled_collateral, uint128 variable_debt,
                                                        const IndexDivisors& divisors) noexcept {
  // reserve_at's lookups; both indexes at the clock (normalized income and debt are then the stored indexes).
  if (collateral_id >= market.reserves.size() || debt_id >= market.reserves.size()) return std::nullopt;
  const Reserve& collateral = market.reserves[collateral_id];
  const Reserve& debt = market.reserves[debt_id];
  if (collateral.asset.is_zero() || debt.asset.is_zero() || collateral.last_update_timestamp != market.timestamp ||
      debt.last_update_timestamp != market.timestamp)
    return std::nullopt;
  // _calculateDebt (no stable debt: the total is the variable debt), then validation in the contract's order.
  NarrowLiquidation out;
  out.close_factor_bps = health_factor > kCloseFactorHfThreshold ? kDefaultCloseFactorBps : kMaxCloseFactorBps;
  const U256 total = from128(variable_debt);
  uint128 max_debt = 0;
  if (!bps_mul_half_up_128(variable_debt, out.close_factor_bps, max_debt) ||
      !validate(collateral, debt, user, collateral_id, health_factor, total))
    return std::nullopt;
  const LiquidationRequest request{collateral_id, debt_id, U256::max()};
  const auto prices = prices_and_bonus(market, user, collateral, request);
  if (!prices) return std::nullopt;
  out.liquidation_bonus_bps = prices->bonus_bps;
  const auto amounts = available_collateral(collateral, debt, *prices, from128(max_debt), from128(collateral_balance));
  if (!amounts || !fits128(amounts->debt_needed) || !fits128(amounts->to_liquidator) ||
      !fits128(amounts->protocol_fee))
    return std::nullopt;
  out.debt_repaid = to128(amounts->debt_needed);
  out.collateral_to_liquidator = to128(amounts->to_liquidator);
  out.protocol_fee = to128(amounts->protocol_fee);
  // _burnDebtTokens: all of it from the variable debt (more than that would touch stable debt: the general code),
  // and a burn that scales to zero reverts.
  if (out.debt_repaid > variable_debt ||
      !ray_div_128(out.debt_repaid, debt.variable_borrow_index, divisors.debt, out.scaled_debt_burn) ||
      out.scaled_debt_burn == 0)
    return std::nullopt;
  // The aTokens: to the liquidator, then the fee, capped at what is left in scaled units (the fee is then that rest
  // rayMul the index, and the token burns its rayDiv).
  const U256& income = collateral.liquidity_index;
  uint128 scaled_fee = 0;
  if (!ray_div_128(out.collateral_to_liquidator, income, divisors.income, out.scaled_collateral_burn))
    return std::nullopt;
  if (out.protocol_fee != 0) {
    if (out.scaled_collateral_burn > scaled_collateral ||
        !ray_div_128(out.protocol_fee, income, divisors.income, scaled_fee))
      return std::nullopt;
    const uint128 scaled_left = scaled_collateral - out.scaled_collateral_burn;
    if (scaled_fee > scaled_left) {
      if (!fits128(income) || !ray_mul_half_up_128(scaled_left, to128(income), out.protocol_fee) ||
          !ray_div_128(out.protocol_fee, income, divisors.income, scaled_fee) ||
          scaled_fee > ~uint128{0} - out.scaled_collateral_burn)
        return std::nullopt;
    }
  }
  out.scaled_collateral_burn += scaled_fee;
  return out;
}

}  // namespace detail

}  // namespace sluice::aave
