#pragma once
/// The keeper's named metrics (what /metrics shows), registered once in a Registry. Latency stages are measured
/// from the moment a head is received: head -> book updated -> candidates -> simulated -> signed -> sent ->
/// included, each a histogram `sluice_stage_seconds{stage="..."}`.
#include "keeper/metrics/registry.hpp"

#include <array>
#include <string>

namespace sluice::keeper::metrics {

enum class Stage { book_updated = 1, candidates, simulated, signed_, sent, included };
const char* stage_name(Stage stage) noexcept;

class KeeperMetrics {
 public:
  explicit KeeperMetrics(Registry& registry);
  Registry& registry() noexcept { return registry_; }

  /// Seconds from head received to this stage.
  void stage(Stage stage, double seconds);
  Histogram& stage_histogram(Stage stage);
  const Histogram& stage_histogram(Stage stage) const;

  Counter& heads;                ///< sluice_heads_total
  Counter& logs;                 ///< sluice_logs_total
  Counter& opportunities;        ///< sluice_opportunities_total: liquidatable positions seen (per block, distinct)
  Counter& liquidations_sent;    ///< sluice_liquidations_sent_total
  Counter& would_send;           ///< sluice_dry_run_transactions_total: signed but not broadcast (--dry-run)
  Counter& wins;                 ///< sluice_liquidations_won_total: ours included with status 1
  Counter& losses_to_rivals;     ///< sluice_liquidations_lost_total: a rival liquidated the position first
  Counter& replacements;         ///< sluice_replacements_total: fee bumps
  Counter& cancels;              ///< sluice_cancels_total
  Counter& profit_usd;           ///< sluice_profit_usd_total: expected profit of included liquidations
  Gauge& head_number;            ///< sluice_head_block
  Gauge& in_flight;              ///< sluice_in_flight_transactions
  Gauge& positions;              ///< sluice_positions
  /// sluice_reverts_total{reason="position_healthy"|...} (plan::revert_kind_name) and skipped decisions
  /// sluice_skipped_total{reason=plan::skip_reason_name}.
  Counter& reverts(const std::string& reason);
  Counter& skipped(const std::string& reason);

 private:
  Registry& registry_;
  std::array<Histogram*, 6> stages_{};  ///< by Stage - 1: the hot path skips the registry's lookup
};

}  // namespace sluice::keeper::metrics
