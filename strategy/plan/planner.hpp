#pragma once
/// The strategy's decision each block, pure and deterministic (the daemon and the backtest call exactly this):
/// which liquidatable positions to liquidate now, for how much, in which order, and how much seized collateral to
/// sell this block. Every liquidatable position gets a decision: taken, or skipped with a reason (the backtest
/// reports misses by these reasons).
///
/// Sizing. Aave: the close factor (50%, or 100% at HF <= 0.95) through aave::liquidation, the most profitable
/// (collateral, debt) pair, capped by the debt asset on hand; Morpho: morpho::liquidate_max, capped the same way
/// (by repaid assets). The exact protocol math of strategy/aave and strategy/morpho, on the book's state.
/// Profit (USD) = value seized - value repaid (= the bonus net of the protocol fee, which goes to the treasury and
/// is not seized) - gas (gas units x (projected base fee + tip) at the native token's price) - the expected
/// slippage of selling the seized collateral into the pools (exact route on the model's pools, against the
/// market mid). Taken when >= min_profit_usd.
/// Order: positions whose bad debt grows soonest first (lowest collateral/debt value ratio: the first to run out
/// of collateral as the price falls), then by profit; at most max_in_flight liquidations pending at once.
/// Disposal: for each collateral asset held, risk::plan_throttle gives this block's sale (or, with
/// Dispose::immediate, all of it; Dispose::keep: nothing).
///
/// Choices (implementation in planner.cpp, sizing.cpp, disposal_venue.cpp):
/// - Liquidatable: the book's exact flag (PositionView::liquidatable). Cooling: skipped while book.block() < until.
/// - Inventory is shared: orders are sized first with the whole balance (to rank them), then, in sending order,
///   again against what the earlier orders of the block leave (an order may then shrink, turn unprofitable, or be
///   skipped for no_inventory).
/// - Gas units: the protocol's liquidation gas, plus swap_gas when the seized collateral will be sold.
/// - Sold assets: those with a disposal venue (disposal_venue.hpp: a `sell_for` entry, or, unless the model sells
///   only listed assets, the deepest pool's other token for an asset that is not itself sale proceeds), except debt
///   assets of this block's liquidation candidates (inventory the keeper needs). Sales come from the balances held
///   before this block's liquidations. The config's caps override the throttle's: max_collateral_sold_usd_per_block
///   becomes max_sale_per_block at the asset's USD price, max_price_impact_bps becomes max_impact_bps.
#include "chain/error.hpp"
#include "strategy/book/position_book.hpp"
#include "strategy/risk/cascade.hpp"
#include "strategy/risk/throttle.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::plan {

enum class PlanError {
  invalid_config = 1,  ///< negative or NaN amounts, zero gas units
  no_native_price,     ///< the native token's USD price is unknown (gas cannot be valued)
};
const char* describe(PlanError e) noexcept;
SLUICE_ERROR_CATEGORY(PlanError, "plan")

/// What the keeper does with seized collateral.
enum class Dispose {
  throttled = 1,  ///< sell on the throttle plan's schedule (default)
  immediate,      ///< sell everything the next block (throttling off)
  keep,           ///< never sell
};

struct PlannerConfig {
  double min_profit_usd = 10.0;
  double max_collateral_sold_usd_per_block = 250e3;  ///< disposal cap per asset per block (0: none)
  double max_price_impact_bps = 100.0;               ///< disposal: own impact per pool per block (0: none)
  std::uint32_t max_in_flight = 4;                   ///< liquidations pending at once
  Dispose dispose = Dispose::throttled;
  risk::ThrottleConfig throttle;  ///< margins, clusters, schedule (caps above override its caps)
};

/// Gas as the planner values it (before the executor's estimate refines it).
struct GasModel {
  U256 base_fee;      ///< projected base fee of the next block, wei per gas
  U256 priority_fee;  ///< tip, wei per gas
  std::uint64_t aave_liquidation_gas = 400'000;
  std::uint64_t morpho_liquidation_gas = 200'000;
  std::uint64_t swap_gas = 150'000;
  book::AssetId native = 0;  ///< the wrapped native token's asset id (its USD price values gas)
};

