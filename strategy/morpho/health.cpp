#include "strategy/morpho/checked.hpp"
#include "strategy/morpho/health_detail.hpp"

namespace sluice::morpho {

Result<U256> borrowed_assets(const MarketState& state, const Position& position) noexcept {
  const auto borrowed = to_assets_up(position.borrow_shares, state.total_borrow_assets, state.total_borrow_shares);
  if (!borrowed) return MorphoError::overflow;
  return *borrowed;
}

// A zero price is no error here: the contract computes a max borrow of zero (so any debt is unhealthy).
Result<U256> max_borrow(const MarketParams& params, const Position& position, const U256& oracle_price) noexcept {
  const auto quoted = checked_mul_div_down(position.collateral, oracle_price, detail::oracle_price_scale_divisor());
  if (!quoted) return MorphoError::overflow;
  const auto max = wad_mul_down(*quoted, params.lltv);
  if (!max) return MorphoError::overflow;
  return *max;
}

namespace detail {

Result<bool> healthy_at_price(const MarketParams& params, const MarketState& state, const Position& position,
                              const U256& oracle_price) noexcept {
  const auto borrowed = borrowed_assets(state, position);
  // result<bool> cannot take an error_code implicitly (bool would be ambiguous): say which one.
  if (!borrowed) return {boost::system::in_place_error, borrowed.error()};
  const auto max = max_borrow(params, position, oracle_price);
  if (!max) return {boost::system::in_place_error, max.error()};
  return *max >= *borrowed;
}

}  // namespace detail

// The three-argument _isHealthy (used by borrow and withdrawCollateral) returns early without debt, before reading
// the price; the four-argument one (liquidate) always computes, so only the latter can revert on a debt-free position.
Result<bool> is_healthy(const MarketParams& params, const MarketState& state, const Position& position,
                        const U256& oracle_price) noexcept {
  if (position.borrow_shares.is_zero()) return true;
  return detail::healthy_at_price(params, state, position, oracle_price);
}

Result<U256> health_factor(const MarketParams& params, const MarketState& state, const Position& position,
                           const U256& oracle_price) noexcept {
  if (position.borrow_shares.is_zero()) return U256::max();
  const auto borrowed = borrowed_assets(state, position);
  if (!borrowed) return borrowed.error();
  if (borrowed->is_zero()) return U256::max();
  const auto max = max_borrow(params, position, oracle_price);
  if (!max) return max.error();
  // 512-bit intermediate: a report value need not revert where the contract never computes it; saturate instead.
  return mul_div_down(*max, sluice::kWad, *borrowed).value_or(U256::max());
}

}  // namespace sluice::morpho
