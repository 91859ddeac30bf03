#pragma once
/// What `sluice backtest` found over a range of historical blocks: what the strategy would have done (the very
/// same `plan::plan_block` as the daemon, each taken liquidation simulated with eth_call at its block), against
/// what actually happened on chain (every LiquidationCall / Liquidate event), and the cascade engine's prediction
/// at the start of the crash against the liquidation volume that followed. Pure data: the engine
/// (keeper/backtest) fills it, the writers (keeper/cli/backtest_*.cpp) render it. Deterministic: nothing here
/// depends on the wall clock, the machine or the node's speed, so one chain and one config give one report.
///
/// Block conventions. "Decided at block d" means: the book at the end of block d (every log of d applied, clock
/// at d's timestamp), the decision the daemon would make on receiving head d; its transaction would be included
/// in block d + 1 at the earliest. The eth_call of a decision runs with block tag d (the state after d).
/// Lead of a captured liquidation = (block of the on-chain event) - (first block Sluice decided to take it).

#include "chain/address.hpp"
#include "chain/hash.hpp"
#include "chain/u256.hpp"
#include "strategy/book/position_book.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::backtest {

/// One liquidation that happened on chain (a LiquidationCall or Liquidate event), by anyone.
struct ActualLiquidation {
  std::uint64_t block = 0;
  std::uint32_t log_index = 0;
  Hash tx;
  Address liquidator;
  book::PositionKey key;  ///< Aave: user; Morpho: market + borrower
  Address collateral_token;
  Address debt_token;
  U256 debt_repaid;        ///< debt native units (Aave debtToCover; Morpho repaidAssets)
  U256 collateral_seized;  ///< collateral native units to the liquidator (Aave after the protocol fee)
  U256 bad_debt;           ///< Morpho badDebtAssets (loan native units); Aave: 0
  double repaid_usd = 0.0;  ///< at the book's USD prices at block - 1
  double seized_usd = 0.0;
  double bad_debt_usd = 0.0;
};

/// One liquidation the strategy decided to take, simulated at its decision block.
struct SimulatedLiquidation {
  std::uint64_t decided_block = 0;  ///< d: the book at the end of d; eth_call with block tag d
  book::PositionKey key;
  Address collateral_token;
  Address debt_token;
  U256 debt_to_cover;               ///< the order's argument (Aave debtToCover; Morpho repaid assets expected)
  U256 morpho_seized_assets;        ///< Morpho's seizedAssets argument (0: repaidShares was passed)
  U256 morpho_repaid_shares;
  U256 expected_debt_repaid;        ///< the planner's exact math on the book
  U256 expected_collateral_seized;
  bool simulated = false;           ///< eth_call ran (false: --no-simulate, or the node could not run it)
  bool reverted = false;            ///< eth_call reverted
  std::string revert_reason;        ///< decoded (plan::classify_revert), when reverted
  U256 debt_repaid;                 ///< from the simulation's Transfer/LiquidationCall/Liquidate logs or return
  U256 collateral_seized;           ///< (expected_* when not simulated)
  double repaid_usd = 0.0;          ///< at the book's USD prices at d
  double seized_usd = 0.0;
  double gas_usd = 0.0;             ///< gas units x (base fee of d + 1 + tip) at the native token's price
  double slippage_usd = 0.0;        ///< the planner's expected cost of selling the seized collateral
  double profit_usd = 0.0;          ///< seized - repaid - gas - slippage (0 when reverted: nothing happened)
};

/// How an on-chain liquidation compares with what Sluice decided.
enum class Outcome {
  captured = 1,    ///< Sluice decided to take the position at or before block - 1 (its tx would land first)
  missed,          ///< liquidatable in the book but not taken (reason in `miss_reason`), or not seen in time
  not_applicable,  ///< outside what the config follows (another market or protocol), or by the keeper's address
  sluice_only,     ///< a Sluice liquidation no one made on chain within the range
};
const char* outcome_name(Outcome o) noexcept;

/// One row of the per-liquidation table (CSV/JSON): an on-chain liquidation with Sluice's match, or a
/// Sluice-only liquidation.
struct LiquidationRow {
  Outcome outcome = Outcome::missed;
  /// For `missed`: "not_seen" (never liquidatable in the book before the event), "reverted_in_simulation", or a
  /// planner skip reason (plan::skip_reason_name: "unprofitable", "no_inventory", "max_in_flight" (throttled),
  /// "cooling_down", ...), the last one decided before the event. For not_applicable: "not_followed" or "own".
  std::string reason;
  std::optional<ActualLiquidation> actual;
  /// captured / sluice_only: the decision that captured it (first taken of its streak); missed
  /// "reverted_in_simulation": the streak's last reverted simulation (its revert reason); otherwise empty.
  std::optional<SimulatedLiquidation> sluice;
  std::optional<std::int64_t> lead_blocks;     ///< actual.block - sluice.decided_block (captured only)
  /// Sluice's order for the same position sized on the book at actual.block - 1 (the daemon's decision on that
  /// head) and simulated in actual.block's environment on the state of actual.block - 1, the state the on-chain
  /// liquidation ran on; `same_state`: nothing else in actual.block touched the position or its prices before
  /// the event. When same_state, Sluice's amounts are compared with the event's.
  std::optional<SimulatedLiquidation> sluice_at_event;
  bool same_state = false;
  bool amounts_equal = false;  ///< sluice_at_event's repaid and seized == the event's (exactly)
};