/// The keeper's own state the decision depends on.
struct KeeperState {
  /// Tokens on hand (debt assets to repay with, collateral waiting to be sold), native units.
  std::vector<std::pair<book::AssetId, U256>> balances;
  /// Collateral the keeper seized and has not sold yet, native units: the only tokens disposal ever sells (capped
  /// by the balance held). The keeper's own inventory (what it repays with) is never sold, even in an asset that
  /// is also collateral elsewhere.
  std::vector<std::pair<book::AssetId, U256>> for_sale;
  /// Positions with a liquidation pending (signed or sent, not final): skipped (in_flight).
  std::vector<book::PositionKey> in_flight;
  /// Positions cooling down after a revert, until (exclusive) the given block.
  std::vector<std::pair<book::PositionKey, std::uint64_t>> cooling;
  std::uint32_t in_flight_count = 0;  ///< liquidation transactions pending (all positions)
};

/// One liquidation to send.
struct LiquidationOrder {
  book::PositionKey key;
  book::AssetId collateral = 0;
  book::AssetId debt = 0;
  /// Aave: debtToCover to pass (the exact repaid amount the math gives, plus nothing: the Pool caps it anyway).
  /// Morpho: repaid assets expected.
  U256 debt_to_cover;
  /// Morpho only: the `seizedAssets` argument (non-zero) or `repaidShares` (non-zero when liquidate_max chose
  /// the shares branch); exactly one is non-zero.
  U256 morpho_seized_assets;
  U256 morpho_repaid_shares;
  U256 expected_debt_repaid;        ///< debt native units
  U256 expected_collateral_seized;  ///< collateral native units to the keeper (after Aave's protocol fee)
  double repaid_usd = 0.0;
  double seized_usd = 0.0;
  double gas_usd = 0.0;
  double slippage_usd = 0.0;  ///< expected cost of selling the seized collateral (0 with Dispose::keep)
  double profit_usd = 0.0;    ///< seized - repaid - gas - slippage
  std::uint64_t gas_units = 0;
  double collateral_to_debt = 0.0;  ///< position's collateral/debt value before (the urgency key)
};

enum class SkipReason {
  none = 0,          ///< taken
  unprofitable,      ///< profit below min_profit_usd
  no_inventory,      ///< none of the debt asset on hand
  in_flight,         ///< a liquidation of this position is already pending
  cooling_down,      ///< reverted recently (see revert_reason.hpp)
  max_in_flight,     ///< the in-flight limit is reached
  bad_debt_only,     ///< nothing left to seize (debt with no collateral)
  math_error,        ///< the protocol math failed on this position (text in `detail`)
};
const char* skip_reason_name(SkipReason reason) noexcept;

struct Decision {
  book::PositionKey key;
  SkipReason skip = SkipReason::none;  ///< none: taken
  LiquidationOrder order;              ///< filled (sizing and profit) for taken and for unprofitable/throttled
  std::string detail;                  ///< one line for logs: why taken or skipped
};

/// One disposal sale this block.
struct SaleOrder {
  book::AssetId asset = 0;      ///< sold
  book::AssetId proceeds = 0;   ///< received (the model's sell_for, or the deepest pool's other token)
  U256 amount;                  ///< native units sold
  U256 min_out;                 ///< the exact route's output less the slippage tolerance
  std::vector<Address> path;    ///< router path (one pool: [asset, proceeds])
  risk::ThrottleReason reason = risk::ThrottleReason::none;
  std::string explanation;      ///< the throttle plan's line
};

struct Plan {
  std::vector<Decision> decisions;  ///< taken ones first, in sending order; then the skipped ones
  std::vector<SaleOrder> sales;
  std::vector<risk::ThrottlePlan> throttle;  ///< one per collateral asset held (for reports and metrics)
  std::size_t taken() const noexcept;
};

/// Slippage tolerance of disposal sales (bps under the exact route's output).
inline constexpr std::uint32_t kSaleSlippageToleranceBps = 50;

/// Decides at the book's block. `model` holds the pools at that block (for slippage and throttling).
Result<Plan> plan_block(const book::PositionBook& book, const risk::MarketModel& model, const PlannerConfig& config,
                        const GasModel& gas, const KeeperState& state);

}  // namespace sluice::plan

SLUICE_ERROR_ENUM(sluice::plan::PlanError)
