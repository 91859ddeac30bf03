// Morpho Blue markets and positions in the position book: interest accrued once per market per clock, health
// from morpho::is_healthy / health_factor on the accrued state.
#include "strategy/book/book_impl.hpp"

namespace sluice::book {

void PositionBook::Impl::accrue_market(MarketRecord& market) {
  ++stats.morpho_market_accruals;
  auto accrued = morpho::accrue_interest(market.market.state, market.market.borrow_rate, timestamp);
  market.accrued_ok = accrued.has_value();
  market.accrued = accrued ? *accrued : market.market.state;
}

void PositionBook::Impl::refresh_morpho_borrowed(MorphoRecord& rec) {
  const auto& market = markets[rec.market];
  auto borrowed = morpho::borrowed_assets(market.accrued, rec.position);
  rec.borrowed = borrowed ? *borrowed : U256{};
}

void PositionBook::Impl::evaluate_morpho(std::uint32_t id) {
  ++stats.morpho_evaluations;
  const auto& rec = morpho_records[record[id]];
  const auto& market = markets[rec.market];
  const auto& p = market.market;
  auto healthy = morpho::is_healthy(p.params, market.accrued, rec.position, p.oracle_price);
  auto hf = morpho::health_factor(p.params, market.accrued, rec.position, p.oracle_price);
  if (!market.accrued_ok || !healthy || !hf) {
    health_factor[id] = U256::max();
    flags[id] = kAlive | kError;
    return;
  }
  health_factor[id] = *hf;
  flags[id] = static_cast<std::uint8_t>(kAlive | (*healthy ? 0 : kLiquidatable));
}

void PositionBook::Impl::evaluate_morpho_usd(std::uint32_t id) {
  ++stats.usd_revaluations;
  const auto& rec = morpho_records[record[id]];
  const auto& market = markets[rec.market];
  collateral_usd[id] = usd_value(market.collateral, rec.position.collateral);
  debt_usd[id] = usd_value(market.loan, rec.borrowed);
}

void PositionBook::Impl::reevaluate_market(std::uint32_t index_in_markets, bool accrue) {
  auto& market = markets[index_in_markets];
  if (accrue) accrue_market(market);
  for_each_exposed(market.positions, [&](std::uint32_t id) {
    if (accrue) {
      refresh_morpho_borrowed(morpho_records[record[id]]);
      evaluate_morpho_usd(id);
    }
    evaluate_morpho(id);
  });
}

void PositionBook::Impl::remove_morpho(std::uint32_t id) {
  auto& rec = morpho_records[record[id]];
  auto& market = markets[rec.market];
  mark_stale(market.positions);
  mark_stale(by_asset[market.loan]);
  if (market.collateral != market.loan) mark_stale(by_asset[market.collateral]);
  free_morpho.push_back(record[id]);
  release_position(id);
}

// ---------------------------------------------------------------------------------------------------------------

void PositionBook::upsert_morpho_market(morpho::Market market) {
  auto& m = *impl_;
  auto it = m.market_index.find(market.id);
  std::uint32_t idx;
  if (it == m.market_index.end()) {
    idx = static_cast<std::uint32_t>(m.markets.size());
    m.market_index.emplace(market.id, idx);
    m.markets.emplace_back();
    // Unknown tokens get 18 decimals until the keeper interns them with their real symbol and decimals.
    m.markets[idx].loan = m.intern(market.params.loan_token, {}, 18, false);
    m.markets[idx].collateral = m.intern(market.params.collateral_token, {}, 18, false);
  } else {
    idx = it->second;
  }
  m.markets[idx].market = std::move(market);
  m.reevaluate_market(idx, true);
}

void PositionBook::set_morpho_price(const morpho::MarketId& market, const U256& oracle_price) {
  auto& m = *impl_;
  auto it = m.market_index.find(market);
  if (it == m.market_index.end()) return;
  m.markets[it->second].market.oracle_price = oracle_price;
  m.reevaluate_market(it->second, false);
}

void PositionBook::upsert_morpho_position(const morpho::MarketId& market, const Address& account,
                                          const morpho::Position& position) {
  auto& m = *impl_;
  auto mit = m.market_index.find(market);
  if (mit == m.market_index.end()) return;  // positions of unknown markets cannot be evaluated
  const PositionKey key{Protocol::morpho_blue, account, market};
  auto it = m.index.find(key);
  if (it != m.index.end()) m.remove_morpho(it->second);
  if (position.collateral.is_zero() && position.borrow_shares.is_zero()) return;

  std::uint32_t rec;
  if (!m.free_morpho.empty()) {
    rec = m.free_morpho.back();
    m.free_morpho.pop_back();
  } else {
    rec = static_cast<std::uint32_t>(m.morpho_records.size());
    m.morpho_records.emplace_back();
  }
  auto& r = m.morpho_records[rec];
  r.position = position;
  r.market = mit->second;
  const auto id = m.allocate_position(key, rec);
  r.position_id = id;
  m.add_morpho_exposures(id);
  m.refresh_morpho_borrowed(r);
  m.evaluate_morpho(id);
  m.evaluate_morpho_usd(id);
}

void PositionBook::Impl::add_morpho_exposures(std::uint32_t id) {
  auto& market = markets[morpho_records[record[id]].market];
  add_exposure(market.positions, id);
  add_exposure(by_asset[market.loan], id);
  if (market.collateral != market.loan) add_exposure(by_asset[market.collateral], id);
}

const morpho::Market* PositionBook::morpho_market(const morpho::MarketId& id) const noexcept {
  auto it = impl_->market_index.find(id);
  return it == impl_->market_index.end() ? nullptr : &impl_->markets[it->second].market;
}

const morpho::Position* PositionBook::morpho_position(const morpho::MarketId& id, const Address& account) const noexcept {
  const auto& m = *impl_;
  auto it = m.index.find(PositionKey{Protocol::morpho_blue, account, id});
  return it == m.index.end() ? nullptr : &m.morpho_records[m.record[it->second]].position;
}

}  // namespace sluice::book
