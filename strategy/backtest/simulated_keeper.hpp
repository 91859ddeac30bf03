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
/// Unlimited inventory (no [backtest] inventory configured): every asset starts at `kUnlimited`, which no
/// liquidation exhausts; the report says so.

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
  U256 amount;
  U256 output;              ///< exact route output (0 when no pool could take it)
  double slippage_usd = 0.0;
};

class SimulatedKeeper {
 public:
  /// `inventory`: starting balances per asset (native units); empty: unlimited for every asset the book knows.
  SimulatedKeeper(std::vector<std::pair<book::AssetId, U256>> inventory, bool unlimited);

  /// The state for the decision at `block` (every earlier decision has landed).
  plan::KeeperState state(std::uint64_t block, const std::vector<book::PositionKey>& taken_positions) const;

  /// Lands block d's taken liquidations (their simulations, in sending order) and its sales (on `pools`, the
  /// model's pools at d; USD from `book` at d). Returns the sales' results (slippage for the PnL).
  std::vector<SaleResult> land(std::uint64_t block, const std::vector<SimulatedLiquidation>& liquidations,
                               const std::vector<plan::SaleOrder>& sales, const std::vector<risk::Pool>& pools,
                               const book::PositionBook& book);

  /// Marks a reverted simulation: the position cools down until block + blocks (exclusive).
  void cool_down(const book::PositionKey& key, std::uint64_t until_block);

  const std::map<book::AssetId, U256>& balances() const noexcept { return balances_; }
  const std::map<book::AssetId, U256>& for_sale() const noexcept { return for_sale_; }
  bool unlimited() const noexcept { return unlimited_; }

 private:
  std::map<book::AssetId, U256> balances_;
  std::map<book::AssetId, U256> for_sale_;
  std::vector<std::pair<book::PositionKey, std::uint64_t>> cooling_;
  bool unlimited_ = false;
};

}  // namespace sluice::backtest
