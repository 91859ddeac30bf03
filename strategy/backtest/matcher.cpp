#include "strategy/backtest/matcher.hpp"

#include "strategy/backtest/order_simulation.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace sluice::backtest {

namespace {

bool same_amounts(const std::optional<SimulatedLiquidation>& sluice, const ActualLiquidation& event) {
  return sluice && !sluice->reverted && sluice->debt_repaid == event.debt_repaid &&
         sluice->collateral_seized == event.collateral_seized;
}

}  // namespace

bool Matcher::KeyLess::operator()(const book::PositionKey& a, const book::PositionKey& b) const noexcept {
  return std::tie(a.protocol, a.market.bytes, a.account.bytes) < std::tie(b.protocol, b.market.bytes, b.account.bytes);
}

void Matcher::actual(const ActualLiquidation& event, bool followed, std::optional<SimulatedLiquidation> at_event,
                     bool same_state) {
  LiquidationRow row;
  row.actual = event;
  row.same_state = same_state;
  row.amounts_equal = same_state && same_amounts(at_event, event);
  row.sluice_at_event = std::move(at_event);

  // Whatever its class, the event changed the position: the streak before it is over (and a later event of the
  // same position, even in the same block, starts from an empty streak: "not_seen").
  std::optional<Streak> streak;
  if (const auto it = streaks_.find(event.key); it != streaks_.end()) {
    streak = std::move(it->second);
    streaks_.erase(it);
  }

  if (!followed) {
    row.outcome = Outcome::not_applicable;
    row.reason = "not_followed";
  } else if (event.liquidator == keeper_) {
    row.outcome = Outcome::not_applicable;
    row.reason = "own";
  } else if (streak && streak->first_taken && streak->first_taken->decided_block < event.block) {
    row.outcome = Outcome::captured;
    row.sluice = streak->first_taken;
    row.lead_blocks = static_cast<std::int64_t>(event.block) - static_cast<std::int64_t>(row.sluice->decided_block);
  } else {
    row.outcome = Outcome::missed;
    if (!streak || streak->decisions == 0)
      row.reason = "not_seen";
    else if (streak->reverted)
      row.reason = "reverted_in_simulation";
    else if (streak->last_skip)
      row.reason = plan::skip_reason_name(*streak->last_skip);
    else
      row.reason = "not_seen";  // only taken decisions at or after the event's block (engine fed out of order)
    if (streak && streak->reverted) row.sluice = streak->reverted;
  }
  rows_.push_back(std::move(row));
}

void Matcher::decided(std::uint64_t block, const plan::Decision& decision, const SimulatedLiquidation* simulation) {
  auto& streak = streaks_[decision.key];
  if (streak.decisions++ == 0) ++opportunities_;
  if (decision.skip != plan::SkipReason::none) {
    streak.last_skip = decision.skip;
    return;
  }
  SimulatedLiquidation sim = simulation ? *simulation : from_order(block, decision.order);
  if (sim.reverted)
    streak.reverted = std::move(sim);
  else if (!streak.first_taken)
    streak.first_taken = std::move(sim);
}

std::vector<LiquidationRow> Matcher::finish() {
  std::stable_sort(rows_.begin(), rows_.end(), [](const LiquidationRow& a, const LiquidationRow& b) {
    return std::tie(a.actual->block, a.actual->log_index) < std::tie(b.actual->block, b.actual->log_index);
  });
  std::vector<LiquidationRow> only;
  for (auto& [key, streak] : streaks_) {
    if (!streak.first_taken) continue;
    LiquidationRow row;
    row.outcome = Outcome::sluice_only;
    row.sluice = std::move(streak.first_taken);
    only.push_back(std::move(row));
  }
  // streaks_ iterates in KeyLess order, so a stable sort by block leaves ties by position.
  std::stable_sort(only.begin(), only.end(), [](const LiquidationRow& a, const LiquidationRow& b) {
    return a.sluice->decided_block < b.sluice->decided_block;
  });
  streaks_.clear();
  auto rows = std::move(rows_);
  rows_.clear();
  for (auto& r : only) rows.push_back(std::move(r));
  return rows;
}

void Matcher::summarize(const std::vector<LiquidationRow>& rows, Summary& summary) {
  summary.actual_liquidations = 0;
  summary.captured = summary.missed = summary.not_applicable = summary.sluice_only = 0;
  summary.missed_by_reason.clear();
  summary.amounts_compared = summary.amounts_equal = 0;
  std::vector<std::int64_t> leads;
  for (const auto& r : rows) {
    if (r.actual) ++summary.actual_liquidations;
    switch (r.outcome) {
      case Outcome::captured:
        ++summary.captured;
        if (r.lead_blocks) leads.push_back(*r.lead_blocks);
        break;
      case Outcome::missed:
        ++summary.missed;
        ++summary.missed_by_reason[r.reason];
        break;
      case Outcome::not_applicable: ++summary.not_applicable; break;
      case Outcome::sluice_only: ++summary.sluice_only; break;
    }
    if (r.actual && r.same_state && r.sluice_at_event) {
      ++summary.amounts_compared;
      if (r.amounts_equal) ++summary.amounts_equal;
    }
  }
  const auto decided = summary.captured + summary.missed;
  summary.capture_rate = decided == 0 ? 0.0 : static_cast<double>(summary.captured) / static_cast<double>(decided);
  summary.lead_min = summary.lead_median = summary.lead_max = std::nullopt;
  if (!leads.empty()) {
    std::sort(leads.begin(), leads.end());
    summary.lead_min = leads.front();
    summary.lead_median = leads[(leads.size() - 1) / 2];  // the lower median for an even count
    summary.lead_max = leads.back();
  }
}

std::vector<book::PositionKey> Matcher::taken_positions() const {
  std::vector<book::PositionKey> keys;
  for (const auto& [key, streak] : streaks_)
    if (streak.first_taken) keys.push_back(key);
  return keys;
}

}  // namespace sluice::backtest
