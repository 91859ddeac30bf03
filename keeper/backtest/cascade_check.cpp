#include "keeper/backtest/cascade_check.hpp"

#include "strategy/plan/valuation.hpp"

#include <cmath>
#include <map>

namespace sluice::keeper {

std::optional<std::uint64_t> crash_start(const std::vector<backtest::BlockPoint>& blocks) {
  for (const auto& p : blocks)
    if (p.liquidatable > 0) return p.block - 1;
  return std::nullopt;
}

backtest::CascadeCheck cascade_check(const CascadeInputs& in, const std::vector<backtest::BlockPoint>& blocks,
                                     const std::vector<backtest::ActualLiquidation>& actual) {
  backtest::CascadeCheck out;
  out.start_block = in.start_block;
  out.coupling = risk::to_string(in.model.coupling);
  const book::PositionBook& book = *in.start_book;

  // The asset that fell most (start price from the book at the start, minimum over the blocks after it).
  std::optional<std::size_t> pick;
  double pick_fall = 0.0, pick_start = 0.0, pick_min = 0.0;
  for (std::size_t i = 0; i < in.price_assets.size(); ++i) {
    if (!in.asset_ids[i]) continue;
    const double start = plan::usd_price(book, *in.asset_ids[i]).value_or(0.0);
    if (start <= 0.0) continue;
    double low = start;
    for (const auto& p : blocks)
      if (p.block > in.start_block && i < p.prices_usd.size() && p.prices_usd[i] > 0.0) low = std::min(low, p.prices_usd[i]);
    const double fall = low / start - 1.0;
    if (fall < pick_fall) {
      pick = i;
      pick_fall = fall;
      pick_start = start;
      pick_min = low;
    }
  }
  if (!pick) return out;
  const book::AssetId asset = *in.asset_ids[*pick];
  out.ran = true;
  out.asset = in.price_assets[*pick];
  out.start_price_usd = pick_start;
  out.min_price_usd = pick_min;

  if (auto predicted = risk::simulate_cascade(book, in.model, risk::Shock{asset, pick_fall, {}})) {
    out.predicted_liquidated_usd = predicted->liquidated_debt_usd;
    out.predicted_final_price_usd = predicted->final_price;
    out.predicted_liquidations = static_cast<std::uint32_t>(predicted->liquidations);
  }

  risk::MarketModel uncoupled = in.model;
  uncoupled.coupling = *risk::parse_coupling("none");
  std::map<long, double> by_permille;  // drawdown in 0.1% steps -> predicted repaid USD
  const auto predicted_at = [&](double drawdown) {
    const long permille = std::lround(std::min(drawdown, 0.0) * 1000.0);
    auto it = by_permille.find(permille);
    if (it != by_permille.end()) return it->second;
    double usd = 0.0;
    if (permille < 0)
      if (auto r = risk::simulate_cascade(book, uncoupled, risk::Shock{asset, static_cast<double>(permille) / 1000.0, {}}))
        usd = r->liquidated_debt_usd;
    by_permille.emplace(permille, usd);
    return usd;
  };

  std::size_t next = 0;
  double realized = 0.0;
  for (const auto& p : blocks) {
    if (p.block < in.start_block) continue;
    while (next < actual.size() && actual[next].block <= p.block) {
      if (actual[next].block > in.start_block) {
        realized += actual[next].repaid_usd;
        ++out.realized_liquidations;
      }
      ++next;
    }
    backtest::CascadeCheck::Point point;
    point.block = p.block;
    const double price = *pick < p.prices_usd.size() ? p.prices_usd[*pick] : 0.0;
    point.drawdown_pct = price > 0.0 ? (price / pick_start - 1.0) * 100.0 : 0.0;
    point.predicted_liquidated_usd = predicted_at(point.drawdown_pct / 100.0);
    point.realized_liquidated_usd = realized;
    out.points.push_back(point);
  }
  out.realized_liquidated_usd = realized;
  return out;
}

}  // namespace sluice::keeper
