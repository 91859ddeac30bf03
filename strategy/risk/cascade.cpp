// The cascade engine: see cascade.hpp for the model and the exact order of events in a round.
#include "strategy/risk/cascade.hpp"

#include "chain/fixed_point.hpp"
#include "strategy/aave/liquidation_price.hpp"
#include "strategy/aave/math.hpp"
#include "strategy/morpho/liquidation_price.hpp"
#include "strategy/morpho/math.hpp"
#include "strategy/risk/cascade_detail.hpp"
#include "strategy/risk/numeric.hpp"
#include "strategy/risk/route.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <queue>
#include <unordered_map>

namespace sluice::risk {
namespace {

const U256 kE8{100'000'000ULL};
const U256 kWadU{1'000'000'000'000'000'000ULL};
const U256 kBps{10'000};
/// Candidates are visited from a little above their closed-form crossing (which ignores the truncation of Aave's
/// average liquidation threshold, ~1e-4 relative); the exact math then decides.
constexpr double kVisitTolerance = 2e-3;

/// The value of a Result or optional, zero on failure (the callers treat a failed read as an empty balance).
template <class R>
U256 or_zero(const R& r) {
  return r ? *r : U256{};
}

double e8(const U256& v) { return to_double(v) / 1e8; }

U256 pow10(unsigned n) {
  U256 r{1};
  for (unsigned i = 0; i < n; ++i) r = r * U256{10};
  return r;
}

/// How a Morpho market's oracle follows the shocked asset's USD price.
struct MarketLink {
  morpho::MarketId id;
  morpho::MarketParams params;
  morpho::MarketState accrued;  ///< accrued to the book's clock
  U256 oracle0;
  book::AssetId collateral = 0, loan = 0;
  enum class Kind { fixed, feed_ratio, scaled_collateral, scaled_loan } kind = Kind::fixed;
  U256 feed_scale;  ///< 10^(36 + loan decimals - collateral decimals)
  U256 loan_usd;    ///< e8
};

/// Sale routing of one asset: the pools that trade it against what it is sold for.
struct SaleRoute {
  bool sold = false;
  book::AssetId out = 0;
  std::vector<std::size_t> pools;  ///< indexes into MarketModel::pools
};

/// Work reused by every grid point: the crossing order, the markets, the routes, and the initial state of every
/// position the engine has touched.
struct Prepared {
  const book::PositionBook* book = nullptr;
  const MarketModel* model = nullptr;
  book::AssetId asset = 0;
  U256 q0;  ///< e8 USD price of the asset before the shock
  std::vector<Crossing> order;
  std::optional<std::uint16_t> aave_reserve;
  U256 aave_price0;
  std::vector<MarketLink> markets;
  std::unordered_map<morpho::MarketId, std::uint32_t> market_index;
  std::vector<SaleRoute> routes;  ///< per asset id
  std::vector<U256> usd0;         ///< e8 per asset id
  // Lazily filled initial states (index = position in `order`).
  std::vector<std::optional<aave::UserState>> aave_users;
  std::vector<std::optional<morpho::Position>> morpho_positions;
};

Result<Prepared> prepare(const book::PositionBook& book, const MarketModel& model, book::AssetId asset) {
  if (asset >= book.asset_count()) return CascadeError::unknown_asset;
  Prepared p;
  p.book = &book;
  p.model = &model;
  p.asset = asset;
  p.q0 = detail::usd_price_e8(book, asset);
  if (p.q0 == U256{}) return CascadeError::no_price;
  p.usd0.resize(book.asset_count());
  for (book::AssetId a = 0; a < book.asset_count(); ++a) p.usd0[a] = detail::usd_price_e8(book, a);
  p.order = crossings(book, asset, 0.0);
  p.aave_users.resize(p.order.size());
  p.morpho_positions.resize(p.order.size());
  p.aave_reserve = detail::aave_reserve_of(book, asset);
  if (p.aave_reserve) p.aave_price0 = book.aave_market().prices[*p.aave_reserve];
  for (const auto& c : p.order) {
    if (c.key.protocol != Protocol::morpho_blue || p.market_index.contains(c.key.market)) continue;
    const auto* m = book.morpho_market(c.key.market);
    if (!m) continue;
    MarketLink link;
    link.id = m->id;
    link.params = m->params;
    auto accrued = morpho::accrue_interest(m->state, m->borrow_rate, book.timestamp());
    link.accrued = accrued ? *accrued : m->state;
    link.oracle0 = m->oracle_price;
    link.collateral = book.find_asset(m->params.collateral_token).value_or(0);
    link.loan = book.find_asset(m->params.loan_token).value_or(0);
    if (link.collateral == asset) {
      const unsigned ld = book.asset(link.loan).decimals, cd = book.asset(link.collateral).decimals;
      link.loan_usd = p.usd0[link.loan];
      link.kind = MarketLink::Kind::scaled_collateral;
      if (36 + ld >= cd && link.loan_usd != U256{}) {
        link.feed_scale = pow10(36 + ld - cd);
        // The devnet's FeedRatioOracle: collateralUsd * scale / loanUsd. Used only when it reproduces the oracle's
        // current price from the book's USD prices; otherwise the oracle price is scaled with the asset's.
        if (auto f = checked_mul_div_down(p.q0, link.feed_scale, link.loan_usd); f && *f == m->oracle_price)
          link.kind = MarketLink::Kind::feed_ratio;
      }
    } else if (link.loan == asset) {
      link.kind = MarketLink::Kind::scaled_loan;
    }
    p.market_index.emplace(link.id, static_cast<std::uint32_t>(p.markets.size()));
    p.markets.push_back(link);
  }
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
  if (model.liquidator.sell_seized_collateral && !p.routes[asset].sold && !model.venue)
    return CascadeError::no_pool;
  return p;
}

/// A position under simulation: a private copy of its protocol state.
struct Work {
  std::uint32_t order_index = 0;
  bool is_aave = true;
  aave::UserState user;
  std::uint32_t market = 0;
  morpho::Position position;
};

struct HeapEntry {
  double price;
  std::uint32_t work;
  bool operator<(const HeapEntry& o) const { return price < o.price || (price == o.price && work > o.work); }
};

class Run {
 public:
  Run(Prepared& p, const Shock& shock, bool keep_lists) : p_(p), shock_(shock), keep_lists_(keep_lists) {}
  Result<CascadeResult> go();

 private:
  Prepared& p_;
  const Shock& shock_;
  bool keep_lists_;
  aave::MarketSnapshot snapshot_;
  std::vector<morpho::MarketState> states_;
  std::vector<U256> morpho_oracle_;
  std::vector<Pool> pools_;
  std::vector<double> usd_;  ///< whole-token USD per asset at the current oracle
  std::vector<Work> work_;
  std::vector<std::uint32_t> active_;
  std::priority_queue<HeapEntry> heap_;
  std::size_t next_ = 0;
  std::vector<U256> pending_;  ///< per asset: seized last round, to sell this round
  std::vector<U256> unsold_;   ///< per asset: seized and never sold (no route)
  std::vector<bool> liquidated_once_;
  CascadeResult result_;

  void set_oracle(const U256& q);
  double market_price() const;
  Result<void> sell(CascadeRound& round);
  void visit(double oracle_usd);
  std::uint32_t materialize(std::uint32_t order_index);
  bool liquidatable(const Work& w) const;
  /// One liquidation call; returns false when the position is finished (no debt, or no collateral).
  bool liquidate(Work& w, CascadeRound& round, double oracle_usd);
  std::optional<double> next_crossing(const Work& w) const;
};

void Run::set_oracle(const U256& q) {
  if (p_.aave_reserve) {
    if (auto v = checked_mul_div_down(p_.aave_price0, q, p_.q0)) snapshot_.prices[*p_.aave_reserve] = *v;
  }
  for (std::size_t i = 0; i < p_.markets.size(); ++i) {
    const auto& m = p_.markets[i];
    std::optional<U256> v;
    switch (m.kind) {
      case MarketLink::Kind::fixed: v = m.oracle0; break;
      case MarketLink::Kind::feed_ratio: v = checked_mul_div_down(q, m.feed_scale, m.loan_usd); break;
      case MarketLink::Kind::scaled_collateral: v = checked_mul_div_down(m.oracle0, q, p_.q0); break;
      case MarketLink::Kind::scaled_loan: v = q == U256{} ? std::optional<U256>{} : checked_mul_div_down(m.oracle0, p_.q0, q); break;
    }
    if (v) morpho_oracle_[i] = *v;
  }
  usd_[p_.asset] = e8(q);
}

double Run::market_price() const {
  const auto& r = p_.routes[p_.asset];
  if (!r.sold) return 0.0;
  std::vector<PoolSide> sides;
  for (auto i : r.pools)
    if (auto s = orient(pools_[i], p_.book->asset(p_.asset).address)) sides.push_back(*s);
  return arbitrage_price(sides) * usd_[r.out];
}

std::uint32_t Run::materialize(std::uint32_t order_index) {
  Work w;
  w.order_index = order_index;
  const auto& key = p_.order[order_index].key;
  if (key.protocol == Protocol::aave_v3) {
    auto& cached = p_.aave_users[order_index];
    if (!cached) cached = p_.book->aave_user(key.account).value_or(aave::UserState{});
    w.user = *cached;
  } else {
    w.is_aave = false;
    auto& cached = p_.morpho_positions[order_index];
    if (!cached) {
      const auto* pos = p_.book->morpho_position(key.market, key.account);
      cached = pos ? *pos : morpho::Position{};
    }
    w.position = *cached;
    auto it = p_.market_index.find(key.market);
    w.market = it == p_.market_index.end() ? 0 : it->second;
  }
  work_.push_back(std::move(w));
  return static_cast<std::uint32_t>(work_.size() - 1);
}

void Run::visit(double oracle_usd) {
  const double bar = oracle_usd * (1.0 - kVisitTolerance);
  while (next_ < p_.order.size() && p_.order[next_].price_usd >= bar) {
    if (p_.order[next_].key.protocol == Protocol::aave_v3 || p_.market_index.contains(p_.order[next_].key.market))
      active_.push_back(materialize(static_cast<std::uint32_t>(next_)));
    ++next_;
  }
  while (!heap_.empty() && heap_.top().price >= bar) {
    active_.push_back(heap_.top().work);
    heap_.pop();
  }
}

bool Run::liquidatable(const Work& w) const {
  if (w.is_aave) {
    auto d = aave::account_data(snapshot_, w.user);
    return d && d->total_debt_base != U256{} && d->health_factor < kWadU;
  }
  const auto& m = p_.markets[w.market];
  if (w.position.borrow_shares == U256{}) return false;
  auto h = morpho::is_healthy(m.params, states_[w.market], w.position, morpho_oracle_[w.market]);
  return h && !*h;
}

std::optional<double> Run::next_crossing(const Work& w) const {
  if (w.is_aave) {
    if (!p_.aave_reserve) return std::nullopt;
    auto lp = aave::liquidation_price(snapshot_, w.user, *p_.aave_reserve);
    if (!lp || !*lp || !(*lp)->liquidatable_below) return std::nullopt;
    // Oracle price of the reserve -> USD price of the asset (the engine moves them in proportion).
    return static_cast<double>((*lp)->price) * e8(p_.q0) / to_double(p_.aave_price0);
  }
  const auto& m = p_.markets[w.market];
  auto lp = morpho::liquidation_price(m.params, states_[w.market], w.position);
  if (!lp || !*lp || **lp == U256::max()) return std::nullopt;
  if (m.kind == MarketLink::Kind::fixed || m.kind == MarketLink::Kind::scaled_loan) return std::nullopt;
  // The oracle is proportional to the asset's USD price (exactly so for a FeedRatioOracle up to its flooring).
  return to_double(**lp) / to_double(m.oracle0) * e8(p_.q0);
}

/// Applies an Aave liquidation's token movements to the user's scaled balances, as the tokens' burns do
/// (ScaledBalanceTokenBase._burn / AToken.transferOnLiquidation: amount.rayDiv(index), half up; variable debt is
/// burnt first, then stable (LiquidationLogic._burnDebtTokens)), and clears the configuration bits when a balance
/// reaches zero.
void apply_aave(const aave::MarketSnapshot& s, aave::UserState& u, std::uint16_t coll, std::uint16_t debt,
                const aave::LiquidationOutcome& out) {
  for (auto& r : u.reserves) {
    if (r.reserve_id == coll) {
      const auto income = aave::normalized_income(s.reserves[coll], s.timestamp);
      if (income) {
        const U256 burn = ray_div_half_up(out.collateral_to_liquidator, *income).value_or(U256{}) +
                          ray_div_half_up(out.protocol_fee, *income).value_or(U256{});
        r.scaled_a_token = saturating_sub(r.scaled_a_token, burn);
      }
      if (r.scaled_a_token == U256{}) u.config.bitmap = u.config.bitmap & ~(U256{2} << (2u * coll));
    }
    if (r.reserve_id == debt) {
      const auto index = aave::normalized_debt(s.reserves[debt], s.timestamp);
      if (!index) continue;
      const U256 variable = ray_mul_half_up(r.scaled_variable_debt, *index).value_or(U256{});
      if (variable >= out.debt_repaid) {
        r.scaled_variable_debt = saturating_sub(r.scaled_variable_debt, ray_div_half_up(out.debt_repaid, *index).value_or(U256{}));
      } else {
        const U256 rest = out.debt_repaid - variable;
        r.scaled_variable_debt = U256{};
        const U256 stable = or_zero(aave::stable_debt_balance(r.stable_debt, s.timestamp));
        r.stable_debt.principal = saturating_sub(stable, rest);
        r.stable_debt.last_updated = s.timestamp;
      }
      if (r.scaled_variable_debt == U256{} && r.stable_debt.principal == U256{})
        u.config.bitmap = u.config.bitmap & ~(U256{1} << (2u * debt));
    }
  }
}

double usd_of(const std::vector<double>& usd, const book::PositionBook& b, book::AssetId a, const U256& amount) {
  return to_units(amount, b.asset(a).decimals) * usd[a];
}

bool Run::liquidate(Work& w, CascadeRound& round, double oracle_usd) {
  ModelLiquidation l;
  l.key = p_.order[w.order_index].key;
  const auto& b = *p_.book;
  if (w.is_aave) {
    // The devnet competitor's (and a simple rational liquidator's) choice: the largest debt by value, against the
    // largest enabled collateral by value, at the oracle's prices; as much as the close factor allows.
    std::optional<std::uint16_t> coll, debt;
    U256 best_c, best_d;
    for (const auto& r : w.user.reserves) {
      const auto& res = snapshot_.reserves[r.reserve_id];
      const U256 unit = pow10(res.config.decimals);
      const U256 price = snapshot_.prices[r.reserve_id];
      if (w.user.config.is_using_as_collateral(r.reserve_id)) {
        const U256 v = checked_mul_div_down(or_zero(aave::collateral_balance(snapshot_, r)), price, unit).value_or(U256{});
        if (v > best_c || !coll) best_c = v, coll = r.reserve_id;
      }
      if (w.user.config.is_borrowing(r.reserve_id)) {
        const U256 v = checked_mul_div_down(or_zero(aave::debt_balance(snapshot_, r)), price, unit).value_or(U256{});
        if (v > best_d || !debt) best_d = v, debt = r.reserve_id;
      }
    }
    if (!coll || !debt) return false;
    auto out = aave::liquidation(snapshot_, w.user, {*coll, *debt, U256::max()});
    if (!out) return false;
    apply_aave(snapshot_, w.user, *coll, *debt, *out);
    l.collateral = b.find_asset(snapshot_.reserves[*coll].asset).value_or(0);
    l.debt = b.find_asset(snapshot_.reserves[*debt].asset).value_or(0);
    l.debt_repaid = out->debt_repaid;
    l.collateral_seized = out->collateral_to_liquidator;
    l.protocol_fee = out->protocol_fee;
    auto after = aave::account_data(snapshot_, w.user);
    const bool has_debt = after && after->total_debt_base != U256{};
    const bool has_coll = after && after->total_collateral_base != U256{};
    if (has_debt && !has_coll) {
      // Debt left with no collateral: nobody can liquidate it any more; it is Aave's bad debt.
      U256 rest;
      for (const auto& r : w.user.reserves)
        if (w.user.config.is_borrowing(r.reserve_id) && r.reserve_id == *debt) rest = or_zero(aave::debt_balance(snapshot_, r));
      l.bad_debt = rest;
      result_.bad_debt_usd += to_double(after->total_debt_base) / to_double(snapshot_.base_currency_unit);
    }
    l.toxic = has_debt && (!has_coll || compare_products({after->total_debt_base, U256{out->liquidation_bonus_bps}},
                                                          {after->total_collateral_base, kBps}) > 0);
    if (!has_debt || !has_coll) {
      w.user.config.bitmap = U256{};
    }
  } else {
    const auto& m = p_.markets[w.market];
    auto out = morpho::liquidate_max(m.params, states_[w.market], w.position, morpho_oracle_[w.market]);
    if (!out) return false;
    states_[w.market] = out->state_after;
    w.position = out->position_after;
    l.collateral = m.collateral;
    l.debt = m.loan;
    l.debt_repaid = out->repaid_assets;
    l.collateral_seized = out->seized_assets;
    l.bad_debt = out->bad_debt_assets;
    result_.bad_debt_usd += usd_of(usd_, b, m.loan, out->bad_debt_assets);
    bool toxic = out->bad_debt_assets != U256{};
    if (!toxic && w.position.borrow_shares != U256{}) {
      const auto borrowed = or_zero(morpho::borrowed_assets(states_[w.market], w.position));
      const auto value = checked_mul_div_down(w.position.collateral, morpho_oracle_[w.market],
                                              pow10(36)).value_or(U256{});
      toxic = compare_products({U256{borrowed}, morpho::liquidation_incentive_factor(m.params.lltv)}, {U256{value}, kWadU}) > 0;
    }
    l.toxic = toxic;
  }
  l.debt_repaid_usd = usd_of(usd_, b, l.debt, l.debt_repaid);
  l.collateral_seized_usd = usd_of(usd_, b, l.collateral, l.collateral_seized);
  l.oracle_price_usd = l.collateral == p_.asset ? oracle_usd : usd_[l.collateral];
  round.debt_repaid_usd += l.debt_repaid_usd;
  result_.liquidations += 1;
  result_.liquidated_debt_usd += l.debt_repaid_usd;
  result_.liquidator_profit_usd += l.collateral_seized_usd - l.debt_repaid_usd;
  result_.toxic_liquidations += l.toxic ? 1 : 0;
  if (!liquidated_once_[w.order_index]) liquidated_once_[w.order_index] = true, ++result_.positions_liquidated;
  if (p_.model->liquidator.sell_seized_collateral && p_.routes[l.collateral].sold)
    pending_[l.collateral] = pending_[l.collateral] + l.collateral_seized;
  round.liquidations.push_back(std::move(l));
  if (w.is_aave) return w.user.config.bitmap != U256{};
  return w.position.borrow_shares != U256{} && w.position.collateral != U256{};
}

Result<void> Run::sell(CascadeRound& round) {
  const auto& b = *p_.book;
  for (book::AssetId a = 0; a < pending_.size(); ++a) {
    if (pending_[a] == U256{}) continue;
    const auto& r = p_.routes[a];
    std::vector<Pool> legs;
    for (auto i : r.pools) legs.push_back(pools_[i]);
    auto route = route_sale(legs, b.asset(a).address, b.asset(r.out).address, pending_[a]);
    if (!route) {
      unsold_[a] = unsold_[a] + pending_[a];
      pending_[a] = U256{};
      continue;
    }
    for (std::size_t k = 0; k < r.pools.size(); ++k) pools_[r.pools[k]] = route->legs[k].after;
    const double out_usd = usd_[r.out];
    double slip = 0.0;
    if (auto imp = onchain_impact(*route, out_usd)) {
      slip = imp->slippage_usd;
      if (a == p_.asset) round.slippage_bps = imp->slippage_bps;
    }
    const double sold_usd_at_oracle = usd_of(usd_, b, a, pending_[a]);
    const double proceeds = to_units(route->amount_out, b.asset(r.out).decimals) * out_usd;
    // Profit was booked at the oracle value when seized; the sale realises proceeds instead.
    result_.liquidator_profit_usd += proceeds - sold_usd_at_oracle;
    round.slippage_usd += slip;
    result_.slippage_usd += slip;
    result_.collateral_sold_usd += sold_usd_at_oracle;
    if (a == p_.asset) {
      round.collateral_sold = round.collateral_sold + pending_[a];
      round.collateral_sold_usd += sold_usd_at_oracle;
    }
    pending_[a] = U256{};
  }
  return {};
}

Result<CascadeResult> Run::go() {
  const auto& b = *p_.book;
  const auto& model = *p_.model;
  if (!(shock_.fraction > -1.0) || !std::isfinite(shock_.fraction)) return CascadeError::bad_shock;
  snapshot_ = b.aave_market();
  for (const auto& m : p_.markets) states_.push_back(m.accrued), morpho_oracle_.push_back(m.oracle0);
  pools_ = model.pools;
  usd_.resize(b.asset_count());
  for (book::AssetId a = 0; a < b.asset_count(); ++a) usd_[a] = e8(p_.usd0[a]);
  pending_.assign(b.asset_count(), U256{});
  unsold_.assign(b.asset_count(), U256{});
  liquidated_once_.assign(p_.order.size(), false);

  // The exogenous shock: the asset's market price (every pool trading it, moved along its constant product) and
  // its oracle move by `fraction`; other assets' oracles by beta * fraction (their pools are not moved).
  const double factor = 1.0 + shock_.fraction;
  for (auto i : p_.routes[p_.asset].pools) {
    auto& pool = pools_[i];
    const bool base0 = pool.token0 == b.asset(p_.asset).address;
    const long double r_in = to_long_double(base0 ? pool.reserve0 : pool.reserve1);
    const long double r_out = to_long_double(base0 ? pool.reserve1 : pool.reserve0);
    const long double k = r_in * r_out;
    const long double new_in = std::sqrt(k / (static_cast<long double>(factor) * r_out / r_in));
    const auto in = from_long_double(new_in), out = from_long_double(k / new_in);
    if (in && out) (base0 ? pool.reserve0 : pool.reserve1) = *in, (base0 ? pool.reserve1 : pool.reserve0) = *out;
  }
  for (const auto& [asset, beta] : shock_.betas) {
    if (asset >= b.asset_count() || asset == p_.asset) continue;
    const double f = 1.0 + beta * shock_.fraction;
    usd_[asset] *= f;
    const auto& addr = b.asset(asset).address;
    for (const auto& r : snapshot_.reserves)
      if (r.asset == addr && r.id < snapshot_.prices.size())
        snapshot_.prices[r.id] = from_double(to_double(snapshot_.prices[r.id]) * f).value_or(snapshot_.prices[r.id]);
  }
  const U256 q_shocked = from_double(std::round(to_double(p_.q0) * factor)).value_or(U256{});
  set_oracle(q_shocked);
  OracleCoupling coupling(model.coupling, q_shocked);
  result_.shock = shock_.fraction;
  result_.initial_price = e8(p_.q0);
  result_.shocked_price = e8(q_shocked);

  auto market_e8 = [&]() -> U256 {
    const double m = market_price();
    return m > 0.0 ? from_double(std::round(m * 1e8)).value_or(U256{}) : coupling.oracle_price();
  };
  std::vector<U256> history{market_e8()};  // market price at the end of each round, from the shock (round 0)
  const std::uint32_t latency = model.oracle_latency_blocks;
  const std::uint32_t idle_limit = latency + model.coupling.lag_blocks + 1;
  std::uint32_t idle = 0;
  std::uint32_t r = 1;
  for (; r <= model.max_rounds; ++r) {
    CascadeRound round;
    round.index = r;
    round.oracle_price_before = e8(coupling.oracle_price());
    round.market_price_before = e8(history.back());
    // (1) What was seized last round is sold now (the competitor's timing).
    bool sold_any = false;
    for (const auto& x : pending_) sold_any = sold_any || x != U256{};
    if (auto s = sell(round); !s) return s.error();
    // (2) Every position liquidatable at the oracle in force is liquidated once.
    visit(round.oracle_price_before);
    std::vector<std::uint32_t> still;
    for (auto id : active_) {
      auto& w = work_[id];
      if (!liquidatable(w)) {
        still.push_back(id);  // visited within the tolerance band; checked again next round
        continue;
      }
      std::uint32_t calls = 0;
      bool open = true;
      while (open && calls < std::max<std::uint32_t>(1, model.liquidator.max_calls_per_position_per_round) &&
             liquidatable(w)) {
        open = liquidate(w, round, round.oracle_price_before);
        ++calls;
      }
      if (!open || !model.liquidator.repeat_partial) continue;
      if (liquidatable(w)) {
        still.push_back(id);
      } else if (auto next = next_crossing(w)) {
        heap_.push({*next, id});
      }
    }
    active_ = std::move(still);
    const U256 m_after = market_e8();
    history.push_back(m_after);
    round.market_price_after = e8(m_after);
    // (3) The oracle posts the market price of `latency` blocks ago through the coupling; it applies next round.
    const U256 before = coupling.oracle_price();
    const auto& fed = history[history.size() - 1 > latency ? history.size() - 1 - latency : 0];
    const U256 q = coupling.on_block(fed);
    set_oracle(q);
    round.oracle_price_after = e8(q);
    const bool busy = sold_any || !round.liquidations.empty();
    if (busy) {
      if (!keep_lists_) round.liquidations.clear();
      result_.rounds.push_back(std::move(round));
    }
    bool pending = false;
    for (const auto& x : pending_) pending = pending || x != U256{};
    idle = (busy || pending || q != before) ? 0 : idle + 1;
    if (idle >= idle_limit) break;
  }
  result_.hit_round_limit = r > model.max_rounds;
  result_.final_price = e8(history.back());
  result_.final_oracle_price = e8(coupling.oracle_price());
  return std::move(result_);
}

}  // namespace

Result<CascadeResult> simulate_cascade(const book::PositionBook& book, const MarketModel& model, const Shock& shock) {
  auto p = prepare(book, model, shock.asset);
  if (!p) return p.error();
  Run run(*p, shock, true);
  return run.go();
}

Result<std::vector<CascadeResult>> cascade_grid(const book::PositionBook& book, const MarketModel& model,
                                                book::AssetId asset, double from, double to, double step) {
  if (!(step != 0.0) || !std::isfinite(step) || !std::isfinite(from) || !std::isfinite(to) ||
      (to - from) * step < 0.0)
    return CascadeError::bad_shock;
  const double span = (to - from) / step;
  if (span > 1e6) return CascadeError::bad_shock;
  const auto points = static_cast<std::size_t>(std::floor(span + 1e-9)) + 1;
  auto p = prepare(book, model, asset);
  if (!p) return p.error();
  std::vector<CascadeResult> out;
  out.reserve(points);
  for (std::size_t i = 0; i < points; ++i) {
    Shock s;
    s.asset = asset;
    s.fraction = from + static_cast<double>(i) * step;
    Run run(*p, s, false);
    auto r = run.go();
    if (!r) return r.error();
    out.push_back(std::move(*r));
  }
  return out;
}

}  // namespace sluice::risk
