#pragma once
/// The liquidation map of one asset: how much debt crosses into liquidation as the asset's price falls, grouped in
/// price buckets below a reference price, per protocol. The throttle plan protects the first bucket that holds
/// enough debt (the "next cluster"); the HTML report draws the map.
///
/// A position belongs to the map when it has a liquidation price in the asset that a fall reaches
/// (PositionView::liquidation_prices, the book's closed forms with every other price fixed; not a position that is
/// net debt in the asset, which a fall only makes healthier). Its whole debt (USD at the book's prices) is counted in
/// the bucket of that price. Positions already liquidatable, or whose liquidation price is at or above the
/// reference price (they cross once the oracle follows the market, whatever anyone sells), are counted apart: no
/// throttling can protect them.

#include "chain/error.hpp"
#include "strategy/book/position_book.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace sluice::risk {

enum class ClusterError {
  unknown_asset = 1,  ///< the asset id is not in the book
  no_price,           ///< the asset has no USD price (and no reference price was given)
  invalid_bucket,     ///< bucket fraction outside [1e-5, 1), a negative/NaN floor or reference price
};
const char* describe(ClusterError e) noexcept;
SLUICE_ERROR_CATEGORY(ClusterError, "clusters")

/// Number of protocols the map splits debt by (indexed by static_cast<std::size_t>(Protocol)).
inline constexpr std::size_t kProtocolCount = 2;

/// Debt crossing within one price bucket [price_low, price_high) (USD per whole token of the asset).
struct LiquidationBucket {
  double price_low = 0.0;
  double price_high = 0.0;
  std::array<double, kProtocolCount> debt_usd{};  ///< per protocol, at the book's USD prices
  double collateral_usd = 0.0;                    ///< the crossing positions' total collateral, all assets
  double max_price_usd = 0.0;  ///< highest liquidation price in the bucket (0 when empty): the first to cross
  std::uint32_t positions = 0;

  double total_debt_usd() const noexcept {
    double s = 0.0;
    for (double d : debt_usd) s += d;
    return s;
  }
};

struct LiquidationMap {
  book::AssetId asset = 0;
  double reference_price_usd = 0.0;  ///< the top of the map (current price)
  double bucket_fraction = 0.0;      ///< bucket width as a fraction of the reference price
  double floor_price_usd = 0.0;      ///< the bottom of the map
  /// Contiguous from the reference price down to the floor, highest first; bucket i covers
  /// [max(floor, ref (1 - (i+1) f)), ref (1 - i f)). Empty buckets are kept (the report draws them).
  std::vector<LiquidationBucket> buckets;
  /// Positions exposed to the asset that are already liquidatable or cross at or above the reference price.
  std::array<double, kProtocolCount> at_or_above_debt_usd{};
  std::uint32_t at_or_above_positions = 0;
};

/// USD per whole token of `asset` as the book values it (its USD feed, else the Aave oracle price for an Aave
/// reserve); nullopt when the asset is unknown or has no price.
std::optional<double> asset_price_usd(const book::PositionBook& book, book::AssetId asset);

/// The map from the book's current positions (one `view()` of the positions exposed to the asset), with the book's USD price of the asset as the
/// reference unless `reference_price_usd` > 0 is given (e.g. the pools' market price).
Result<LiquidationMap> liquidation_map(const book::PositionBook& book, book::AssetId asset, double bucket_fraction,
                                       double floor_price_usd, double reference_price_usd = 0.0);

/// The same from views already taken (so a caller that needs them for something else views the book once).
Result<LiquidationMap> liquidation_map(std::span<const book::PositionView> views, book::AssetId asset,
                                       double reference_price_usd, double bucket_fraction, double floor_price_usd);

/// The first bucket below the reference price with at least `min_debt_usd` of crossing debt; nullptr if none.
const LiquidationBucket* next_cluster(const LiquidationMap& map, double min_debt_usd) noexcept;

/// The price of `asset` below which `view` is liquidatable, if it has one (a position that is net debt in the asset
/// crosses only on a rise, and has none here).
std::optional<double> liquidation_price_in(const book::PositionView& view, book::AssetId asset) noexcept;

}  // namespace sluice::risk

SLUICE_ERROR_ENUM(sluice::risk::ClusterError)
