// Token balances as the AToken, VariableDebtToken and StableDebtToken report them at the snapshot's timestamp.

#include "chain/fixed_point.hpp"
#include "strategy/aave/detail.hpp"
#include "strategy/aave/math.hpp"

namespace sluice::aave {

namespace detail {

Result<const Reserve*> reserve_at(const MarketSnapshot& market, std::uint16_t id) noexcept {
  if (id >= market.reserves.size() || market.reserves[id].asset.is_zero()) return AaveError::unknown_reserve;
  return &market.reserves[id];
}

Result<U256> oracle_price(const MarketSnapshot& market, std::uint16_t id) noexcept {
  if (id >= market.prices.size() || market.prices[id].is_zero()) return AaveError::missing_price;
  return market.prices[id];
}

const UserReserve& user_reserve(const UserState& user, std::uint16_t id) noexcept {
  static const UserReserve kEmpty{};
  const UserReserve* r = user.reserve(id);
  return r != nullptr ? *r : kEmpty;
}

Result<U256> collateral_balance(const Reserve& reserve, const UserReserve& user, std::uint64_t timestamp) noexcept {
  SLUICE_AAVE_TRY(income, normalized_income(reserve, timestamp));
  return or_revert(ray_mul_half_up(user.scaled_a_token, income));
}

Result<U256> variable_debt_balance(const Reserve& reserve, const UserReserve& user,
                                   std::uint64_t timestamp) noexcept {
  if (user.scaled_variable_debt.is_zero()) return U256{};
  SLUICE_AAVE_TRY(index, normalized_debt(reserve, timestamp));
  return or_revert(ray_mul_half_up(user.scaled_variable_debt, index));
}

Result<U256> debt_balance(const Reserve& reserve, const UserReserve& user, std::uint64_t timestamp) noexcept {
  SLUICE_AAVE_TRY(variable, variable_debt_balance(reserve, user, timestamp));
  SLUICE_AAVE_TRY(stable, stable_debt_balance(user.stable_debt, timestamp));
  return or_revert(checked_add(variable, stable));
}

}  // namespace detail

Result<U256> collateral_balance(const MarketSnapshot& market, const UserReserve& user) noexcept {
  SLUICE_AAVE_TRY(reserve, detail::reserve_at(market, user.reserve_id));
  return detail::collateral_balance(*reserve, user, market.timestamp);
}

Result<U256> debt_balance(const MarketSnapshot& market, const UserReserve& user) noexcept {
  SLUICE_AAVE_TRY(reserve, detail::reserve_at(market, user.reserve_id));
  return detail::debt_balance(*reserve, user, market.timestamp);
}

}  // namespace sluice::aave