/// One block of the range (the report's time series).
struct BlockPoint {
  std::uint64_t block = 0;
  std::uint64_t timestamp = 0;
  U256 base_fee;                    ///< wei per gas
  std::vector<double> prices_usd;   ///< per `Report::price_assets`, the book's USD price at the end of the block
  std::uint32_t liquidatable = 0;   ///< positions the book flags liquidatable
  std::uint32_t sluice_taken = 0;   ///< decisions taken this block
  std::uint32_t actual = 0;         ///< on-chain liquidations this block
  double actual_repaid_usd = 0.0;
  double sluice_repaid_usd = 0.0;
  double cumulative_pnl_usd = 0.0;  ///< Sluice's profit so far (liquidations net of gas and sale slippage)
};

/// The cascade engine's prediction at the start of the crash against what followed.
struct CascadeCheck {
  bool ran = false;               ///< false: no crash in range (no block with a liquidatable position)
  std::uint64_t start_block = 0;  ///< the block before the first one with a liquidatable position
  std::string asset;              ///< the shocked asset (the one whose oracle price fell most over the range)
  double start_price_usd = 0.0;
  double min_price_usd = 0.0;     ///< the asset's lowest oracle price in the range after start
  std::string coupling;           ///< as `sluice cascade --coupling`
  /// The other price assets moved with it as on chain ("WETH x0.64": the asset's drawdown / the shocked asset's at
  /// the same block; empty: none moved): the engine's shocks carry them as betas.
  std::string co_moves;
  /// The engine's cascade for the realized drawdown (start -> min price, the others as at that block) with the
  /// configured coupling.
  double predicted_liquidated_usd = 0.0;  ///< debt repaid
  double predicted_final_price_usd = 0.0;
  std::uint32_t predicted_liquidations = 0;
  double realized_liquidated_usd = 0.0;   ///< debt repaid on chain from start to the end of the range
  std::uint32_t realized_liquidations = 0;
  /// Along the realized path: the engine (coupling none) at each block's drawdowns from the start book; each
  /// position counted once, from the first block whose prediction liquidates it, with the debt repaid then.
  double path_predicted_liquidated_usd = 0.0;
  std::uint32_t path_predicted_positions = 0;
  std::uint32_t realized_positions = 0;  ///< distinct positions liquidated on chain after the start
  struct Point {
    std::uint64_t block = 0;
    double drawdown_pct = 0.0;             ///< asset oracle price vs start, % (negative)
    double predicted_liquidated_usd = 0.0; ///< path prediction so far (see path_predicted_liquidated_usd)
    double realized_liquidated_usd = 0.0;  ///< cumulative debt repaid on chain since start
  };
  std::vector<Point> points;  ///< one per block from start_block to the end of the range
};

struct Summary {
  std::uint64_t from_block = 0;
  std::uint64_t to_block = 0;
  std::uint64_t blocks = 0;
  std::uint64_t positions_start = 0;
  std::uint64_t positions_end = 0;
  std::uint64_t opportunities = 0;        ///< distinct (position, streak) liquidatable in the book
  std::uint64_t sluice_liquidations = 0;  ///< decisions taken (simulated)
  std::uint64_t sluice_reverted = 0;
  std::uint64_t actual_liquidations = 0;  ///< on-chain events (all liquidators)
  std::uint64_t captured = 0;
  std::uint64_t missed = 0;
  std::uint64_t not_applicable = 0;
  std::uint64_t sluice_only = 0;
  double capture_rate = 0.0;              ///< captured / (captured + missed); 0 when none
  std::map<std::string, std::uint64_t> missed_by_reason;
  std::optional<std::int64_t> lead_min, lead_median, lead_max;  ///< over captured rows
  double pnl_usd = 0.0;       ///< sum of profit_usd of Sluice's liquidations (gas at each block's base fee)
  double gas_usd = 0.0;
  double slippage_usd = 0.0;  ///< expected sale slippage of the seized collateral
  double repaid_usd = 0.0;
  double seized_usd = 0.0;
  double bad_debt_usd = 0.0;  ///< bad debt seen on chain (Morpho badDebtAssets in range)
  std::uint32_t amounts_compared = 0;  ///< rows with same_state
  std::uint32_t amounts_equal = 0;
};

struct Report {
  Summary summary;
  std::vector<std::string> price_assets;  ///< symbols of BlockPoint::prices_usd (the config's tokens, in order)
  std::vector<LiquidationRow> rows;       ///< by (actual block, log index), Sluice-only rows by (decided block, key)
  std::vector<BlockPoint> blocks;
  CascadeCheck cascade;
  /// Symbols for the writers (tokens the book knows).
  std::map<Address, std::string> symbols;
  std::string config_name;  ///< the config file's name (not its path: reports are compared byte for byte)
};

}  // namespace sluice::backtest
