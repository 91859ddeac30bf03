#include "strategy/risk/clusters.hpp"

#include "strategy/risk/numeric.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::risk {

const char* describe(ClusterError e) noexcept {
  switch (e) {
    case ClusterError::unknown_asset: return "asset not in the book";
    case ClusterError::no_price: return "asset has no USD price";
    case ClusterError::invalid_bucket: return "bucket fraction must be in [1e-5, 1); floor and reference prices >= 0";
  }
  return "unknown clusters error";
}

namespace {

/// Finer buckets than this would make the map larger than the book it summarizes (100,000 buckets).
constexpr double kMinBucketFraction = 1e-5;

bool holds_collateral(const book::PositionView& v, book::AssetId asset) noexcept {
  return std::any_of(v.collateral.begin(), v.collateral.end(), [&](const book::Holding& h) { return h.asset == asset; });
}

}  // namespace

std::optional<double> asset_price_usd(const book::PositionBook& book, book::AssetId asset) {
  if (asset >= book.asset_count()) return std::nullopt;
  const auto& a = book.asset(asset);
  if (!a.usd_price.is_zero()) return to_double(a.usd_price) / 1e8;
  const auto& market = book.aave_market();
  if (market.base_currency_unit.is_zero()) return std::nullopt;
  for (std::size_t i = 0; i < market.reserves.size() && i < market.prices.size(); ++i)
    if (market.reserves[i].asset == a.address && !market.prices[i].is_zero())
      return to_double(market.prices[i]) / to_double(market.base_currency_unit);
  return std::nullopt;
}

std::optional<double> liquidation_price_in(const book::PositionView& view, book::AssetId asset) noexcept {
  for (const auto& lp : view.liquidation_prices)
    if (lp.asset == asset && lp.liquidatable_below && std::isfinite(lp.price_usd) && lp.price_usd > 0.0)
      return lp.price_usd;
  return std::nullopt;
}

Result<LiquidationMap> liquidation_map(const book::PositionBook& book, book::AssetId asset, double bucket_fraction,
                                       double floor_price_usd, double reference_price_usd) {
  if (asset >= book.asset_count()) return ClusterError::unknown_asset;
  if (!(reference_price_usd >= 0.0) || !std::isfinite(reference_price_usd)) return ClusterError::invalid_bucket;
  if (reference_price_usd == 0.0) {
    const auto price = asset_price_usd(book, asset);
    if (!price) return ClusterError::no_price;
    reference_price_usd = *price;
  }
  book::ViewFilter filter;
  filter.exposed_to = asset;
  filter.best_liquidation = false;
  const auto views = book.view(filter);
  return liquidation_map(views, asset, reference_price_usd, bucket_fraction, floor_price_usd);
}

Result<LiquidationMap> liquidation_map(std::span<const book::PositionView> views, book::AssetId asset,
                                       double reference_price_usd, double bucket_fraction, double floor_price_usd) {
  if (!(bucket_fraction >= kMinBucketFraction && bucket_fraction < 1.0) || !(floor_price_usd >= 0.0) ||
      !std::isfinite(floor_price_usd) || !std::isfinite(reference_price_usd))
    return ClusterError::invalid_bucket;
  if (!(reference_price_usd > 0.0)) return ClusterError::no_price;

  LiquidationMap map;
  map.asset = asset;
  map.reference_price_usd = reference_price_usd;
  map.bucket_fraction = bucket_fraction;
  map.floor_price_usd = floor_price_usd;
  const double top = reference_price_usd, width = top * bucket_fraction;
  if (floor_price_usd < top) {
    const auto n = static_cast<std::size_t>(std::ceil((top - floor_price_usd) / width - 1e-9));
    map.buckets.resize(std::max<std::size_t>(n, 1));
    for (std::size_t i = 0; i < map.buckets.size(); ++i) {
      map.buckets[i].price_high = top * (1.0 - static_cast<double>(i) * bucket_fraction);
      map.buckets[i].price_low = std::max(floor_price_usd, top * (1.0 - static_cast<double>(i + 1) * bucket_fraction));
    }
  }
  for (const auto& v : views) {
    if (!v.error.empty() || v.debt_usd <= 0.0) continue;
    const auto protocol = static_cast<std::size_t>(v.key.protocol);
    if (protocol >= kProtocolCount) continue;
    const auto price = liquidation_price_in(v, asset);
    if (v.liquidatable || (price && *price >= top)) {
      if (!v.liquidatable || holds_collateral(v, asset)) {
        map.at_or_above_debt_usd[protocol] += v.debt_usd;
        ++map.at_or_above_positions;
      }
      continue;
    }
    if (!price || *price < floor_price_usd || map.buckets.empty()) continue;
    auto i = static_cast<std::size_t>((top - *price) / width);
    i = std::min(i, map.buckets.size() - 1);
    // The closed division can land one bucket off at a boundary; the edges are the reference.
    while (i > 0 && *price >= map.buckets[i].price_high) --i;
    while (i + 1 < map.buckets.size() && *price < map.buckets[i].price_low) ++i;
    auto& b = map.buckets[i];
    b.debt_usd[protocol] += v.debt_usd;
    b.collateral_usd += v.collateral_usd;
    b.max_price_usd = std::max(b.max_price_usd, *price);
    ++b.positions;
  }
  return map;
}

const LiquidationBucket* next_cluster(const LiquidationMap& map, double min_debt_usd) noexcept {
  for (const auto& b : map.buckets)
    if (b.positions > 0 && b.total_debt_usd() >= min_debt_usd) return &b;
  return nullptr;
}

}  // namespace sluice::risk
