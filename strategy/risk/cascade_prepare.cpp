// The cascade engine's preparation: the crossing orders of every tracked asset (falls and rises), the sale
// routes, the Morpho markets' oracle links, the Aave tables, and the positions' initial copies (cascade_prepared.hpp).
#include "strategy/risk/cascade_prepared.hpp"

#include "chain/fixed_point.hpp"
#include "strategy/aave/math.hpp"
#include "strategy/risk/cascade_detail.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::risk::detail {
namespace {

/// True when what `a` is sold for is itself sold back for `a` (a two-way pair: neither is tracked as sold). An
/// asset with no route (e.g. the stablecoin sales end in) is never sold back, whatever its default `out` says.
template <class Routes>
bool sold_back(const Routes& routes, book::AssetId a) {
  const auto& out = routes[routes[a].out];
  return out.sold && out.out == a;
}

U256 pow10(unsigned n) {
  U256 r{1};
  for (unsigned i = 0; i < n; ++i) r = r * U256{10};
  return r;
}

/// Position indexes by row of the book's view while the orders are built: a row gets its index (and its key in
/// Prepared::keys) the first time an order, or the list of unreached positions, takes it.
class Rows {
 public:
  Rows(Prepared& p, const std::vector<book::PositionView>& views)
      : p_(p), views_(views), pos_of_row_(views.size(), kNone) {}
  /// The row's position index, given now if it had none.
  std::uint32_t take(std::uint32_t row) {
    if (pos_of_row_[row] == kNone) {
      pos_of_row_[row] = static_cast<std::uint32_t>(p_.keys.size());
      p_.keys.push_back(views_[row].key);
      row_of_pos_.push_back(row);
    }
    return pos_of_row_[row];
  }
  /// The row's position index, if it has one.
  std::optional<std::uint32_t> find(std::uint32_t row) const {
    if (pos_of_row_[row] == kNone) return std::nullopt;
    return pos_of_row_[row];
  }
  std::uint32_t row_of(std::uint32_t pos) const { return row_of_pos_[pos]; }

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  Prepared& p_;
  const std::vector<book::PositionView>& views_;
  std::vector<std::uint32_t> pos_of_row_;
  std::vector<std::uint32_t> row_of_pos_;
};

/// Per watched asset, the rise order's entries with their rows, before index_rises() orders them.
using RiseRows = std::vector<std::vector<RowCrossing>>;

/// The Aave positions' visit prices (needs the snapshot and the reserve tables): each entry of the fall orders moves
/// up to where the engine must start looking at it (aave_crossing's visit price: the book's closed-form crossing
/// can be late by the floor of the average liquidation threshold), and `rises` gets every borrower of a watched
/// asset that is net debt in it, at its visit price on a rise (index_rises() then orders them).
/// With `copy_of_row` (one slot per row), the copy of each Aave position built on the way is kept as its initial
/// copy: appended to p.initial, its index there in the slot of its row.
void add_aave_visits(Prepared& p, const std::vector<book::PositionView>& views, const Rows& rows, RiseRows& rises,
                     std::vector<std::uint32_t>* copy_of_row) {
  const std::size_t watched = p.watched.size();
  // Per watched asset, per position index of the fall orders: the visit price (negative: none).
  std::vector<std::vector<double>> fall_visit(watched, std::vector<double>(p.keys.size(), -1.0));
  const auto holds = [](const std::vector<book::Holding>& side, book::AssetId t) {
    return std::any_of(side.begin(), side.end(), [t](const book::Holding& h) { return h.asset == t; });
  };
  Work scratch;
  for (std::uint32_t row = 0; row < views.size(); ++row) {
    const auto& v = views[row];
    if (!v.error.empty() || v.key.protocol != Protocol::aave_v3) continue;
    bool any = false;
    for (const auto t : p.watched) any = any || (p.aave_reserve[t] && (holds(v.debt, t) || holds(v.collateral, t)));
    if (!any) continue;
    auto user = p.book->aave_user(v.key.account);
    if (!user) continue;
    // Built in place when kept (a Work is large), otherwise in a scratch copy.
    const bool keep = copy_of_row != nullptr;
    if (keep) (*copy_of_row)[row] = static_cast<std::uint32_t>(p.initial.size());
    Work& w = keep ? p.initial.emplace_back() : scratch;
    w.is_aave = true;
    w.user = std::move(*user);
    set_terms(p, p.snapshot, w);
    const auto known = rows.find(row);
    for (std::size_t k = 0; k < watched; ++k) {
      const auto t = p.watched[k];
      if (!p.aave_reserve[t]) continue;
      const auto cross = aave_crossing(p, p.snapshot, w, t);
      if (!cross) continue;
      if (cross->below && known) fall_visit[k][*known] = cross->visit_usd;
      if (!cross->below && holds(v.debt, t))
        rises[k].push_back({{v.key, cross->visit_usd, v.debt_usd, v.collateral_usd}, row});
    }
  }
  for (std::size_t k = 0; k < watched; ++k) {
    // The fall order by visit price (never above the current price: an entry there is due in the first round).
    const double current = e8(p.usd0[p.watched[k]]);
    std::vector<std::pair<Crossing, std::uint32_t>> fall;
    for (std::size_t i = 0; i < p.orders[k].size(); ++i) {
      auto c = p.orders[k][i];
      const auto pos = p.order_ids[k][i];
      c.price_usd = std::min(current, std::max(c.price_usd, fall_visit[k][pos]));
      fall.emplace_back(std::move(c), pos);
    }
    // view() is sorted by health factor with deterministic ties; a stable sort keeps that order among equal prices.
    std::stable_sort(fall.begin(), fall.end(),
                     [](const auto& a, const auto& b) { return a.first.price_usd > b.first.price_usd; });
    for (std::size_t i = 0; i < fall.size(); ++i) p.orders[k][i] = std::move(fall[i].first), p.order_ids[k][i] = fall[i].second;
  }
}

/// Reorders p.initial (and p.initial_of) as a run first reaches the copies: the fall orders, the rise orders, then
/// the rest. A run copies positions in about that order, so its reads of the copies go nearly in sequence; each
/// user's reserve list is copied anew, so that the lists are allocated in that order too. Only memory moves.
void lay_out_in_visit_order(Prepared& p) {
  constexpr std::uint32_t kNotPlaced = 0xFFFFFFFFu;
  std::vector<std::uint32_t> placed_at(p.initial.size(), kNotPlaced);
  std::vector<Work> laid;
  laid.reserve(p.initial.size());
  const auto place = [&](std::uint32_t pos) {
    const auto from = p.initial_of[pos];
    if (placed_at[from] != kNotPlaced) return;
    placed_at[from] = static_cast<std::uint32_t>(laid.size());
    laid.push_back(p.initial[from]);
  };
  for (const auto& ids : p.order_ids)
    for (const auto pos : ids) place(pos);
  for (const auto& ids : p.order_up_ids)
    for (const auto pos : ids) place(pos);
  for (std::uint32_t pos = 0; pos < p.initial_of.size(); ++pos) place(pos);
  for (auto& copy : p.initial_of) copy = placed_at[copy];
  p.initial = std::move(laid);
}

/// `rises` gets every Morpho position of a market that lends a watched asset (its collateral another asset):
/// a rise of the loan token lowers the market's oracle and crosses it (morpho_crossing, at the book's state
/// accrued to its clock and the market's oracle price).
void add_morpho_rises(Prepared& p, const std::vector<book::PositionView>& views, RiseRows& rises) {
  const auto& book = *p.book;
  std::unordered_map<morpho::MarketId, morpho::MarketState> accrued_states;  // accrued once per market
  for (std::uint32_t row = 0; row < views.size(); ++row) {
    const auto& v = views[row];
    if (!v.error.empty() || v.key.protocol != Protocol::morpho_blue) continue;
    const auto* m = book.morpho_market(v.key.market);
    const auto* position = book.morpho_position(v.key.market, v.key.account);
    if (m == nullptr || position == nullptr) continue;
    const auto loan = book.find_asset(m->params.loan_token);
    const auto collateral = book.find_asset(m->params.collateral_token);
    if (!loan || !collateral) continue;
    const auto k = std::find(p.watched.begin(), p.watched.end(), *loan) - p.watched.begin();
    if (static_cast<std::size_t>(k) == p.watched.size()) continue;
    auto state = accrued_states.find(m->id);
    if (state == accrued_states.end()) {
      auto accrued = morpho::accrue_interest(m->state, m->borrow_rate, book.timestamp());
      state = accrued_states.emplace(m->id, accrued ? *accrued : m->state).first;
    }
    const auto cross = morpho_crossing(m->params, state->second, *position, m->oracle_price, *collateral, *loan,
                                       *loan, e8(p.usd0[*loan]));
    if (cross && !cross->below) rises[k].push_back({{v.key, cross->visit_usd, v.debt_usd, v.collateral_usd}, row});
  }
}

/// Orders every rise order by visit price (lowest first; the book's view order among equal prices) into
/// p.orders_up, and gives each entry its position index, adding new positions to p.keys.
void index_rises(Prepared& p, RiseRows& rises, Rows& rows) {
  for (std::size_t k = 0; k < rises.size(); ++k) {
    auto& order = rises[k];
    std::stable_sort(order.begin(), order.end(), [](const RowCrossing& a, const RowCrossing& b) {
      return a.crossing.price_usd < b.crossing.price_usd;
    });
    for (auto& c : order) {
      p.order_up_ids[k].push_back(rows.take(c.row));
      p.orders_up[k].push_back(std::move(c.crossing));
    }
  }
}

}  // namespace


