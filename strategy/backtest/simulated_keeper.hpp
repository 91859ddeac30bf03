#pragma once
/// The keeper's own state as the backtest imagines it (pure): inventory, collateral seized and not yet sold,
/// positions cooling down after a simulated revert. It gives `plan::plan_block` the same `KeeperState` the daemon
/// would read from chain and its journal, so throttling, inventory caps and cooldowns act as they would live.
///
/// Timing: a decision at block d lands in block d + 1 (the earliest inclusion), before the decision at d + 1.
/// - A taken liquidation that simulated without revert: the debt repaid leaves the balances, the collateral seized
///   joins the balances and the for-sale ledger (with Dispose::keep it is held, not sold).
/// - A reverted one: nothing moves; the position cools down for plan::cooldown_blocks(kind) blocks from d.
/// - A sale: `amount` leaves the balances and the ledger, the exact route's output (on the pools at d, the
///   keeper's earlier sales of the same block applied) joins the proceeds asset; slippage = mid value - output
///   value (USD at the book's prices at d).
/// Unlimited inventory (no [backtest] inventory configured): every asset starts at `unlimited_inventory()`, which
/// no liquidation exhausts; the report says so.
///
/// Choices:
/// - Subtractions saturate at 0 (a landing never takes more than is held; with unlimited inventory this never
///   binds). A sale sells min(amount, balance); the ledger loses min(ledger, sold).
/// - A sale's pools: those of `pools` holding both tokens, with the block's earlier sales applied (each route leg's
///   `after` reserves). A sale no pool can take (route error) moves nothing: amount and output 0. `min_out` is not
///   enforced (the planner derived it from the same route less a tolerance).
/// - slippage_usd = amount x the sold asset's USD price - output x the proceeds' USD price (plan::usd_value, the
///   planner's valuation at d). Signed: negative when the pools paid more than the book's price.
/// - Liquidation legs whose token the book does not know are skipped (the engine only simulates book assets).

#include "chain/u256.hpp"
#include "strategy/backtest/report.hpp"
#include "strategy/plan/planner.hpp"
#include "strategy/risk/uniswap_v2.hpp"

#include <cstdint>
#include <map>
#include <vector>

namespace sluice::backtest {

/// 2^200 native units: more than any token's supply, small enough that sums never overflow.
U256 unlimited_inventory();

struct SaleResult {
  book::AssetId asset = 0;
  book::AssetId proceeds = 0;
  U256 amount;              ///< sold (min(order amount, balance); 0 when no pool could take it)
  U256 output;              ///< exact route output (0 when no pool could take it)
  double slippage_usd = 0.0;
};

class SimulatedKeeper {
 public:
  /// `inventory`: starting balances per asset (native units, duplicates summed). `unlimited`: every asset starts at
  /// unlimited_inventory() (amounts in `inventory` are ignored); see `state` for assets never touched.
  SimulatedKeeper(std::vector<std::pair<book::AssetId, U256>> inventory, bool unlimited);

  /// The state for the decision at `block` (every earlier decision has landed): balances and for_sale sorted by
  /// asset (zero entries left out), the cooling entries still active at `block`, in_flight = `taken_positions`,
  /// in_flight_count 0 (every decision has landed by the next block). With unlimited inventory, every asset id
  /// below `asset_count` (pass book.asset_count()) that no landing touched is reported at unlimited_inventory().
  plan::KeeperState state(std::uint64_t block, const std::vector<book::PositionKey>& taken_positions,
                          std::size_t asset_count = 0) const;

  /// Lands block d's taken liquidations (their simulations, in sending order) and its sales (on `pools`, the
  /// model's pools at d; USD from `book` at d). Returns the sales' results (slippage for the PnL).
  std::vector<SaleResult> land(std::uint64_t block, const std::vector<SimulatedLiquidation>& liquidations,
                               const std::vector<plan::SaleOrder>& sales, const std::vector<risk::Pool>& pools,
                               const book::PositionBook& book);

  /// Marks a reverted simulation: the position cools down until `until_block` (exclusive); the engine passes
  /// d + plan::cooldown_blocks(kind). A later call for the same position keeps the later end.
  void cool_down(const book::PositionKey& key, std::uint64_t until_block);

  const std::map<book::AssetId, U256>& balances() const noexcept { return balances_; }
  const std::map<book::AssetId, U256>& for_sale() const noexcept { return for_sale_; }
  bool unlimited() const noexcept { return unlimited_; }

 private:
  std::map<book::AssetId, U256> balances_;
  std::map<book::AssetId, U256> for_sale_;
  std::vector<std::pair<book::PositionKey, std::uint64_t>> cooling_;
  bool unlimited_ = false;

  U256& balance(book::AssetId asset);
};

}  // namespace sluice::backtest
