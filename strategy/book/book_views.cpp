// Reports from the position book: holdings, liquidation prices and the best liquidation of each position.
#include "strategy/book/book_impl.hpp"
#include "strategy/book/closed_form.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::book {

namespace {

void sort_by_usd_desc(std::vector<LiquidationPrice>& prices, const std::vector<Holding>& collateral) {
  const auto usd_of = [&](AssetId a) {
    for (const auto& h : collateral)
      if (h.asset == a) return h.usd;
    return 0.0;
  };
  std::stable_sort(prices.begin(), prices.end(),
                   [&](const LiquidationPrice& x, const LiquidationPrice& y) { return usd_of(x.asset) > usd_of(y.asset); });
}

}  // namespace

PositionView PositionBook::Impl::make_view(std::uint32_t id, bool best_liquidation) const {
  PositionView v;
  v.key = keys[id];
  v.health_factor = health_factor[id];
  v.liquidatable = (flags[id] & kLiquidatable) != 0;
  v.collateral_usd = collateral_usd[id];
  v.debt_usd = debt_usd[id];
  if (keys[id].protocol == Protocol::aave_v3) fill_aave_view(id, v, best_liquidation);
  else fill_morpho_view(id, v, best_liquidation);
  std::stable_sort(v.collateral.begin(), v.collateral.end(), [](const Holding& a, const Holding& b) { return a.usd > b.usd; });
  sort_by_usd_desc(v.liquidation_prices, v.collateral);
  v.bad_debt = !v.debt.empty() && std::none_of(v.collateral.begin(), v.collateral.end(),
                                                [](const Holding& h) { return !h.amount.is_zero(); });
  return v;
}

void PositionBook::Impl::fill_aave_view(std::uint32_t id, PositionView& v, bool best_liquidation) const {
  const auto& acc = aave_accounts[record[id]];
  if (flags[id] & kError) {
    auto data = aave::account_data(aave_market, rebuild_user(acc));
    v.error = data ? "inconsistent account state" : data.error().message();
  }
  const auto& em = emodes[acc.emode];
  const double base_unit = aave_market.base_currency_unit.is_zero() ? 1e8 : to_double(aave_market.base_currency_unit);

  // Per slot: whole-token amounts, the account price and the effective liquidation threshold (as a fraction).
  struct Term {
    std::uint16_t reserve_id;
    AssetId asset;
    double collateral = 0.0, debt = 0.0, price = 0.0, lt = 0.0;
    bool is_collateral = false;
    bool emode_priced = false;  ///< priced by the user's eMode category source: moves with the category
  };
  std::vector<Term> terms;
  for (std::uint32_t s = acc.slot_begin; s < acc.slot_begin + acc.slot_count; ++s) {
    const auto& hot = slots_hot[s];
    if (!hot.flags || hot.reserve_id >= reserves.size() || !reserves[hot.reserve_id].present) continue;
    const auto& rc = reserves[hot.reserve_id];
    if ((hot.flags & kCollateral) && !hot.collateral.is_zero())
      v.collateral.push_back({rc.asset, hot.collateral, usd_value(rc.asset, hot.collateral)});
    if ((hot.flags & kBorrowing) && !hot.debt.is_zero())
      v.debt.push_back({rc.asset, hot.debt, usd_value(rc.asset, hot.debt)});
    Term t{hot.reserve_id, rc.asset};
    const double unit = to_double(rc.unit);
    const bool in_emode = acc.emode != 0 && rc.emode == acc.emode;
    t.is_collateral = (hot.flags & kCollateral) && rc.lt_bps != 0;
    t.collateral = t.is_collateral ? to_double(hot.collateral) / unit : 0.0;
    t.debt = (hot.flags & kBorrowing) ? to_double(hot.debt) / unit : 0.0;
    t.price = to_double(account_price(acc.emode, hot.reserve_id));
    t.emode_priced = in_emode && !em.price.is_zero();
    t.lt = (in_emode ? em.lt_bps : rc.lt_bps) / 1e4;
    terms.push_back(t);
  }
  // HF(p) = (A + a p) / (B + b p) for each collateral asset's price p, the other prices fixed. An asset priced by
  // the eMode category's source moves together with every other asset the account holds in that category.
  for (const auto& c : terms) {
    if (!c.is_collateral || c.collateral == 0.0 || c.price == 0.0) continue;
    double A = 0.0, B = 0.0, a = 0.0, b = 0.0;
    for (const auto& o : terms) {
      if (o.reserve_id == c.reserve_id || (c.emode_priced && o.emode_priced)) {
        a += o.collateral * o.lt;
        b += o.debt;
      } else {
        A += o.collateral * o.price * o.lt;
        B += o.debt * o.price;
      }
    }
    auto p = aave_liquidation_price(A, a, B, b);
    if (!p) continue;
    v.liquidation_prices.push_back({c.asset, *p / base_unit, *p / c.price - 1.0, a > b});
  }

  if (!v.liquidatable || !best_liquidation) return;
  const auto user = rebuild_user(acc);
  for (const auto& c : terms) {
    if (!c.is_collateral || c.collateral == 0.0) continue;
    for (const auto& d : terms) {
      if (d.debt == 0.0) continue;
      auto out = aave::liquidation(aave_market, user, {c.reserve_id, d.reserve_id, U256::max()});
      if (!out) continue;
      const double profit = usd_value(c.asset, out->collateral_to_liquidator) - usd_value(d.asset, out->debt_repaid);
      if (!v.best_liquidation || profit > v.best_liquidation->gross_profit_usd)
        v.best_liquidation = BestLiquidation{c.asset, d.asset, out->debt_repaid, out->collateral_to_liquidator, profit};
    }
  }
}

