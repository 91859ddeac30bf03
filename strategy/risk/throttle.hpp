#pragma once
/// The throttle plan (issue 6): how much seized collateral the executor may sell per block, per asset, so that its
/// own price impact does not push the next cluster of positions across their liquidation prices, unless waiting
/// lets bad debt grow faster than selling would; and the sale schedule over blocks (Almgren-Chriss). The plan says
/// why it holds back. Pure: the executor (issue 7) asks for a plan each block.
///
/// Method (throttle.cpp).
/// 1. The market price is the pools' arbitrage mid (impact.hpp) of the asset against what it is sold for, in USD
///    through that token's book price. The next cluster is the first bucket of the liquidation map (clusters.hpp)
///    below it with at least `min_cluster_debt_usd`; the protected price is that bucket's highest liquidation price.
/// 2. The largest sale this block is the largest total whose route (route_sale, split across the pools) leaves
///    every pool that receives a share at a mid price >= protected x (1 + margin): exact on U256 (bisection on the
///    total, bounded by the sum of each pool's max_sale_above_price; one unit more crosses in some leg). Also at
///    most `max_sale_per_block`, and at most what keeps every leg within `max_impact_bps` of its own mid before.
/// 3. Selling it now, the rest over blocks 1..horizon_blocks by ac_schedule (lambda = 0: even split), every slice
///    clamped to the same per-block maximum with the excess carried to later blocks, past the horizon if needed
///    (`beyond_horizon`). The per-block maximum assumes arbitrage restores the pools between blocks (the price a
///    sale leaves is carried to the outside market, which refills the pool); without it no schedule could avoid
///    the crossing, since the pools' final price depends only on the total sold.
/// 4. The bad-debt race, when the cluster is what holds back. Waiting cost = growth per block x the blocks the
///    throttled schedule takes after this one, where growth per block is, over the positions exposed to the asset
///    whose collateral is worth less than their debt at the book's prices (already bad debt): their debt x its
///    borrow rate per block (Aave variable borrow rate, Morpho borrow_rate; simple interest over `block_seconds`)
///    plus their collateral in the asset x `price_drift_bps_per_block`. Selling-now cost = the debt the full sale
///    would newly make liquidatable x the close factor (Aave 50%, Morpho 100%) x the bonus (Aave reserve or eMode
///    bonus, Morpho LIF - 1), plus the full sale's slippage minus the throttled slices' (each on the current pools).
///    If waiting costs more, the plan sells everything the configured caps allow now (reason bad_debt_race).

#include "chain/error.hpp"
#include "strategy/book/position_book.hpp"
#include "strategy/risk/cascade.hpp"
#include "strategy/risk/schedule.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::risk {

enum class ThrottleError {
  unknown_asset = 1,  ///< the inventory's asset is not in the book
  no_price,           ///< neither the asset nor the token it is sold for has a USD price
  invalid_config,     ///< a negative/NaN margin, threshold, cap or drift, a bucket outside [1e-5, 1), zero horizon
};
const char* describe(ThrottleError e) noexcept;
SLUICE_ERROR_CATEGORY(ThrottleError, "throttle")

/// Collateral Sluice holds or is about to seize, waiting to be sold.
struct Inventory {
  book::AssetId asset = 0;
  U256 amount;  ///< native units
};

struct ThrottleConfig {
  double safety_margin_bps = 25.0;      ///< stay this far above the next cluster's liquidation price
  double min_cluster_debt_usd = 1000.0; ///< a "cluster" is crossing debt of at least this much within one bucket
  double cluster_bucket = 0.0025;       ///< price bucket width as a fraction of the current price (0.25%)
  std::uint32_t horizon_blocks = 50;    ///< the schedule's length when holding back
  AlmgrenChrissParams schedule;         ///< risk aversion lambda = 0: even split (eta, gamma, sigma unused then)
  U256 max_sale_per_block;              ///< configured hard cap (native units; zero: none)
  double max_impact_bps = 100.0;        ///< configured cap on own price impact per block, per pool (0: none)
  double block_seconds = 12.0;          ///< for borrow rates per block in the bad-debt race
  double price_drift_bps_per_block = 0.0;  ///< expected fall of the asset per block while waiting (bad-debt race)
};

/// One block's sale of one asset.
struct SaleSlice {
  std::uint32_t block_offset = 0;  ///< 0 = this block
  book::AssetId asset = 0;
  U256 amount;
};

/// Why the plan holds back (or does not).
enum class ThrottleReason {
  none = 1,             ///< selling everything now crosses nobody
  next_cluster,         ///< a full sale would push the price through the next cluster's liquidation prices
  impact_cap,           ///< the configured per-block impact or amount cap binds
  bad_debt_race,        ///< holding back would let bad debt grow faster than selling costs: sell now
  no_liquidity,         ///< no pool trades the asset
};

struct ThrottlePlan {
  book::AssetId asset = 0;
  U256 max_sale_this_block;             ///< native units
  /// Sums exactly to the inventory, non-zero slices only, block_offset increasing; empty only when nothing at all
  /// can be sold this block (max_sale_this_block = 0: the price is already within the margin of the cluster).
  std::vector<SaleSlice> schedule;
  std::uint32_t blocks = 0;             ///< blocks the schedule spans (last offset + 1)
  bool beyond_horizon = false;          ///< the per-block maximum forced the schedule past horizon_blocks + 1
  ThrottleReason reason = ThrottleReason::none;
  double next_cluster_price_usd = 0.0;  ///< the liquidation price protected, 0 when none
  double next_cluster_debt_usd = 0.0;
  double bad_debt_growth_usd_per_block = 0.0;  ///< estimated cost of waiting
  double waiting_cost_usd = 0.0;        ///< growth per block x blocks the throttled schedule waits
  double sell_now_cost_usd = 0.0;       ///< extra liquidation bonuses + extra slippage of selling all now
  double market_price_usd = 0.0;        ///< pools' arbitrage mid before selling
  double full_sale_price_usd = 0.0;     ///< pools' arbitrage mid after selling the whole inventory now
  double protected_price_usd = 0.0;     ///< next_cluster_price_usd x (1 + margin), 0 when none
  std::uint32_t next_cluster_positions = 0;
  std::string explanation;              ///< one line for logs and reports
};

/// Plans the sale of `inventory` given the book, the market model (pools at the current block) and the config.
Result<ThrottlePlan> plan_throttle(const book::PositionBook& book, const MarketModel& model,
                                   const Inventory& inventory, const ThrottleConfig& config);

/// The executor's per-block caps from a plan: entry k is the most it may sell in block k (dense, zeros where the
/// plan sells nothing, as long as the schedule). The executor replans every block; these are for the blocks it
/// cannot replan in time.
std::vector<U256> block_caps(const ThrottlePlan& plan);

/// "none", "next_cluster", "impact_cap", "bad_debt_race", "no_liquidity" (JSON and logs).
const char* reason_name(ThrottleReason reason) noexcept;

}  // namespace sluice::risk

SLUICE_ERROR_ENUM(sluice::risk::ThrottleError)