Result<Prepared> prepare(const book::PositionBook& book, const MarketModel& model, book::AssetId asset,
                         const std::vector<book::AssetId>& moved, bool initial_copies) {
  if (asset >= book.asset_count()) return CascadeError::unknown_asset;
  Prepared p;
  p.book = &book;
  p.model = &model;
  p.asset = asset;
  p.usd0.resize(book.asset_count());
  p.aave_reserve.resize(book.asset_count());
  p.aave_price0.resize(book.asset_count());
  for (book::AssetId a = 0; a < book.asset_count(); ++a) {
    p.usd0[a] = detail::usd_price_e8(book, a);
    p.aave_reserve[a] = detail::aave_reserve_of(book, a);
    if (p.aave_reserve[a]) p.aave_price0[a] = book.aave_market().prices[*p.aave_reserve[a]];
  }
  if (p.usd0[asset].is_zero()) return CascadeError::no_price;
  // Sale routes per asset.
  p.routes.resize(book.asset_count());
  for (book::AssetId a = 0; a < book.asset_count(); ++a) {
    const auto& addr = book.asset(a).address;
    std::optional<book::AssetId> out;
    for (const auto& [from, to] : model.sell_for)
      if (from == a) out = to;
    if (!out && !model.sell_only_listed) {
      U256 deepest;
      for (const auto& pool : model.pools) {
        const bool is0 = pool.token0 == addr, is1 = pool.token1 == addr;
        if (!is0 && !is1) continue;
        const auto& other = is0 ? pool.token1 : pool.token0;
        const auto& reserve = is0 ? pool.reserve0 : pool.reserve1;
        auto id = book.find_asset(other);
        if (id && reserve > deepest) deepest = reserve, out = *id;
      }
    }
    if (!out) continue;
    const auto& out_addr = book.asset(*out).address;
    for (std::size_t i = 0; i < model.pools.size(); ++i) {
      const auto& pool = model.pools[i];
      if ((pool.token0 == addr && pool.token1 == out_addr) || (pool.token1 == addr && pool.token0 == out_addr))
        p.routes[a].pools.push_back(i);
    }
    p.routes[a].out = *out;
    p.routes[a].sold = !p.routes[a].pools.empty();
  }
  if (model.liquidator.sell_seized_collateral && !p.routes[asset].sold) return CascadeError::no_pool;
  if (model.venue && !(model.venue_share >= 0.0 && model.venue_share <= 1.0)) return CascadeError::bad_venue;
  p.tracked.push_back(asset);
  if (model.liquidator.sell_seized_collateral)
    for (book::AssetId a = 0; a < book.asset_count(); ++a)
      if (a != asset && p.routes[a].sold && !p.usd0[a].is_zero() && !sold_back(p.routes, a)) p.tracked.push_back(a);
  p.watched = p.tracked;
  for (const auto a : moved)
    if (a < book.asset_count() && !p.usd0[a].is_zero() &&
        std::find(p.watched.begin(), p.watched.end(), a) == p.watched.end())
      p.watched.push_back(a);
  // One view of the book for every watched asset's crossing order.
  const auto views = book.view(detail::crossing_filter());
  Rows rows(p, views);
  for (auto t : p.watched) {
    auto& order = p.orders.emplace_back();
    auto& ids = p.order_ids.emplace_back();
    for (auto& c : detail::row_crossings(views, book, t, 0.0)) {
      ids.push_back(rows.take(c.row));
      order.push_back(std::move(c.crossing));
    }
  }
  // Indexes accrued once: with last_update = the clock, normalized income and debt return the stored index, which
  // is exactly the value they would compute (the same numbers, without the interest math on every call).
  p.snapshot = book.aave_market();
  for (auto& r : p.snapshot.reserves) {
    auto income = aave::normalized_income(r, p.snapshot.timestamp);
    auto debt = aave::normalized_debt(r, p.snapshot.timestamp);
    if (!income || !debt || r.last_update_timestamp > p.snapshot.timestamp) continue;
    r.liquidity_index = *income;
    r.variable_borrow_index = *debt;
    r.last_update_timestamp = p.snapshot.timestamp;
  }
  for (const auto& r : p.snapshot.reserves) {
    p.reserve_unit.push_back(pow10(r.config.decimals));
    p.reserve_unit_d.push_back(std::pow(10.0, r.config.decimals));
    p.reserve_asset.push_back(book.find_asset(r.asset).value_or(0));
    p.income_d.push_back(to_double(r.liquidity_index) / 1e27);
    p.debt_index_d.push_back(to_double(r.variable_borrow_index) / 1e27);
    p.usable_d.push_back(r.last_update_timestamp == p.snapshot.timestamp && r.asset != Address{});
    const auto divisor = [](const U256& index) {
      return fits128(index) && !index.is_zero() ? std::optional<RayDivisor>{to128(index)} : std::nullopt;
    };
    p.income_divisor.push_back(divisor(r.liquidity_index));
    p.debt_divisor.push_back(divisor(r.variable_borrow_index));
  }
  p.orders_up.assign(p.watched.size(), {});
  p.order_up_ids.assign(p.watched.size(), {});
  RiseRows rises(p.watched.size());
  constexpr std::uint32_t kNoCopy = 0xFFFFFFFFu;
  std::vector<std::uint32_t> copy_of_row(initial_copies ? views.size() : 0, kNoCopy);
  if (initial_copies) p.initial.reserve(views.size());  // at most one copy per row
  add_aave_visits(p, views, rows, rises, initial_copies ? &copy_of_row : nullptr);
  add_morpho_rises(p, views, rises);
  index_rises(p, rises, rows);
  for (std::uint32_t row = 0; row < views.size(); ++row) {
    const auto& v = views[row];
    if (!v.error.empty() || !v.liquidatable || rows.find(row)) continue;
    p.unreached.push_back(rows.take(row));
  }
  p.exposures.resize(p.keys.size());
  for (std::uint32_t row = 0; row < views.size(); ++row) {
    const auto& v = views[row];
    const auto pos = rows.find(row);
    if (!pos) continue;
    auto& exposures = p.exposures[*pos];
    const auto add = [&](const book::Holding& h, bool collateral) {
      auto e = std::find_if(exposures.begin(), exposures.end(), [&](const Exposure& x) { return x.asset == h.asset; });
      if (e == exposures.end()) e = exposures.insert(exposures.end(), Exposure{h.asset, false, false});
      (collateral ? e->collateral : e->debt) = true;
    };
    for (const auto& h : v.collateral) add(h, true);
    for (const auto& h : v.debt) add(h, false);
  }
  for (std::uint32_t pos = 0; pos < p.exposures.size(); ++pos)
    if (p.exposures[pos].size() >= 2) p.multi_exposed.push_back(pos);
  for (const auto& key : p.keys) {
    if (key.protocol != Protocol::morpho_blue || p.market_index.contains(key.market)) continue;
    const auto* m = book.morpho_market(key.market);
    if (!m) continue;
    MarketLink link;
    link.id = m->id;
    link.params = m->params;
    auto accrued = morpho::accrue_interest(m->state, m->borrow_rate, book.timestamp());
    link.accrued = accrued ? *accrued : m->state;
    link.oracle0 = m->oracle_price;
    link.lif = morpho::liquidation_incentive_factor(m->params.lltv);
    link.collateral = book.find_asset(m->params.collateral_token).value_or(0);
    link.loan = book.find_asset(m->params.loan_token).value_or(0);
    const unsigned ld = book.asset(link.loan).decimals, cd = book.asset(link.collateral).decimals;
    if (36 + ld >= cd && !p.usd0[link.loan].is_zero()) {
      link.feed_scale = pow10(36 + ld - cd);
      // The devnet's FeedRatioOracle: collateralUsd * scale / loanUsd. Used only when it reproduces the oracle's
      // current price from the book's USD prices; otherwise the oracle price is scaled with the USD prices.
      if (auto f = checked_mul_div_down(p.usd0[link.collateral], link.feed_scale, p.usd0[link.loan]);
          f && *f == m->oracle_price)
        link.feed_ratio = true;
    }
    p.market_index.emplace(link.id, static_cast<std::uint32_t>(p.markets.size()));
    p.markets.push_back(link);
  }
  p.simulated.resize(p.keys.size());
  for (std::size_t pos = 0; pos < p.keys.size(); ++pos)
    p.simulated[pos] = p.keys[pos].protocol == Protocol::aave_v3 || p.market_index.contains(p.keys[pos].market);
  if (initial_copies) {
    // Every position's initial copy: the Aave ones add_aave_visits built, the others from the book.
    p.initial_of.resize(p.keys.size());
    for (std::uint32_t pos = 0; pos < p.keys.size(); ++pos) {
      auto copy = copy_of_row[rows.row_of(pos)];
      if (copy == kNoCopy) {
        copy = static_cast<std::uint32_t>(p.initial.size());
        initial_copy(p, pos, p.initial.emplace_back());
      }
      p.initial[copy].pos = pos;
      p.initial_of[pos] = copy;
    }
    lay_out_in_visit_order(p);
  }
  return p;
}

void initial_copy(const Prepared& p, std::uint32_t pos, Work& w) {
  const auto& key = p.keys[pos];
  w.pos = pos;
  w.state = Work::State::active;
  w.market = 0;
  w.terms_usable = false;
  w.is_aave = key.protocol == Protocol::aave_v3;
  if (w.is_aave) {
    w.user = p.book->aave_user(key.account).value_or(aave::UserState{});
    set_terms(p, p.snapshot, w);
    return;
  }
  const auto* position = p.book->morpho_position(key.market, key.account);
  w.position = position ? *position : morpho::Position{};
  auto it = p.market_index.find(key.market);
  w.market = it == p.market_index.end() ? 0 : it->second;
}

}  // namespace sluice::risk::detail
