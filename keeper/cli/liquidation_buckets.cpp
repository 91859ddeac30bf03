#include "keeper/cli/liquidation_buckets.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::cli {

LiquidationMap liquidation_map_from_views(std::span<const book::PositionView> views, book::AssetId asset,
                                          double current_price, double floor_price, std::size_t bucket_count) {
  LiquidationMap map;
  map.current_price = current_price;
  map.floor_price = floor_price;
  if (bucket_count == 0 || !std::isfinite(current_price) || !std::isfinite(floor_price) || floor_price < 0.0 ||
      !(current_price > floor_price))
    return map;
  const double width = (current_price - floor_price) / static_cast<double>(bucket_count);
  map.buckets.resize(bucket_count);
  for (std::size_t i = 0; i < bucket_count; ++i) {
    map.buckets[i].price_high = current_price - width * static_cast<double>(i);
    map.buckets[i].price_low = i + 1 == bucket_count ? floor_price : current_price - width * static_cast<double>(i + 1);
  }
  for (const book::PositionView& v : views) {
    const auto lp = std::find_if(v.liquidation_prices.begin(), v.liquidation_prices.end(),
                                 [&](const book::LiquidationPrice& p) { return p.asset == asset; });
    if (lp == v.liquidation_prices.end() || !std::isfinite(lp->price_usd)) continue;
    const auto protocol = static_cast<std::size_t>(v.key.protocol);
    if (lp->price_usd < floor_price) {
      map.below_floor_debt_usd[protocol] += v.debt_usd;
      continue;
    }
    // Already liquidatable (at or above the current price) goes to the first bucket.
    const double depth = std::max(0.0, current_price - lp->price_usd);
    const auto index = std::min(bucket_count - 1, static_cast<std::size_t>(depth / width));
    map.buckets[index].debt_usd[protocol] += v.debt_usd;
    ++map.buckets[index].positions[protocol];
  }
  return map;
}

}  // namespace sluice::cli
