#pragma once
/// The liquidation map of `sluice cascade`: how much debt crosses (becomes liquidatable) in each price bucket of
/// one asset as its price falls, per protocol, from the position book's liquidation prices (each position's
/// price of that asset at which its health factor reaches 1, other prices fixed; position_book.hpp).
/// Interim: computed here from `PositionBook::view()` until strategy/risk/clusters.hpp (`liquidation_map`) is
/// merged; then this becomes a thin adapter to it.

#include "chain/u256.hpp"
#include "strategy/book/position_book.hpp"
#include "strategy/core/protocol.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <vector>

namespace sluice::cli {

/// One price bucket [price_low, price_high) in USD. Debt and counts are indexed by `Protocol` (aave_v3 = 0,
/// morpho_blue = 1).
struct MapBucket {
  double price_low = 0.0;
  double price_high = 0.0;
  std::array<double, 2> debt_usd{};          ///< debt (at current prices) of the positions crossing in the bucket
  std::array<std::size_t, 2> positions{};    ///< how many positions cross in the bucket
};

/// Buckets from the current price down to a floor, highest price first. The first bucket also holds the positions
/// already liquidatable (liquidation price at or above the current price); positions crossing below the floor
/// are left out (counted in `below_floor`).
struct LiquidationMap {
  double current_price = 0.0;  ///< USD
  double floor_price = 0.0;    ///< USD
  std::vector<MapBucket> buckets;
  std::array<double, 2> below_floor_debt_usd{};
};

/// Sums each view's `debt_usd` into the bucket of its liquidation price in `asset` (views without one in that
/// asset are not exposed to its fall). `bucket_count` equal buckets over [floor_price, current_price]; an empty
/// map when the range is empty or not finite.
LiquidationMap liquidation_map_from_views(std::span<const book::PositionView> views, book::AssetId asset,
                                          double current_price, double floor_price, std::size_t bucket_count);

}  // namespace sluice::cli
