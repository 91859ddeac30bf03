#include "strategy/morpho/liquidation_price.hpp"

#include "strategy/morpho/checked.hpp"
#include "strategy/morpho/health_detail.hpp"

#include <cmath>

namespace sluice::morpho {

namespace {

/// Unhealthy at `price`, or nullopt where the contract reverts (collateral * price overflows).
std::optional<bool> unhealthy_at(const MarketParams& params, const MarketState& state, const Position& position,
                                 const U256& price) noexcept {
  const auto healthy = detail::healthy_at_price(params, state, position, price);
  if (!healthy) return std::nullopt;
  return !*healthy;
}

}  // namespace

// With b = borrowed, c = collateral, l = lltv and q = floor(c * p / 1e36): floor(q * l / 1e18) < b iff
// q * l < b * 1e18 iff q < m := ceil(b * 1e18 / l) iff c * p < m * 1e36 iff p < ceil(m * 1e36 / c).
// So the crossing is p* = ceil(ceil(b * 1e18 / l) * 1e36 / c) - 1, computed with 512-bit intermediates.
Result<std::optional<U256>> liquidation_price(const MarketParams& params, const MarketState& state,
                                              const Position& position) noexcept {
  if (position.borrow_shares.is_zero()) return std::optional<U256>{};
  const auto borrowed = borrowed_assets(state, position);
  if (!borrowed) return borrowed.error();
  const std::optional<U256> every_price{U256::max()};
  if (position.collateral.is_zero() || params.lltv.is_zero()) return every_price;

  const auto m = mul_div_up(*borrowed, sluice::kWad, params.lltv);
  if (!m) return every_price;
  const auto ceiling = mul_div_up(*m, detail::kOraclePriceScale, position.collateral);
  if (!ceiling) return every_price;
  U256 price = *ceiling - U256{1};  // m >= 1 (b >= 1 with borrow shares), so ceiling >= 1

  // Beyond max_price the contract reverts on collateral * price: the crossing must lie within.
  const U256 max_price = U256::max() / position.collateral;
  if (price >= max_price) return every_price;
  // The closed form is exact; these steps only guard it against any mismatch with the contract's formula.
  for (auto below = unhealthy_at(params, state, position, price); below && !*below && !price.is_zero();
       below = unhealthy_at(params, state, position, price))
    price -= U256{1};
  for (auto above = unhealthy_at(params, state, position, price + U256{1}); above && *above && price < max_price;
       above = unhealthy_at(params, state, position, price + U256{1}))
    price += U256{1};
  return std::optional<U256>{price};
}

double collateral_usd_price(const U256& oracle_price, double loan_token_usd, unsigned loan_decimals,
                            unsigned collateral_decimals) noexcept {
  double price = 0;
  for (int i = 3; i >= 0; --i) price = price * 18446744073709551616.0 + static_cast<double>(oracle_price.limbs[i]);
  const int exponent = static_cast<int>(collateral_decimals) - static_cast<int>(loan_decimals) - 36;
  return price * std::pow(10.0, exponent) * loan_token_usd;
}

}  // namespace sluice::morpho
