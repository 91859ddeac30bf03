#include "strategy/plan/valuation.hpp"

#include "strategy/risk/numeric.hpp"

namespace sluice::plan {

std::optional<double> usd_price(const book::PositionBook& book, book::AssetId asset) noexcept {
  if (asset >= book.asset_count()) return std::nullopt;
  const auto& a = book.asset(asset);
  if (!a.usd_price.is_zero()) return risk::to_units(a.usd_price, 8);
  const auto& market = book.aave_market();
  if (market.base_currency_unit.is_zero()) return std::nullopt;
  for (const auto& r : market.reserves)
    if (r.asset == a.address && r.id < market.prices.size() && !market.prices[r.id].is_zero())
      return risk::to_double(market.prices[r.id]) / risk::to_double(market.base_currency_unit);
  return std::nullopt;
}

double usd_value(const book::PositionBook& book, book::AssetId asset, const U256& amount) noexcept {
  const auto price = usd_price(book, asset);
  if (!price) return 0.0;
  return risk::to_units(amount, book.asset(asset).decimals) * *price;
}

}  // namespace sluice::plan