void PositionBook::Impl::fill_morpho_view(std::uint32_t id, PositionView& v, bool best_liquidation) const {
  const auto& rec = morpho_records[record[id]];
  const auto& market = markets[rec.market];
  const auto& mk = market.market;
  if (flags[id] & kError) {
    auto healthy = morpho::is_healthy(mk.params, market.accrued, rec.position, mk.oracle_price);
    v.error = !market.accrued_ok ? "interest accrual failed" : healthy ? "health factor failed" : healthy.error().message();
  }
  if (!rec.position.collateral.is_zero())
    v.collateral.push_back({market.collateral, rec.position.collateral, usd_value(market.collateral, rec.position.collateral)});
  if (!rec.borrowed.is_zero()) v.debt.push_back({market.loan, rec.borrowed, usd_value(market.loan, rec.borrowed)});

  if (auto p = morpho_liquidation_oracle_price(rec.borrowed, rec.position.collateral, mk.params.lltv)) {
    const double current = to_double(mk.oracle_price);
    v.liquidation_prices.push_back({market.collateral,
                                    morpho_oracle_to_usd(*p, assets[market.collateral].decimals,
                                                         assets[market.loan].decimals, usd_price(market.loan)),
                                    current > 0.0 ? *p / current - 1.0 : 0.0, true});
  }
  if (!v.liquidatable || !best_liquidation) return;
  auto out = morpho::liquidate_max(mk.params, market.accrued, rec.position, mk.oracle_price);
  if (!out) return;
  v.best_liquidation = BestLiquidation{market.collateral, market.loan, out->repaid_assets, out->seized_assets,
                                       usd_value(market.collateral, out->seized_assets) -
                                           usd_value(market.loan, out->repaid_assets)};
}

std::vector<PositionView> PositionBook::view(const ViewFilter& filter) const {
  const auto& m = *impl_;
  std::vector<std::uint32_t> candidates;
  if (filter.exposed_to) {
    if (*filter.exposed_to < m.by_asset.size())
      for (const auto& e : m.by_asset[*filter.exposed_to].entries)
        if (m.generation[e.position] == e.generation) candidates.push_back(e.position);
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  }
  std::vector<std::uint32_t> ids;
  ids.reserve(filter.exposed_to ? candidates.size() : m.live);
  const std::size_t n = filter.exposed_to ? candidates.size() : m.keys.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t id = filter.exposed_to ? candidates[i] : static_cast<std::uint32_t>(i);
    if (!(m.flags[id] & kAlive)) continue;
    const bool error = (m.flags[id] & kError) != 0;
    const bool debt_free = !error && m.health_factor[id] == U256::max();
    if (debt_free && !filter.include_debt_free) continue;
    const double hf = error || debt_free ? std::numeric_limits<double>::infinity() : to_double(m.health_factor[id]) / 1e18;
    if (hf < filter.min_health_factor || hf > filter.max_health_factor) continue;
    ids.push_back(id);
  }
  // Errors sort last (as HF max); ties by protocol, market, account.
  const auto sort_hf = [&](std::uint32_t id) { return (m.flags[id] & kError) ? U256::max() : m.health_factor[id]; };
  std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto& ha = sort_hf(a);
    const auto& hb = sort_hf(b);
    if (ha != hb) return ha < hb;
    const auto& ka = m.keys[a];
    const auto& kb = m.keys[b];
    if (ka.protocol != kb.protocol) return ka.protocol < kb.protocol;
    if (ka.market != kb.market) return ka.market < kb.market;
    return ka.account < kb.account;
  });
  std::vector<PositionView> out;
  out.reserve(ids.size());
  for (auto id : ids) out.push_back(m.make_view(id, filter.best_liquidation));
  return out;
}

std::optional<PositionView> PositionBook::find(const PositionKey& key) const {
  auto it = impl_->index.find(key);
  if (it == impl_->index.end()) return std::nullopt;
  return impl_->make_view(it->second);
}

}  // namespace sluice::book
