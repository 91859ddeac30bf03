#pragma once
/// The throttle plan (issue 6): how much seized collateral the executor may sell per block, per asset, so that its
/// own price impact does not push the next cluster of positions across their liquidation prices, unless waiting
/// lets bad debt grow faster than selling would; and the sale schedule over blocks (Almgren-Chriss). The plan says
/// why it holds back. Pure: the executor (issue 7) asks for a plan each block.

#include "chain/error.hpp"
#include "strategy/book/position_book.hpp"
#include "strategy/risk/cascade.hpp"
#include "strategy/risk/schedule.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::risk {

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
  AlmgrenChrissParams schedule;         ///< risk aversion lambda = 0: even split
  U256 max_sale_per_block;              ///< configured hard cap (native units; zero: none)
  double max_impact_bps = 100.0;        ///< configured cap on own price impact per block
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
  std::vector<SaleSlice> schedule;      ///< sums exactly to the inventory
  ThrottleReason reason = ThrottleReason::none;
  double next_cluster_price_usd = 0.0;  ///< the liquidation price protected, 0 when none
  double next_cluster_debt_usd = 0.0;
  double bad_debt_growth_usd_per_block = 0.0;  ///< estimated cost of waiting
  std::string explanation;              ///< one line for logs and reports
};

/// Plans the sale of `inventory` given the book, the market model (pools at the current block) and the config.
Result<ThrottlePlan> plan_throttle(const book::PositionBook& book, const MarketModel& model,
                                   const Inventory& inventory, const ThrottleConfig& config);

}  // namespace sluice::risk
