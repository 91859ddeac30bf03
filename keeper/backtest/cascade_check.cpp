#include "keeper/backtest/cascade_check.hpp"

#include "strategy/plan/valuation.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>
#include <tuple>

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

  // The other price assets move with it as they did on chain: at each point, beta = the asset's drawdown / the
  // picked asset's drawdown at the same block (0.1% steps), so the engine sees the whole realized price move.
  const auto start_prices = [&] {
    std::vector<double> v(in.price_assets.size(), 0.0);
    for (std::size_t i = 0; i < v.size(); ++i)
      if (in.asset_ids[i]) v[i] = plan::usd_price(book, *in.asset_ids[i]).value_or(0.0);
    return v;
  }();
  const auto permilles_at = [&](const backtest::BlockPoint& p) {
    std::vector<long> v(in.price_assets.size(), 0);
    for (std::size_t i = 0; i < v.size(); ++i)
      if (start_prices[i] > 0.0 && i < p.prices_usd.size() && p.prices_usd[i] > 0.0)
        v[i] = std::min(0L, std::lround((p.prices_usd[i] / start_prices[i] - 1.0) * 1000.0));
    return v;
  };
  const auto shock_for = [&](const std::vector<long>& permille) {
    risk::Shock shock{asset, static_cast<double>(permille[*pick]) / 1000.0, {}};
    if (permille[*pick] < 0)
      for (std::size_t i = 0; i < permille.size(); ++i)
        if (i != *pick && permille[i] < 0)
          shock.betas.emplace_back(*in.asset_ids[i], static_cast<double>(permille[i]) / static_cast<double>(permille[*pick]));
    return shock;
  };

  // The engine with the configured coupling, for the move at the picked asset's lowest point.
  const backtest::BlockPoint* bottom = nullptr;
  for (const auto& p : blocks)
    if (p.block > in.start_block && *pick < p.prices_usd.size() && p.prices_usd[*pick] == pick_min) {
      bottom = &p;
      break;
    }
  std::vector<long> at_bottom(in.price_assets.size(), 0);
  if (bottom) at_bottom = permilles_at(*bottom);
  at_bottom[*pick] = std::lround(pick_fall * 1000.0);
  const risk::Shock bottom_shock = shock_for(at_bottom);
  for (const auto& [id, beta] : bottom_shock.betas)
    out.co_moves += fmt::format("{}{} x{:.2f}", out.co_moves.empty() ? "" : ", ", book.asset(id).symbol, beta);
  if (auto predicted = risk::simulate_cascade(book, in.model, bottom_shock)) {
    out.predicted_liquidated_usd = predicted->liquidated_debt_usd;
    out.predicted_final_price_usd = predicted->final_price;
    out.predicted_liquidations = static_cast<std::uint32_t>(predicted->liquidations);
  }

  // Along the path: the engine (coupling none: the prices are the realized ones, feedback included) at each
  // block's drawdowns; a position counts from the first block whose prediction liquidates it, with the debt that
  // prediction repays for it. One-shot predictions at a deep drawdown repay less than a gradual fall (collateral
  // is worth less when it is sold), so the path, not the deepest shot, is what compares with the chain's history.
  risk::MarketModel uncoupled = in.model;
  uncoupled.coupling = *risk::parse_coupling("none");
  using Key = std::tuple<std::uint8_t, Address, Hash>;
  std::map<std::vector<long>, std::map<Key, double>> by_permille;  // drawdowns in 0.1% steps -> repaid per position
  const auto predicted_at = [&](const std::vector<long>& permille) -> const std::map<Key, double>& {
    auto it = by_permille.find(permille);
    if (it != by_permille.end()) return it->second;
    std::map<Key, double> repaid;
    if (permille[*pick] < 0)
      if (auto r = risk::simulate_cascade(book, uncoupled, shock_for(permille)))
        for (const auto& round : r->rounds)
          for (const auto& l : round.liquidations)
            repaid[{static_cast<std::uint8_t>(l.key.protocol), l.key.account, l.key.market}] += l.debt_repaid_usd;
    return by_permille.emplace(permille, std::move(repaid)).first->second;
  };
  std::map<Key, double> path;  // first liquidation along the path -> debt repaid then
  double path_usd = 0.0;

  std::size_t next = 0;
  double realized = 0.0;
  std::set<Key> realized_positions;
  for (const auto& p : blocks) {
    if (p.block < in.start_block) continue;
    while (next < actual.size() && actual[next].block <= p.block) {
      if (actual[next].block > in.start_block) {
        realized += actual[next].repaid_usd;
        ++out.realized_liquidations;
        const book::PositionKey& k = actual[next].key;
        realized_positions.insert({static_cast<std::uint8_t>(k.protocol), k.account, k.market});
      }
      ++next;
    }
    backtest::CascadeCheck::Point point;
    point.block = p.block;
    const double price = *pick < p.prices_usd.size() ? p.prices_usd[*pick] : 0.0;
    point.drawdown_pct = price > 0.0 ? (price / pick_start - 1.0) * 100.0 : 0.0;
    for (const auto& [key, usd] : predicted_at(permilles_at(p)))
      if (path.emplace(key, usd).second) path_usd += usd;
    point.predicted_liquidated_usd = path_usd;
    point.realized_liquidated_usd = realized;
    out.points.push_back(point);
  }
  out.realized_liquidated_usd = realized;
  out.path_predicted_liquidated_usd = path_usd;
  out.path_predicted_positions = static_cast<std::uint32_t>(path.size());
  out.realized_positions = static_cast<std::uint32_t>(realized_positions.size());
  return out;
}

}  // namespace sluice::keeper
