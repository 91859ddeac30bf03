#pragma once
/// What one `sluice run` did, printed when it stops (stdout, one block of text; the demo and test (g) read it):
/// blocks followed, liquidations sent and included with their expected profit, disposal sales, reverts and
/// losses to rivals, and the bad debt: what the protocols realised during the run (Morpho's Liquidate
/// badDebtAssets, valued at the book's prices) and what is left in the book at the end (positions with debt and
/// nothing to seize). Pure: fed by the daemon.

#include "chain/rpc/types.hpp"
#include "keeper/exec/executor.hpp"
#include "keeper/metrics/keeper_metrics.hpp"
#include "strategy/plan/planner.hpp"
#include "strategy/book/position_book.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::keeper {

class RunSummary {
 public:
  void block(std::uint64_t number);
  /// The block's plan: the expected disposal slippage of each taken liquidation (counted when it is included).
  void planned(const plan::Plan& plan);
  void add(const std::vector<ExecutorEvent>& events);
  /// Morpho Liquidate logs among `logs` (any liquidator): their realised bad debt, valued with `book`.
  void add_logs(const std::vector<rpc::Log>& logs, const Address& morpho, const book::PositionBook& book);
  /// The text, with the bad debt left in `book` (positions flagged bad_debt).
  /// With `metrics`, also the latency of the run (head received -> sent / included, p50 and p99 from the
  /// stage histograms: bucket-interpolated, as PromQL's histogram_quantile).
  std::string render(const book::PositionBook& book, const metrics::KeeperMetrics* metrics = nullptr) const;

  std::uint64_t liquidations_included() const noexcept { return included_; }
  double realised_bad_debt_usd() const noexcept { return realised_bad_debt_usd_; }

 private:
  std::optional<std::uint64_t> first_, last_;
  std::uint64_t sent_ = 0, would_send_ = 0, included_ = 0, reverted_ = 0, lost_ = 0, sales_ = 0;
  double profit_usd_ = 0.0;
  double slippage_usd_ = 0.0;
  std::map<std::string, double> planned_slippage_usd_;  ///< subject -> expected slippage of its latest order
  double realised_bad_debt_usd_ = 0.0;
};

}  // namespace sluice::keeper
