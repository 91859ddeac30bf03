#include "keeper/daemon/run_summary.hpp"

#include "keeper/exec/subject.hpp"
#include "strategy/morpho/events.hpp"
#include "strategy/risk/clusters.hpp"

#include <fmt/format.h>

#include <cmath>

namespace sluice::keeper {

namespace {

double whole_units(const U256& amount, std::uint8_t decimals) {
  return std::stod(amount.to_dec()) / std::pow(10.0, decimals);
}

}  // namespace

void RunSummary::block(std::uint64_t number) {
  if (!first_) first_ = number;
  last_ = number;
}

void RunSummary::planned(const plan::Plan& plan) {
  for (const plan::Decision& d : plan.decisions)
    if (d.skip == plan::SkipReason::none) planned_slippage_usd_[subject_of(d.key)] = d.order.slippage_usd;
}

void RunSummary::add(const std::vector<ExecutorEvent>& events) {
  for (const ExecutorEvent& e : events) {
    const bool liquidation = e.tx_kind == TxKind::liquidation;
    switch (e.kind) {
      case ExecutorEvent::Kind::sent: sent_ += liquidation; break;
      case ExecutorEvent::Kind::would_send: would_send_ += liquidation; break;
      case ExecutorEvent::Kind::included:
        if (liquidation) {
          ++included_;
          profit_usd_ += e.profit_usd;
          if (const auto it = planned_slippage_usd_.find(e.subject); it != planned_slippage_usd_.end())
            slippage_usd_ += it->second;
        }
        sales_ += e.tx_kind == TxKind::sale;
        break;
      case ExecutorEvent::Kind::reverted: ++reverted_; break;
      case ExecutorEvent::Kind::lost_to_rival: ++lost_; break;
      default: break;
    }
  }
}

void RunSummary::add_logs(const std::vector<rpc::Log>& logs, const Address& morpho, const book::PositionBook& book) {
  for (const rpc::Log& log : logs) {
    if (log.removed || log.address != morpho || log.topics.empty() || log.topics[0] != morpho::events::liquidate_topic())
      continue;
    const auto liquidation = morpho::events::decode_liquidate(log);
    if (!liquidation) continue;
    const morpho::Market* market = book.morpho_market(liquidation->market);
    if (market == nullptr) continue;
    const auto loan = book.find_asset(market->params.loan_token);
    if (!loan) continue;
    const U256& bad_debt = liquidation->bad_debt_assets;
    const auto price = risk::asset_price_usd(book, *loan);
    if (price && !bad_debt.is_zero())
      realised_bad_debt_usd_ += whole_units(bad_debt, book.asset(*loan).decimals) * *price;
  }
}

std::string RunSummary::render(const book::PositionBook& book, const metrics::KeeperMetrics* metrics) const {
  double left_usd = 0.0;
  std::size_t left = 0;
  book::ViewFilter filter;
  filter.best_liquidation = false;
  for (const book::PositionView& v : book.view(filter))
    if (v.bad_debt) {
      ++left;
      left_usd += v.debt_usd;
    }
  std::string out = "summary:\n";
  out += first_ ? fmt::format("  blocks            {}..{}\n", *first_, *last_) : "  blocks            none\n";
  out += fmt::format("  liquidations      {} sent, {} included (expected profit ${:.2f}), {} would-send (dry run)\n",
                     sent_, included_, profit_usd_, would_send_);
  out += fmt::format("  slippage          ${:.2f} expected on disposing the seized collateral\n", slippage_usd_);
  out += fmt::format("  disposal sales    {} included\n", sales_);
  out += fmt::format("  reverts           {}; lost to rivals {}\n", reverted_, lost_);
  out += fmt::format("  bad debt          ${:.2f} realised during the run (Morpho); ${:.2f} left in {} position(s)\n",
                     realised_bad_debt_usd_, left_usd, left);
  if (metrics != nullptr) {
    for (const auto stage : {metrics::Stage::sent, metrics::Stage::included}) {
      const metrics::Histogram& h = metrics->stage_histogram(stage);
      if (h.count() == 0) continue;
      out += fmt::format("  latency           head -> {}: p50 {:.1f} ms, p99 {:.1f} ms ({} transactions)\n",
                         metrics::stage_name(stage), h.quantile(0.5) * 1e3, h.quantile(0.99) * 1e3, h.count());
    }
  }
  return out;
}

}  // namespace sluice::keeper
