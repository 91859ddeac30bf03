#include "keeper/metrics/keeper_metrics.hpp"

#include <stdexcept>

namespace sluice::keeper::metrics {

namespace {
constexpr const char* kStageHelp = "Seconds from the head being received to this stage of handling it";
constexpr Stage kStages[] = {Stage::book_updated, Stage::candidates, Stage::simulated,
                             Stage::signed_,      Stage::sent,       Stage::included};
}  // namespace

const char* stage_name(Stage stage) noexcept {
  switch (stage) {
    case Stage::book_updated: return "book_updated";
    case Stage::candidates: return "candidates";
    case Stage::simulated: return "simulated";
    case Stage::signed_: return "signed";
    case Stage::sent: return "sent";
    case Stage::included: return "included";
  }
  return "unknown";
}

KeeperMetrics::KeeperMetrics(Registry& registry)
    : heads(registry.counter("sluice_heads_total", "New heads received")),
      logs(registry.counter("sluice_logs_total", "Logs received from the subscriptions and backfills")),
      opportunities(registry.counter("sluice_opportunities_total",
                                     "Liquidatable positions seen (distinct per block)")),
      liquidations_sent(registry.counter("sluice_liquidations_sent_total", "Liquidation transactions broadcast")),
      would_send(registry.counter("sluice_dry_run_transactions_total",
                                  "Transactions signed but not broadcast (--dry-run)")),
      wins(registry.counter("sluice_liquidations_won_total", "Liquidations of ours included with status 1")),
      losses_to_rivals(registry.counter("sluice_liquidations_lost_total",
                                        "Positions a rival liquidated before our transaction landed")),
      replacements(registry.counter("sluice_replacements_total", "Fee-bump replacements sent")),
      cancels(registry.counter("sluice_cancels_total", "Cancel transactions sent")),
      profit_usd(registry.counter("sluice_profit_usd_total", "Expected profit of included liquidations, in USD")),
      head_number(registry.gauge("sluice_head_block", "Number of the latest head")),
      in_flight(registry.gauge("sluice_in_flight_transactions", "Transactions sent and not yet final")),
      positions(registry.gauge("sluice_positions", "Positions in the book")),
      registry_(registry) {
  for (Stage s : kStages)
    stages_[static_cast<std::size_t>(s) - 1] =
        &registry.histogram("sluice_stage_seconds", kStageHelp, latency_buckets(), {{"stage", stage_name(s)}});
}

Histogram& KeeperMetrics::stage_histogram(Stage stage) {
  const auto i = static_cast<std::size_t>(stage) - 1;
  if (i >= stages_.size()) throw std::invalid_argument("unknown stage");
  return *stages_[i];
}

const Histogram& KeeperMetrics::stage_histogram(Stage stage) const {
  return const_cast<KeeperMetrics&>(*this).stage_histogram(stage);
}

void KeeperMetrics::stage(Stage stage, double seconds) { stage_histogram(stage).observe(seconds); }

Counter& KeeperMetrics::reverts(const std::string& reason) {
  return registry_.counter("sluice_reverts_total", "Simulations and transactions that reverted, by decoded reason",
                           {{"reason", reason}});
}

Counter& KeeperMetrics::skipped(const std::string& reason) {
  return registry_.counter("sluice_skipped_total", "Candidates the planner skipped, by reason", {{"reason", reason}});
}

}  // namespace sluice::keeper::metrics
