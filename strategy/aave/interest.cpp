// MathUtils (linear and 3-term compounded interest), ReserveLogic.getNormalizedIncome/getNormalizedDebt and
// StableDebtToken.balanceOf, with the contracts' checked and unchecked operations in the same order.

#include "chain/fixed_point.hpp"
#include "strategy/aave/detail.hpp"
#include "strategy/aave/math.hpp"

namespace sluice::aave {

namespace {

/// MathUtils.SECONDS_PER_YEAR: 365 days, leap years ignored.
constexpr std::uint64_t kSecondsPerYear = 365ULL * 24 * 60 * 60;

/// `timestamp - last_update` in checked arithmetic: a snapshot older than the reserve's last update reverts.
Result<U256> elapsed(std::uint64_t last_update, std::uint64_t timestamp) noexcept {
  if (timestamp < last_update) return AaveError::overflow;
  return U256{timestamp - last_update};
}

}  // namespace

Result<U256> linear_interest(const U256& rate_ray, std::uint64_t last_update, std::uint64_t timestamp) noexcept {
  SLUICE_AAVE_TRY(dt, elapsed(last_update, timestamp));
  SLUICE_AAVE_TRY(accrued, detail::or_revert(checked_mul(rate_ray, dt)));
  return detail::or_revert(checked_add(kRay, accrued / U256{kSecondsPerYear}));
}

Result<U256> compounded_interest(const U256& rate_ray, std::uint64_t last_update, std::uint64_t timestamp) noexcept {
  SLUICE_AAVE_TRY(exp, elapsed(last_update, timestamp));
  if (exp.is_zero()) return kRay;
  const U256 exp_minus_one = exp - U256{1};
  const U256 exp_minus_two = exp > U256{2} ? exp - U256{2} : U256{};
  // rayMul keeps its overflow guard inside the contract's `unchecked` block; the divisions cannot fail.
  SLUICE_AAVE_TRY(rate_squared, detail::or_revert(ray_mul_half_up(rate_ray, rate_ray)));
  const U256 base_power_two = rate_squared / U256{kSecondsPerYear * kSecondsPerYear};
  SLUICE_AAVE_TRY(base_cubed, detail::or_revert(ray_mul_half_up(base_power_two, rate_ray)));
  const U256 base_power_three = base_cubed / U256{kSecondsPerYear};

  // Solidity evaluates the products left to right, each one checked.
  SLUICE_AAVE_TRY(e1, detail::or_revert(checked_mul(exp, exp_minus_one)));
  SLUICE_AAVE_TRY(second, detail::or_revert(checked_mul(e1, base_power_two)));
  SLUICE_AAVE_TRY(e2, detail::or_revert(checked_mul(e1, exp_minus_two)));
  SLUICE_AAVE_TRY(third, detail::or_revert(checked_mul(e2, base_power_three)));
  SLUICE_AAVE_TRY(first, detail::or_revert(checked_mul(rate_ray, exp)));

  SLUICE_AAVE_TRY(s1, detail::or_revert(checked_add(kRay, first / U256{kSecondsPerYear})));
  SLUICE_AAVE_TRY(s2, detail::or_revert(checked_add(s1, second / U256{2})));
  return detail::or_revert(checked_add(s2, third / U256{6}));
}

Result<U256> normalized_income(const Reserve& reserve, std::uint64_t timestamp) noexcept {
  if (reserve.last_update_timestamp == timestamp) return reserve.liquidity_index;
  SLUICE_AAVE_TRY(interest,
                    linear_interest(reserve.current_liquidity_rate, reserve.last_update_timestamp, timestamp));
  return detail::or_revert(ray_mul_half_up(interest, reserve.liquidity_index));
}

Result<U256> normalized_debt(const Reserve& reserve, std::uint64_t timestamp) noexcept {
  if (reserve.last_update_timestamp == timestamp) return reserve.variable_borrow_index;
  SLUICE_AAVE_TRY(interest, compounded_interest(reserve.current_variable_borrow_rate,
                                                             reserve.last_update_timestamp, timestamp));
  return detail::or_revert(ray_mul_half_up(interest, reserve.variable_borrow_index));
}

Result<U256> stable_debt_balance(const StableDebt& debt, std::uint64_t timestamp) noexcept {
  if (debt.principal.is_zero()) return U256{};
  SLUICE_AAVE_TRY(interest, compounded_interest(debt.rate, debt.last_updated, timestamp));
  return detail::or_revert(ray_mul_half_up(debt.principal, interest));
}

}  // namespace sluice::aave
