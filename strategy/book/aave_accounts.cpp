// Aave v3 accounts in the position book: per-reserve index caches, per-account native balances at the clock, and
// GenericLogic.calculateUserAccountData redone from them on every price tick (bit-identical to aave::account_data).
#include "chain/fixed_point.hpp"
#include "strategy/book/book_impl.hpp"

namespace sluice::book {

namespace {

constexpr U256 kHealthFactorLiquidationThreshold = kWad;  // HEALTH_FACTOR_LIQUIDATION_THRESHOLD = 1e18

/// Whether every reserve the configuration bitmap uses has exactly one slot (anything else goes through
/// aave::account_data, whatever it makes of it).
bool bitmap_covered(const U256& bitmap, const std::vector<aave::UserReserve>& reserves) noexcept {
  U256 covered;
  for (const auto& r : reserves) {
    if (r.reserve_id >= 128) continue;
    const U256 bits = U256{3} << (2u * r.reserve_id);
    if (!(covered & bits).is_zero()) return false;  // the same reserve twice
    covered = covered | bits;
  }
  return (bitmap & ~covered).is_zero();
}

}  // namespace

void PositionBook::Impl::refresh_reserve_caches() {
  const auto& rs = aave_market.reserves;
  reserves.assign(rs.size(), ReserveCache{});
  for (std::size_t i = 0; i < rs.size(); ++i) {
    const auto& r = rs[i];
    auto& c = reserves[i];
    c.present = r.asset != Address{};
    if (!c.present) continue;
    c.asset = intern(r.asset, r.symbol, r.config.decimals, true);
    c.unit = pow10(r.config.decimals);
    c.ltv_bps = r.config.ltv_bps;
    c.lt_bps = r.config.liquidation_threshold_bps;
    c.emode = r.config.emode_category;
    auto income = aave::normalized_income(r, timestamp);
    auto debt = aave::normalized_debt(r, timestamp);
    c.income_ok = income.has_value();
    c.debt_ok = debt.has_value();
    if (c.income_ok) c.income = *income;
    if (c.debt_ok) c.debt_index = *debt;
    ++stats.aave_reserve_index_refreshes;
  }
  asset_reserve.assign(assets.size(), -1);
  for (std::size_t i = 0; i < reserves.size(); ++i)
    if (reserves[i].present) asset_reserve[reserves[i].asset] = static_cast<std::int32_t>(i);
  emodes.fill(EModeCache{});
  for (const auto& e : aave_market.emodes) {
    auto& c = emodes[e.id];
    c.exists = true;
    c.ltv_bps = e.ltv_bps;
    c.lt_bps = e.liquidation_threshold_bps;
    c.has_source = e.price_source != Address{};
    c.price = c.has_source ? e.price : U256{};
  }
}

void PositionBook::Impl::refresh_aave_balances(AaveAccount& account) {
  ++stats.aave_balance_refreshes;
  account.balances_ok = true;
  for (std::uint32_t s = account.slot_begin; s < account.slot_begin + account.slot_count; ++s) {
    auto& hot = slots_hot[s];
    const auto& cold = slots_cold[s];
    hot.collateral = U256{};
    hot.debt = U256{};
    if (!hot.flags) continue;
    if (hot.reserve_id >= reserves.size() || !reserves[hot.reserve_id].present) {
      account.balances_ok = false;
      continue;
    }
    const auto& rc = reserves[hot.reserve_id];
    if (hot.flags & kCollateral) {
      // AToken.balanceOf: scaledBalanceOf.rayMul(normalizedIncome).
      auto v = rc.income_ok ? ray_mul_half_up(cold.scaled_a_token, rc.income) : std::nullopt;
      if (v) hot.collateral = *v; else account.balances_ok = false;
    }
    if (hot.flags & kBorrowing) {
      // GenericLogic._getUserDebtInBaseCurrency: variable (rayMul normalized debt, only when non-zero) + stable.
      U256 debt = cold.scaled_variable_debt;
      if (!debt.is_zero()) {
        auto v = rc.debt_ok ? ray_mul_half_up(debt, rc.debt_index) : std::nullopt;
        if (v) debt = *v; else account.balances_ok = false;
      }
      if (!cold.stable_debt.principal.is_zero()) {
        // StableDebtToken.balanceOf: principal.rayMul(calculateCompoundedInterest(rate, lastUpdated)).
        auto interest = aave::compounded_interest(cold.stable_debt.rate, cold.stable_debt.last_updated, timestamp);
        auto v = interest ? ray_mul_half_up(cold.stable_debt.principal, *interest) : std::nullopt;
        auto sum = v ? checked_add(debt, *v) : std::nullopt;
        if (sum) debt = *sum; else account.balances_ok = false;
      }
      hot.debt = debt;
    }
  }
}

U256 PositionBook::Impl::account_price(std::uint8_t emode, std::uint16_t reserve_id) const noexcept {
  // GenericLogic: the eMode price when the category has a price source and the asset is in the user's category.
  const auto& e = emodes[emode];
  if (emode != 0 && !e.price.is_zero() && reserves[reserve_id].emode == emode) return e.price;
  return aave_market.prices[reserve_id];
}

aave::UserState PositionBook::Impl::rebuild_user(const AaveAccount& account) const {
  aave::UserState user;
  user.account = keys[account.position].account;
  user.config.bitmap = account.bitmap;
  user.emode_category = account.emode;
  user.reserves.assign(slots_cold.begin() + account.slot_begin,
                       slots_cold.begin() + account.slot_begin + account.slot_count);
  return user;
}

void PositionBook::Impl::evaluate_aave(std::uint32_t id) {
  ++stats.aave_evaluations;
  auto& acc = aave_accounts[record[id]];
  const auto finish = [&](bool ok) {
    flags[id] = static_cast<std::uint8_t>(kAlive | (ok ? 0 : kError) |
                                          (ok && health_factor[id] < kHealthFactorLiquidationThreshold ? kLiquidatable : 0));
  };
  const auto fallback = [&] {
    ++stats.aave_fallbacks;
    auto data = aave::account_data(aave_market, rebuild_user(acc));
    if (!data) {
      health_factor[id] = U256::max();
      acc.total_collateral_base = acc.total_debt_base = U256{};
      acc.avg_ltv_bps = acc.avg_lt_bps = 0;
      acc.has_zero_ltv_collateral = false;
      return finish(false);
    }
    acc.total_collateral_base = data->total_collateral_base;
    acc.total_debt_base = data->total_debt_base;
    acc.avg_ltv_bps = static_cast<std::uint16_t>(data->avg_ltv_bps.limbs[0]);
    acc.avg_lt_bps = static_cast<std::uint16_t>(data->avg_liquidation_threshold_bps.limbs[0]);
    acc.has_zero_ltv_collateral = data->has_zero_ltv_collateral;
    health_factor[id] = data->health_factor;
    finish(true);
  };

  if (acc.bitmap.is_zero()) {  // UserConfiguration.isEmpty: (0, 0, 0, 0, max, false)
    acc.total_collateral_base = acc.total_debt_base = U256{};
    acc.avg_ltv_bps = acc.avg_lt_bps = 0;
    acc.has_zero_ltv_collateral = false;
    health_factor[id] = U256::max();
    return finish(true);
  }
  if (!acc.covered || !acc.balances_ok) return fallback();
  const auto& em = emodes[acc.emode];
  // An unknown category, or a priced category without a price, is for aave::account_data to judge.
  if (acc.emode != 0 && (!em.exists || (em.has_source && em.price.is_zero()))) return fallback();

  auto totals = aave_totals_u128(acc);
  if (!totals) {
    ++stats.aave_wide_evaluations;
    totals = aave_totals_u256(acc);
  }
  if (!totals) return fallback();
  const U256 hf = totals->health_factor;
  const U256& total_collateral = totals->collateral;
  const U256& total_debt = totals->debt;
  const U256& avg_ltv = totals->avg_ltv;
  const U256& avg_lt = totals->avg_lt;
  const bool zero_ltv = totals->zero_ltv;
  acc.total_collateral_base = total_collateral;
  acc.total_debt_base = total_debt;
  acc.avg_ltv_bps = static_cast<std::uint16_t>(avg_ltv.limbs[0]);
  acc.avg_lt_bps = static_cast<std::uint16_t>(avg_lt.limbs[0]);
  acc.has_zero_ltv_collateral = zero_ltv;
  health_factor[id] = hf;
  finish(true);
}

void PositionBook::Impl::evaluate_aave_usd(std::uint32_t id) {
  ++stats.usd_revaluations;
  const auto& acc = aave_accounts[record[id]];
  double c = 0.0, d = 0.0;
  for (std::uint32_t s = acc.slot_begin; s < acc.slot_begin + acc.slot_count; ++s) {
    const auto& hot = slots_hot[s];
    if (!hot.flags || hot.reserve_id >= reserves.size() || !reserves[hot.reserve_id].present) continue;
    const AssetId asset = reserves[hot.reserve_id].asset;
    if (hot.flags & kCollateral) c += usd_value(asset, hot.collateral);
    if (hot.flags & kBorrowing) d += usd_value(asset, hot.debt);
  }
  collateral_usd[id] = c;
  debt_usd[id] = d;
}

void PositionBook::Impl::reevaluate_all_aave(bool balances) {
  for (auto& acc : aave_accounts) {
    const auto id = acc.position;
    if (!(flags[id] & kAlive) || keys[id].protocol != Protocol::aave_v3 || &aave_accounts[record[id]] != &acc) continue;
    if (balances) refresh_aave_balances(acc);
    evaluate_aave(id);
    evaluate_aave_usd(id);
  }
}

void PositionBook::Impl::add_aave_exposures(std::uint32_t id) {
  const auto& acc = aave_accounts[record[id]];
  for (std::uint32_t s = acc.slot_begin; s < acc.slot_begin + acc.slot_count; ++s) {
    const auto rid = slots_hot[s].reserve_id;
    if (slots_hot[s].flags && rid < reserves.size() && reserves[rid].present)
      add_exposure(by_asset[reserves[rid].asset], id);
  }
}

void PositionBook::Impl::remove_aave(std::uint32_t id) {
  auto& acc = aave_accounts[record[id]];
  for (std::uint32_t s = acc.slot_begin; s < acc.slot_begin + acc.slot_count; ++s) {
    const auto rid = slots_hot[s].reserve_id;
    if (slots_hot[s].flags && rid < reserves.size() && reserves[rid].present) mark_stale(by_asset[reserves[rid].asset]);
  }
  slots_garbage += acc.slot_count;
  acc.slot_count = 0;
  free_aave.push_back(record[id]);
  release_position(id);
}

// ---------------------------------------------------------------------------------------------------------------

void PositionBook::set_aave_market(aave::MarketSnapshot market) {
  auto& m = *impl_;
  // The clock only moves forward: a snapshot read at a later block brings the clock to it (and every Morpho market
  // is re-accrued); an earlier or unset one is evaluated at the book's clock.
  const bool advance = !m.clock_set || market.timestamp > m.timestamp;
  if (advance) {
    m.timestamp = market.timestamp;
    m.block = market.block;
    m.clock_set = true;
  } else {
    market.timestamp = m.timestamp;
    market.block = m.block;
  }
  if (market.prices.size() < market.reserves.size()) market.prices.resize(market.reserves.size());
  m.aave_market = std::move(market);
  std::vector<std::int32_t> before;
  for (const auto& r : m.reserves) before.push_back(r.present ? r.asset : -1);
  m.refresh_reserve_caches();
  std::vector<std::int32_t> after;
  for (const auto& r : m.reserves) after.push_back(r.present ? r.asset : -1);
  // Exposure lists are keyed by asset: when reserves map to other assets than before, rebuild them.
  if (before != after) m.rebuild_exposures();
  m.reevaluate_all_aave(true);
  if (advance)
    for (std::uint32_t i = 0; i < m.markets.size(); ++i) m.reevaluate_market(i, true);
}

void PositionBook::set_aave_price(std::uint16_t reserve_id, const U256& price) {
  auto& m = *impl_;
  if (reserve_id >= m.aave_market.reserves.size()) return;
  m.aave_market.prices[reserve_id] = price;
  const Address asset = m.aave_market.reserves[reserve_id].asset;
  // An eMode category priced by this asset moves with it: the accounts in that category are exposed too.
  std::array<bool, 256> moved{};
  bool any_moved = false;
  for (auto& e : m.aave_market.emodes) {
    if (e.price_source != Address{} && e.price_source == asset) {
      e.price = price;
      m.emodes[e.id].price = price;
      moved[e.id] = any_moved = true;
    }
  }
  if (m.reserves[reserve_id].present) {
    const AssetId a = m.reserves[reserve_id].asset;
    const bool usd_follows = m.assets[a].usd_price.is_zero();  // USD values come from this price (usd_price)
    m.for_each_exposed(m.by_asset[a], [&](std::uint32_t id) {
      if (m.keys[id].protocol == Protocol::aave_v3) {
        if (!moved[m.aave_accounts[m.record[id]].emode]) m.evaluate_aave(id);
        if (usd_follows) m.evaluate_aave_usd(id);
      } else if (usd_follows) {
        m.evaluate_morpho_usd(id);
      }
    });
  }
  if (!any_moved) return;
  for (auto& acc : m.aave_accounts) {
    const auto id = acc.position;
    if (acc.emode == 0 || !moved[acc.emode] || !(m.flags[id] & kAlive) || m.keys[id].protocol != Protocol::aave_v3 ||
        &m.aave_accounts[m.record[id]] != &acc)
      continue;
    m.evaluate_aave(id);
  }
}

void PositionBook::upsert_aave_user(aave::UserState user) {
  auto& m = *impl_;
  const PositionKey key{Protocol::aave_v3, user.account, {}};
  auto it = m.index.find(key);
  if (it != m.index.end()) m.remove_aave(it->second);
  if (user.config.is_empty()) return;

  std::uint32_t rec;
  if (!m.free_aave.empty()) {
    rec = m.free_aave.back();
    m.free_aave.pop_back();
  } else {
    rec = static_cast<std::uint32_t>(m.aave_accounts.size());
    m.aave_accounts.emplace_back();
  }
  // Compact the slot pool when more than half of it is garbage left by replaced accounts.
  if (m.slots_garbage > 1024 && m.slots_garbage * 2 > m.slots_hot.size()) {
    std::vector<AaveSlotHot> hot;
    std::vector<aave::UserReserve> cold;
    hot.reserve(m.slots_hot.size() - m.slots_garbage);
    cold.reserve(hot.capacity());
    for (std::size_t i = 0; i < m.aave_accounts.size(); ++i) {
      auto& a = m.aave_accounts[i];
      if (i == rec || a.slot_count == 0) continue;
      const auto begin = static_cast<std::uint32_t>(hot.size());
      hot.insert(hot.end(), m.slots_hot.begin() + a.slot_begin, m.slots_hot.begin() + a.slot_begin + a.slot_count);
      cold.insert(cold.end(), m.slots_cold.begin() + a.slot_begin,
                  m.slots_cold.begin() + a.slot_begin + a.slot_count);
      a.slot_begin = begin;
    }
    m.slots_hot = std::move(hot);
    m.slots_cold = std::move(cold);
    m.slots_garbage = 0;
  }

  auto& acc = m.aave_accounts[rec];
  acc = AaveAccount{};
  acc.bitmap = user.config.bitmap;
  acc.emode = user.emode_category;
  acc.covered = bitmap_covered(user.config.bitmap, user.reserves) && user.reserves.size() <= 255;
  acc.slot_begin = static_cast<std::uint32_t>(m.slots_hot.size());
  acc.slot_count = static_cast<std::uint8_t>(std::min<std::size_t>(user.reserves.size(), 255));
  for (std::size_t i = 0; i < acc.slot_count; ++i) {
    const auto& r = user.reserves[i];
    AaveSlotHot hot;
    hot.reserve_id = r.reserve_id;
    hot.flags = static_cast<std::uint8_t>((user.config.is_using_as_collateral(r.reserve_id) ? kCollateral : 0) |
                                          (user.config.is_borrowing(r.reserve_id) ? kBorrowing : 0));
    m.slots_hot.push_back(hot);
    m.slots_cold.push_back(r);
  }
  const auto id = m.allocate_position(key, rec);
  acc.position = id;
  m.add_aave_exposures(id);
  m.refresh_aave_balances(acc);
  m.evaluate_aave(id);
  m.evaluate_aave_usd(id);
}

const aave::MarketSnapshot& PositionBook::aave_market() const noexcept { return impl_->aave_market; }

std::optional<aave::UserState> PositionBook::aave_user(const Address& account) const {
  const auto& m = *impl_;
  auto it = m.index.find(PositionKey{Protocol::aave_v3, account, {}});
  if (it == m.index.end()) return std::nullopt;
  return m.rebuild_user(m.aave_accounts[m.record[it->second]]);
}

std::optional<aave::AccountData> PositionBook::aave_account_data(const Address& account) const {
  const auto& m = *impl_;
  auto it = m.index.find(PositionKey{Protocol::aave_v3, account, {}});
  if (it == m.index.end() || (m.flags[it->second] & kError)) return std::nullopt;
  const auto& acc = m.aave_accounts[m.record[it->second]];
  return aave::AccountData{acc.total_collateral_base, acc.total_debt_base, U256{acc.avg_ltv_bps},
                           U256{acc.avg_lt_bps}, m.health_factor[it->second], acc.has_zero_ltv_collateral};
}

}  // namespace sluice::book
