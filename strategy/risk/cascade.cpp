// The cascade engine's runs (the rounds of one shock, and a grid of shocks on one preparation, cascade_prepare.cpp):
// see cascade.hpp for the model and the exact order of events in a round.
#include "strategy/risk/cascade.hpp"

#include "chain/fixed_point.hpp"
#include "strategy/aave/liquidation_price.hpp"
#include "strategy/aave/liquidation_steps.hpp"
#include "strategy/aave/math.hpp"
#include "strategy/morpho/liquidation_price.hpp"
#include "strategy/morpho/math.hpp"
#include "strategy/risk/cascade_account.hpp"
#include "strategy/risk/cascade_prepared.hpp"
#include "strategy/risk/numeric.hpp"
#include "strategy/risk/route.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <mutex>
#include <queue>
#include <system_error>
#include <thread>

namespace sluice::risk {
namespace {

const U256 kE8{100'000'000ULL};
const U256 kWadU{1'000'000'000'000'000'000ULL};
const U256 kBps{10'000};
/// Morpho's ORACLE_PRICE_SCALE, 1e36.
const U256 kOraclePriceScale = U256{1'000'000'000'000'000'000ULL} * U256{1'000'000'000'000'000'000ULL};
/// Candidates are visited from a little above their visit price (aave_crossing: the closed-form crossing moved by
/// its error bound), which covers the doubles' rounding; the exact math then decides.
constexpr double kVisitTolerance = 2e-3;
/// aave_crossing's bound on the floor of the average liquidation threshold, with this margin (1.5 bps, not 1).
constexpr double kAvgLtFloorMargin = 1.5;

using detail::aave_crossing;
using detail::CrossingPoint;
using detail::e8;
using detail::HealthTerm;
using detail::initial_copy;
using detail::kMaxHealthTerms;
using detail::or_zero;
using detail::prepare;
using detail::Prepared;
using detail::Work;

/// How many positions ahead of the one being decided the active loop prefetches: the position itself first, its
/// reserve list (behind a pointer in it) once the position has arrived.
constexpr std::size_t kPrefetchWork = 8, kPrefetchReserves = 4;

/// Prefetch hints for what deciding and liquidating a position reads first (hints only; no result depends on them):
/// the healthy shortcut's terms, the account terms a position of up to three reserves uses, and the user's
/// bitmap and reserve list (a Morpho position's state lies beyond; it is read without a hint).
void prefetch_work(const Work& w) {
  const char* base = reinterpret_cast<const char*>(&w);
  const char* end = reinterpret_cast<const char*>(&w.acct.terms[3]);
  for (const char* line = base; line < end; line += 64) __builtin_prefetch(line);
  const char* user = reinterpret_cast<const char*>(&w.user);
  __builtin_prefetch(user);
  __builtin_prefetch(user + 64);
}
void prefetch_reserves(const Work& w) {
  if (!w.is_aave || w.user.reserves.empty()) return;
  const char* reserves = reinterpret_cast<const char*>(w.user.reserves.data());
  const std::size_t bytes = w.user.reserves.size() * sizeof(aave::UserReserve);
  for (std::size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(reserves + offset);
}

}  // namespace

void detail::set_terms(const Prepared& p, const aave::MarketSnapshot& snapshot, Work& w) {
  // The factors of the original check below, computed once per balance change; the check multiplies them by the
  // price per unit in the same order, so it computes the very same doubles.
  w.terms_usable = false;
  w.term_count = 0;
  detail::account_terms(snapshot, w.user, w.acct);
  if (w.user.emode_category != 0) return;  // eMode prices and LTs: the exact math decides
  for (const auto& r : w.user.reserves) {
    const auto id = r.reserve_id;
    const bool coll = id < 128 && detail::bitmap_bit(w.user.config.bitmap, 2u * id + 1u);
    const bool borrow = id < 128 && detail::bitmap_bit(w.user.config.bitmap, 2u * id);
    if (!coll && !borrow) continue;
    if (id >= p.usable_d.size() || !p.usable_d[id] || !r.stable_debt.principal.is_zero()) return;
    if (w.term_count == kMaxHealthTerms) return;
    const auto& config = snapshot.reserves[id].config;
    HealthTerm& t = w.terms[w.term_count++];
    t = HealthTerm{};
    t.id = id;
    t.borrow = borrow;
    if (coll && config.liquidation_threshold_bps != 0) {
      t.collateral = true;
      t.coll = to_double(r.scaled_a_token) * p.income_d[id];
      t.lt = config.liquidation_threshold_bps;
    }
    if (borrow) t.debt = to_double(r.scaled_variable_debt) * p.debt_index_d[id];
  }
  w.terms_usable = true;
}


std::optional<detail::CrossingPoint> detail::morpho_crossing(const morpho::MarketParams& params,
                                                             const morpho::MarketState& state,
                                                             const morpho::Position& position, const U256& oracle,
                                                             book::AssetId collateral, book::AssetId loan,
                                                             book::AssetId t, double usd_t) {
  if ((collateral == t) == (loan == t) || oracle.is_zero()) return std::nullopt;
  auto lp = morpho::liquidation_price(params, state, position);
  if (!lp || !*lp || **lp == U256::max() || (*lp)->is_zero()) return std::nullopt;
  const double ratio = to_double(**lp) / to_double(oracle);  // < 1 while the position is healthy
  if (collateral == t) return CrossingPoint{true, usd_t * ratio};
  return CrossingPoint{false, usd_t / ratio * (1.0 - 1e-6)};
}

std::optional<detail::CrossingPoint> detail::aave_crossing(const Prepared& p, const aave::MarketSnapshot& snapshot,
                                                           const Work& w, book::AssetId t) {
  // The closed form HF(p) = (A + a p) / (B + b p) = 1 of aave/liquidation_price.hpp, in double from the copy's
  // balances (no bisection: the visit price and the exact decision absorb its error). eMode LTs are used; an eMode
  // price source is treated as the asset's own price.
  const auto reserve = p.aave_reserve[t];
  if (!reserve || p.aave_price0[t].is_zero()) return std::nullopt;
  const auto* em = w.user.emode_category ? snapshot.emode(w.user.emode_category) : nullptr;
  double A = 0.0, a = 0.0, B = 0.0, b = 0.0;
  double Ac = 0.0, ac = 0.0;  // the collateral's value without the thresholds, for the error bound below
  // One reserve's terms: collateral and debt in whole tokens (the balance over 10^decimals).
  const auto add = [&](std::uint16_t id, double coll_units, double debt_units) {
    const auto& res = snapshot.reserves[id];
    const double unit = p.reserve_unit_d[id];
    const bool in_emode = em && res.config.emode_category == w.user.emode_category;
    const double lt = (in_emode ? em->liquidation_threshold_bps : res.config.liquidation_threshold_bps) / 1e4;
    const double coll = coll_units / unit;
    const double debt = debt_units / unit;
    if (id == *reserve) {
      a += coll * lt;
      ac += lt > 0.0 ? coll : 0.0;
      b += debt;
    } else {
      const double price = to_double(snapshot.prices[id]);
      A += coll * price * lt;
      Ac += lt > 0.0 ? coll * price : 0.0;
      B += debt * price;
    }
  };
  if (w.acct.usable) {
    // The same sums from the cached balances: reserves the bitmap does not mark add exact zeros, skipped.
    for (std::uint8_t i = 0; i < w.acct.count; ++i) {
      const auto& term = w.acct.terms[i];
      add(term.id, term.collateral ? to_double(detail::from128(term.collateral_balance)) : 0.0,
          term.borrow ? to_double(detail::from128(term.debt_balance)) : 0.0);
    }
  } else {
    for (const auto& r : w.user.reserves)
      add(r.reserve_id,
          w.user.config.is_using_as_collateral(r.reserve_id) ? to_double(or_zero(aave::collateral_balance(snapshot, r)))
                                                             : 0.0,
          w.user.config.is_borrowing(r.reserve_id) ? to_double(or_zero(aave::debt_balance(snapshot, r))) : 0.0);
  }
  if (a == b) return std::nullopt;
  const double root = (B - A) / (a - b);
  if (!(root > 0.0)) return std::nullopt;
  // The contract floors the average liquidation threshold to whole bps, which the closed form does not: its health
  // factor is high by up to 1 / (average LT in bps) relative, i.e. by 1e-4 x C / N with C the collateral's value
  // and N = A + a p its value at the thresholds. Near 1 the health factor moves by p |a - b| / N per unit of
  // relative price, so the true crossing can lie 1e-4 x C / (p |a - b|) beyond the closed form's: little for a
  // position whose health factor follows the asset, much for one with a small share of its collateral or debt in
  // it. The engine looks at the position from there on (with a margin); the exact math then decides.
  const double reach = (kAvgLtFloorMargin * 1e-4 * (Ac + ac * root) + 1e-9 * (A + a * root)) / (root * std::abs(a - b));
  const double visit = a > b ? root * (1.0 + reach) : root * std::max(0.0, 1.0 - reach);
  // Oracle price of the reserve -> USD price of the asset (the engine moves them in proportion).
  const double to_usd = e8(p.usd0[t]) / to_double(p.aave_price0[t]);
  return CrossingPoint{a > b, visit * to_usd};
}

namespace {

struct HeapEntry {
  double price;
  std::uint32_t work;
  bool operator<(const HeapEntry& o) const { return price < o.price || (price == o.price && work > o.work); }
};
/// Positions waiting for a fall: the highest price first.
using FallQueue = std::priority_queue<HeapEntry>;
/// Positions waiting for a rise: the lowest price first.
struct RisesFirst {
  bool operator()(const HeapEntry& a, const HeapEntry& b) const {
    return a.price > b.price || (a.price == b.price && a.work > b.work);
  }
};
using RiseQueue = std::priority_queue<HeapEntry, std::vector<HeapEntry>, RisesFirst>;

class Run {
 public:
  /// `spare`: position copies left by a previous run on the same Prepared, reused (and handed back) so that copying
  /// a position into one does not allocate. `p` is only read: runs may go on in parallel.
  Run(const Prepared& p, std::vector<Work>& spare, const Shock& shock, bool keep_lists)
      : p_(p), spare_(spare), shock_(shock), keep_lists_(keep_lists) {
    work_.swap(spare_);
  }
  ~Run() { spare_.swap(work_); }
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;
  Result<CascadeResult> go();

 private:
  const Prepared& p_;
  std::vector<Work>& spare_;
  const Shock& shock_;
  bool keep_lists_;
  aave::MarketSnapshot snapshot_;
  std::vector<morpho::MarketState> states_;
  std::vector<U256> morpho_oracle_;
  std::vector<Pool> pools_;
  std::vector<double> usd_;  ///< whole-token USD per asset at the current oracle
  std::vector<double> per_unit_;  ///< per Aave reserve: its oracle price (as a double) per 10^decimals
  std::vector<Work> work_;  ///< the first work_used_ are this run's; the rest are storage kept for reuse
  std::size_t work_used_ = 0;
  std::vector<std::uint32_t> active_;
  std::vector<std::int32_t> work_of_;  ///< per position index: its Work, -1 while untouched
  std::vector<U256> q_;                ///< per asset: the oracle answer in force (USD, 8 decimals)
  /// Per tracked asset: the oracle coupling and market prices at the end of each round.
  std::vector<OracleCoupling> couplings_;
  std::vector<std::vector<U256>> history_;
  /// Per watched asset (Prepared::watched): the next entry of its crossing order, and re-queued positions by their
  /// next crossing price.
  std::vector<std::size_t> next_;
  std::vector<FallQueue> heaps_;
  /// The same for rises: the next entry of the asset's rise order, and re-queued positions a rise crosses.
  std::vector<std::size_t> next_up_;
  std::vector<RiseQueue> up_heaps_;
  std::vector<U256> pending_;  ///< per asset: seized last round, to sell this round
  std::vector<U256> unsold_;   ///< per asset: seized and never sold (no route)
  /// Per asset: product of (1 - permanent venue impact) of every venue sale so far; multiplies the pool price.
  std::vector<double> venue_factor_;
  std::vector<bool> liquidated_once_;
  /// Per asset, which way its oracle can move in this run (neither: it stays at the book's price).
  std::vector<bool> may_fall_, may_rise_;
  /// Positions exposed to two or more assets that can move against them (collateral that may fall, debt that may
  /// rise; see refresh_coupled()).
  std::vector<std::uint32_t> coupled_;
  std::size_t round_liquidations_ = 0;  ///< in the current round (lists are kept only for single runs)
  /// The total variation, so far in this run, of the log of every Aave reserve's price per unit: the sum over
  /// every oracle update of |ln(new / old)| (infinite once a price leaves the positive doubles). Between two
  /// moments it bounds how far any price has moved either way, e^-dV <= new / old <= e^dV, so a position found
  /// clearly healthy with a slack s (clearly_healthy()) is still clearly healthy while variation_ grows by less
  /// than s, its balances unchanged: the check need not run again until then.
  double variation_ = 0.0;
  /// Per work id: variation_ below which it is clearly healthy (-inf: not known; reset when its balances change).
  std::vector<double> healthy_until_;
  CascadeResult result_;

  void set_oracle(book::AssetId a, const U256& q);
  U256 market_e8(std::size_t k) const;
  Result<void> sell(CascadeRound& round);
  Result<void> sell_on_venue(book::AssetId a, CascadeRound& round);
  void visit(std::size_t k);
  std::uint32_t materialize(std::uint32_t pos);
  /// Aave: a sound floating-point bound says the health factor is well above 1 (then account_data need not run).
  /// When it does and `slack` is given, *slack receives how much further prices may move (in variation_, see
  /// there) with the bound still holding.
  bool clearly_healthy(const Work& w, double* slack = nullptr) const;
  /// Work `id` is clearly healthy now, known without looking at it: found so, and prices have moved less since
  /// than its slack.
  bool known_healthy(std::uint32_t id) const { return variation_ < healthy_until_[id]; }
  /// clearly_healthy() on work `id`, remembering its slack for known_healthy().
  bool clearly_healthy_noted(std::uint32_t id);
  /// Recomputes w.terms from the position's balances (after materializing or liquidating it).
  void set_terms(Work& w) const { detail::set_terms(p_, snapshot_, w); }
  /// The protocol's own test on work `id`; for Aave, `data` receives the account health that decided it.
  bool liquidatable(std::uint32_t id, detail::AccountHealth& data);
  /// What a position is after a liquidation call.
  enum class Outcome { closed, liquidatable, healthy };
  /// One liquidation call (closed: no debt or no collateral left, or the call failed). Aave: `data` is the
  /// account health of the position as it is (liquidatable() computed it) and, when the outcome is liquidatable, of
  /// the position after the call.
  Outcome liquidate(Work& w, CascadeRound& round, double oracle_usd, detail::AccountHealth& data);
  /// The position's health after a liquidation call: the fast path, else aave::account_data; nullopt when that
  /// fails.
  std::optional<detail::AccountHealth> health_after(const Work& w) const;
  std::optional<CrossingPoint> next_crossing(const Work& w, book::AssetId t) const;
  /// aave::liquidation from the balances in w.acct (usable, same user): the contract's steps after its balance
  /// reads, which w.acct holds exactly as they would compute them.
  /// The liquidation of `collateral` against `debt` (w.acct usable) by aave::detail::narrow_max_liquidation, applied
  /// to w's balances, terms and bitmap, with its amounts in `l` and the bonus in `bonus_bps`; false, with nothing
  /// changed, where that path declines (the general code then runs).
  bool narrow_liquidation(Work& w, std::uint16_t collateral, std::uint16_t debt, const U256& health_factor,
                          ModelLiquidation& l, std::uint16_t& bonus_bps) const;
#ifndef NDEBUG
  /// Aborts unless w's terms are what set_terms computes from its user (debug builds check every in-place update).
  void check_terms(const Work& w) const;
#endif
  Result<aave::LiquidationOutcome> known_balances_liquidation(const Work& w, const aave::LiquidationRequest& request,
                                                              const aave::AccountData& data,
                                                              aave::detail::LiquidationScaled& scaled) const;
  /// A crossing price in one asset is computed with the other prices as they are then (the static orders: the
  /// book's; a re-queued position's: those at its liquidation), so it is a sound visit point only while the other
  /// prices stay put. While a single movable asset has moved, a position exposed to two of them (collateral that
  /// may fall, debt that may rise) still has one sound entry (in the asset that moved). Once two have moved
  /// (coupled_mode_), every oracle move can make such a position cross earlier than all its entries say: each one
  /// not checked already (untouched or queued) is then activated unless clearly healthy at the new prices.
  void refresh_coupled();
  std::size_t moved_assets() const;
  bool coupled_mode_ = false;
};

void Run::set_oracle(book::AssetId a, const U256& q) {
  q_[a] = q;
  usd_[a] = e8(q);
  if (const auto r = p_.aave_reserve[a]; r && !p_.usd0[a].is_zero()) {
    if (auto v = checked_mul_div_down(p_.aave_price0[a], q, p_.usd0[a])) {
      snapshot_.prices[*r] = *v;
      const double before = per_unit_[*r], after = to_double(*v) / p_.reserve_unit_d[*r];
      if (after != before)
        variation_ += before > 0.0 && after > 0.0 ? std::abs(std::log(after / before))
                                                  : std::numeric_limits<double>::infinity();
      per_unit_[*r] = after;
    }
  }
  for (std::size_t i = 0; i < p_.markets.size(); ++i) {
    const auto& m = p_.markets[i];
    if (m.collateral != a && m.loan != a) continue;
    std::optional<U256> v;
    if (m.feed_ratio) {
      v = q_[m.loan].is_zero() ? std::nullopt : checked_mul_div_down(q_[m.collateral], m.feed_scale, q_[m.loan]);
    } else if (!p_.usd0[m.collateral].is_zero() && !q_[m.loan].is_zero()) {
      auto c = checked_mul_div_down(m.oracle0, q_[m.collateral], p_.usd0[m.collateral]);
      if (c) v = checked_mul_div_down(*c, p_.usd0[m.loan], q_[m.loan]);
    }
    if (v) morpho_oracle_[i] = *v;
  }
}

U256 Run::market_e8(std::size_t k) const {
  const auto a = p_.tracked[k];
  const auto& r = p_.routes[a];
  if (!r.sold) return q_[a];
  std::vector<PoolSide> sides;
  for (auto i : r.pools)
    if (auto s = orient(pools_[i], p_.book->asset(a).address)) sides.push_back(*s);
  const double m = arbitrage_price(sides) * usd_[r.out] * venue_factor_[a];
  return m > 0.0 ? from_double(std::round(m * 1e8)).value_or(q_[a]) : q_[a];
}


std::uint32_t Run::materialize(std::uint32_t pos) {
  if (work_used_ == work_.size()) work_.emplace_back();
  const auto id = static_cast<std::uint32_t>(work_used_++);
  Work& w = work_[id];
  if (p_.initial.empty()) {
    initial_copy(p_, pos, w);
  } else {
    // The grid's shared copy, field by field (the vector assignment reuses w's storage).
    const Work& initial = p_.initial[p_.initial_of[pos]];
    w.pos = pos;
    w.state = Work::State::active;
    w.is_aave = initial.is_aave;
    w.market = initial.market;
    if (initial.is_aave) {
      w.user = initial.user;
      w.terms_usable = initial.terms_usable;
      w.term_count = initial.term_count;
      w.terms = initial.terms;
      w.acct.usable = initial.acct.usable;
      w.acct.count = initial.acct.count;
      std::copy_n(initial.acct.terms.begin(), initial.acct.count, w.acct.terms.begin());
    } else {
      w.position = initial.position;
    }
  }
  work_of_[pos] = static_cast<std::int32_t>(id);
  healthy_until_.push_back(-std::numeric_limits<double>::infinity());
  return id;
}

void Run::visit(std::size_t k) {
  const double bar = usd_[p_.watched[k]] * (1.0 - kVisitTolerance);
  const double rise_bar = usd_[p_.watched[k]] * (1.0 + kVisitTolerance);
  // The order's entries at the book's price (liquidatable already, or within their visit margin of it) are due
  // whatever the oracle did, a rise included.
  const double order_bar = std::min(bar, e8(p_.usd0[p_.watched[k]]));
  auto activate = [&](std::uint32_t id) {
    if (work_[id].state != Work::State::queued) return;
    work_[id].state = Work::State::active;
    active_.push_back(id);
  };
  // Entries of a static order, from `next` on while `due`: a position seen before is activated, a new one copied in.
  const auto take = [&](const std::vector<Crossing>& order, const std::vector<std::uint32_t>& ids, std::size_t& next,
                        auto due) {
    for (; next < order.size() && due(order[next].price_usd); ++next) {
      const auto pos = ids[next];
      if (work_of_[pos] >= 0) {
        activate(static_cast<std::uint32_t>(work_of_[pos]));
      } else if (p_.simulated[pos]) {
        active_.push_back(materialize(pos));
      }
    }
  };
  take(p_.orders[k], p_.order_ids[k], next_[k], [&](double price) { return price >= order_bar; });
  for (auto& heap = heaps_[k]; !heap.empty() && heap.top().price >= bar; heap.pop()) activate(heap.top().work);
  take(p_.orders_up[k], p_.order_up_ids[k], next_up_[k], [&](double price) { return price <= rise_bar; });
  for (auto& heap = up_heaps_[k]; !heap.empty() && heap.top().price <= rise_bar; heap.pop()) activate(heap.top().work);
}

bool Run::clearly_healthy(const Work& w, double* slack) const {
  // GenericLogic's HF is floor-rounded sums of balance x price / unit (C, D) and the value-weighted LT truncated
  // to whole bps: HF >= (L - C) / 1e4 / D with L = sum value x LT, up to a few base units and 1e-12 relative of
  // rounding. Doubles hold each term to 1e-15 relative; the margins below (1e-3 relative, 1e3 base units) cover it.
  if (!w.terms_usable) return false;
  double C = 0.0, L = 0.0, D = 0.0;
  for (std::uint8_t i = 0; i < w.term_count; ++i) {
    const HealthTerm& t = w.terms[i];
    const double per_unit = per_unit_[t.id];
    if (!(per_unit > 0.0)) return false;
    if (t.collateral) {
      const double v = t.coll * per_unit;
      C += v;
      L += v * static_cast<double>(t.lt);
    }
    if (t.borrow) D += t.debt * per_unit;
  }
  const double lhs = (L - C) * (1.0 - 1e-6) / 1e4, rhs = D * (1.0 + 1e-3) + 1e3;
  const bool healthy = C > 1e6 && lhs > rhs;
  // Each collateral term (L - C is a sum of value x (LT - 1) >= 0) falls by at most e^-dV and each debt term rises by
  // at most e^dV (the constant only helps): both conditions hold while dV < ln(C / 1e6) and 2 dV < ln(lhs / rhs).
  // The doubles' own rounding (~1e-15 relative) is covered by 1e-9.
  if (healthy && slack != nullptr) *slack = std::min(std::log(C / 1e6), 0.5 * std::log(lhs / rhs)) - 1e-9;
  return healthy;
}

bool Run::clearly_healthy_noted(std::uint32_t id) {
  double slack = 0.0;
  if (!clearly_healthy(work_[id], &slack)) return false;
  healthy_until_[id] = variation_ + slack;
  return true;
}

bool Run::liquidatable(std::uint32_t id, detail::AccountHealth& data) {
  const Work& w = work_[id];
  if (w.is_aave) {
    if (known_healthy(id) || clearly_healthy_noted(id)) return false;
    if (!detail::fast_account_health(snapshot_, w.acct, data)) {
      auto d = aave::account_data(snapshot_, w.user);
      if (!d) return false;
      data = detail::health_of(*d);
    }
    return !data.total_debt_base.is_zero() && data.health_factor < kWadU;
  }
  const auto& m = p_.markets[w.market];
  if (w.position.borrow_shares.is_zero()) return false;
  auto h = morpho::is_healthy(m.params, states_[w.market], w.position, morpho_oracle_[w.market]);
  return h && !*h;
}

std::optional<CrossingPoint> Run::next_crossing(const Work& w, book::AssetId t) const {
  if (w.is_aave) return aave_crossing(p_, snapshot_, w, t);
  const auto& m = p_.markets[w.market];
  if (m.oracle0.is_zero()) return std::nullopt;
  // The oracle is proportional to the collateral's USD price and inversely to the loan token's (exactly so for a
  // FeedRatioOracle up to its flooring), the other token's taken as it is now.
  return detail::morpho_crossing(m.params, states_[w.market], w.position, morpho_oracle_[w.market], m.collateral,
                                 m.loan, t, usd_[t]);
}

Result<aave::LiquidationOutcome> Run::known_balances_liquidation(const Work& w, const aave::LiquidationRequest& request,
                                                                const aave::AccountData& data,
                                                                aave::detail::LiquidationScaled& scaled) const {
  const detail::AccountTerm* coll = nullptr;
  const detail::AccountTerm* debt = nullptr;
  for (std::uint8_t i = 0; i < w.acct.count; ++i) {
    const auto& t = w.acct.terms[i];
    if (t.id == request.collateral_reserve_id) coll = &t;
    if (t.id == request.debt_reserve_id) debt = &t;
  }
  // Both are marked reserves (the liquidator picks among them), so both exist in the market and the user's list;
  // otherwise the general code decides.
  if (coll == nullptr || debt == nullptr || !debt->borrow) return aave::liquidation(snapshot_, w.user, request, data);
  // Stable debt is zero (w.acct holds none) and the variable balance is the scaled balance rayMul the index at the
  // clock, 0 when the scaled balance is 0: debt_balance. The aToken balance is read only when the reserve is
  // collateral (validation rejects it otherwise).
  const U256 variable = detail::from128(debt->debt_balance);
  const U256 collateral_balance = detail::from128(coll->collateral_balance);
  return aave::detail::liquidation_from_balances(snapshot_, w.user, request, data, snapshot_.reserves[coll->id],
                                                 snapshot_.reserves[debt->id], w.user.reserves[coll->index], U256{},
                                                 variable, coll->collateral ? &collateral_balance : nullptr, &scaled);
}

bool Run::narrow_liquidation(Work& w, std::uint16_t collateral, std::uint16_t debt, const U256& health_factor,
                             ModelLiquidation& l, std::uint16_t& bonus_bps) const {
  if (!w.acct.usable) return false;
  detail::AccountTerm* ct = nullptr;
  detail::AccountTerm* dt = nullptr;
  for (std::uint8_t i = 0; i < w.acct.count; ++i) {
    auto& t = w.acct.terms[i];
    if (t.id == collateral) ct = &t;
    if (t.id == debt) dt = &t;
  }
  if (ct == nullptr || dt == nullptr || !ct->collateral || !dt->borrow) return false;
  auto& cr = w.user.reserves[ct->index];
  auto& dr = w.user.reserves[dt->index];
  if (!detail::fits128(cr.scaled_a_token) || !detail::fits128(dr.scaled_variable_debt)) return false;
  const uint128 scaled_collateral = detail::to128(cr.scaled_a_token);
  // The reserves' indexes as RayDivisors (used only where they are the snapshot's indexes).
  const auto divisor = [](const std::vector<std::optional<RayDivisor>>& all, std::uint16_t id) {
    return id < all.size() && all[id] ? &*all[id] : nullptr;
  };
  const auto out = aave::detail::narrow_max_liquidation(
      snapshot_, w.user, collateral, debt, health_factor, ct->collateral_balance, scaled_collateral,
      dt->debt_balance, {divisor(p_.income_divisor, collateral), divisor(p_.debt_divisor, debt)});
  if (!out) return false;
  // apply_aave's burns (the same scaled amounts, saturating), then the balances at the same indexes.
  const uint128 collateral_left =
      out->scaled_collateral_burn < scaled_collateral ? scaled_collateral - out->scaled_collateral_burn : 0;
  const uint128 scaled_debt = detail::to128(dr.scaled_variable_debt);
  const uint128 debt_left = out->scaled_debt_burn < scaled_debt ? scaled_debt - out->scaled_debt_burn : 0;
  cr.scaled_a_token = detail::from128(collateral_left);
  dr.scaled_variable_debt = detail::from128(debt_left);
  l.debt_repaid = detail::from128(out->debt_repaid);
  l.collateral_seized = detail::from128(out->collateral_to_liquidator);
  l.protocol_fee = detail::from128(out->protocol_fee);
  bonus_bps = out->liquidation_bonus_bps;
  // A balance burnt to zero clears its bit (apply_aave; no stable debt here).
  const bool collateral_cleared = collateral_left == 0, debt_cleared = debt_left == 0;
  auto& bitmap = w.user.config.bitmap;
  if (collateral_cleared) bitmap = bitmap & ~(U256{2} << (2u * collateral));
  if (debt_cleared) bitmap = bitmap & ~(U256{1} << (2u * debt));
  // The terms as set_terms would recompute them: account_terms' rayMuls for the two balances that moved, a side
  // whose bit cleared reset, a reserve left without bits dropped (the others keep their order); the healthy
  // shortcut's factors likewise. Shortcut terms that were unusable for their number or kind may become usable when
  // a reserve leaves: set_terms then decides.
  const auto& reserves = snapshot_.reserves;
  // A balance as account_terms computes it (scaled rayMul index); false when it leaves 128 bits.
  const auto balance_at = [](const U256& scaled, const U256& index, uint128& result) {
    if (fits128(scaled) && fits128(index)) return ray_mul_half_up_128(to128(scaled), to128(index), result);
    const auto b = ray_mul_half_up(scaled, index);
    if (!b || !detail::fits128(*b)) return false;
    result = detail::to128(*b);
    return true;
  };
  uint128 balance = 0, owed = 0;
  const bool balances_fit =
      (collateral_cleared || balance_at(cr.scaled_a_token, reserves[collateral].liquidity_index, balance)) &&
      (debt_cleared || balance_at(dr.scaled_variable_debt, reserves[debt].variable_borrow_index, owed));
  if (!balances_fit || ((collateral_cleared || debt_cleared) && !w.terms_usable && w.user.emode_category == 0)) {
    set_terms(w);
    return true;
  }
  const auto marked = [&](std::uint16_t id) {
    return id < 128 && (detail::bitmap_bit(bitmap, 2u * id) || detail::bitmap_bit(bitmap, 2u * id + 1u));
  };
  auto& acct = w.acct;
  std::uint8_t kept = 0;
  for (std::uint8_t i = 0; i < acct.count; ++i) {
    auto t = acct.terms[i];
    if (t.id == collateral) {
      if (collateral_cleared) {
        t.collateral = t.counted = false;
        t.lt_bps = 0;
      }
      t.collateral_balance = balance;
    }
    if (t.id == debt) {
      t.borrow = t.borrow && !debt_cleared;
      t.debt_balance = owed;
    }
    if (marked(t.id)) acct.terms[kept++] = t;
  }
  acct.count = kept;
  if (w.terms_usable) {
    kept = 0;
    for (std::uint8_t i = 0; i < w.term_count; ++i) {
      auto t = w.terms[i];
      if (t.id == collateral) {
        t.collateral = t.collateral && !collateral_cleared;
        t.coll = t.collateral ? to_double(cr.scaled_a_token) * p_.income_d[collateral] : 0.0;
        if (!t.collateral) t.lt = 0;
      }
      if (t.id == debt) {
        t.borrow = t.borrow && !debt_cleared;
        t.debt = t.borrow ? to_double(dr.scaled_variable_debt) * p_.debt_index_d[debt] : 0.0;
      }
      if (marked(t.id)) w.terms[kept++] = t;
    }
    w.term_count = kept;
  }
#ifndef NDEBUG
  check_terms(w);
#endif
  return true;
}

#ifndef NDEBUG
void Run::check_terms(const Work& w) const {
  // Debug builds (the sanitizer run of the unit tests): the terms updated in place must be set_terms' own.
  Work fresh;
  fresh.user = w.user;
  set_terms(fresh);
  bool same = fresh.terms_usable == w.terms_usable && fresh.term_count == w.term_count &&
              fresh.acct.usable == w.acct.usable && fresh.acct.count == w.acct.count;
  for (std::uint8_t i = 0; same && w.terms_usable && i < w.term_count; ++i) {
    const auto &a = fresh.terms[i], &b = w.terms[i];
    same = a.id == b.id && a.collateral == b.collateral && a.borrow == b.borrow && a.coll == b.coll && a.lt == b.lt &&
           a.debt == b.debt;
  }
  for (std::uint8_t i = 0; same && w.acct.usable && i < w.acct.count; ++i) {
    const auto &a = fresh.acct.terms[i], &b = w.acct.terms[i];
    same = a.id == b.id && a.index == b.index && a.collateral == b.collateral && a.counted == b.counted &&
           a.borrow == b.borrow && a.lt_bps == b.lt_bps && a.decimals == b.decimals &&
           a.collateral_balance == b.collateral_balance && a.debt_balance == b.debt_balance;
  }
  if (!same) {
    std::fprintf(stderr, "cascade: terms updated in place differ from set_terms (position %u)\n", w.pos);
    std::abort();
  }
}
#endif

/// Applies an Aave liquidation's token movements to the user's scaled balances, as the tokens' burns do
/// (ScaledBalanceTokenBase._burn / AToken.transferOnLiquidation: amount.rayDiv(index), half up; variable debt is
/// burnt first, then stable (LiquidationLogic._burnDebtTokens)), and clears the configuration bits when a balance
/// reaches zero.
/// `scaled` holds the burns the liquidation already computed (the same rayDivs; recomputed when absent).
void apply_aave(const aave::MarketSnapshot& s, aave::UserState& u, std::uint16_t coll, std::uint16_t debt,
                const aave::LiquidationOutcome& out, const aave::detail::LiquidationScaled& scaled) {
  for (auto& r : u.reserves) {
    if (r.reserve_id == coll) {
      const auto income = aave::normalized_income(s.reserves[coll], s.timestamp);
      if (income) {
        const U256 moved = scaled.collateral_to_liquidator
                               ? *scaled.collateral_to_liquidator
                               : ray_div_half_up(out.collateral_to_liquidator, *income).value_or(U256{});
        const U256 fee = scaled.protocol_fee ? *scaled.protocol_fee
                                             : ray_div_half_up(out.protocol_fee, *income).value_or(U256{});
        const U256 burn = moved + fee;
        r.scaled_a_token = saturating_sub(r.scaled_a_token, burn);
      }
      if (r.scaled_a_token.is_zero()) u.config.bitmap = u.config.bitmap & ~(U256{2} << (2u * coll));
    }
    if (r.reserve_id == debt) {
      const auto index = aave::normalized_debt(s.reserves[debt], s.timestamp);
      if (!index) continue;
      const U256 variable = ray_mul_half_up(r.scaled_variable_debt, *index).value_or(U256{});
      if (variable >= out.debt_repaid) {
        const U256 burn = scaled.debt_repaid ? *scaled.debt_repaid
                                             : ray_div_half_up(out.debt_repaid, *index).value_or(U256{});
        r.scaled_variable_debt = saturating_sub(r.scaled_variable_debt, burn);
      } else {
        const U256 rest = out.debt_repaid - variable;
        r.scaled_variable_debt = U256{};
        const U256 stable = or_zero(aave::stable_debt_balance(r.stable_debt, s.timestamp));
        r.stable_debt.principal = saturating_sub(stable, rest);
        r.stable_debt.last_updated = s.timestamp;
      }
      if (r.scaled_variable_debt.is_zero() && r.stable_debt.principal.is_zero())
        u.config.bitmap = u.config.bitmap & ~(U256{1} << (2u * debt));
    }
  }
}

double usd_of(const std::vector<double>& usd, const book::PositionBook& b, book::AssetId a, const U256& amount) {
  return to_units(amount, b.asset(a).decimals) * usd[a];
}

std::optional<detail::AccountHealth> Run::health_after(const Work& w) const {
  if (detail::AccountHealth fast; detail::fast_account_health(snapshot_, w.acct, fast)) return fast;
  if (auto general = aave::account_data(snapshot_, w.user)) return detail::health_of(*general);
  return std::nullopt;
}

Run::Outcome Run::liquidate(Work& w, CascadeRound& round, double oracle_usd, detail::AccountHealth& data) {
  ModelLiquidation l;
  bool still_liquidatable = false;
  const auto& b = *p_.book;
  if (w.is_aave) {
    // The devnet competitor's (and a simple rational liquidator's) choice: the largest debt by value, against the
    // largest enabled collateral by value, at the oracle's prices; as much as the close factor allows.
    std::optional<std::uint16_t> coll, debt;
    U256 best_c, best_d;
    if (w.acct.usable) {
      // The same choice from the cached balances (every marked reserve is at the clock, without stable debt);
      // reserves the bitmap does not mark are not candidates.
      auto value = [&](const detail::AccountTerm& t, uint128 balance) {
        const U256& price = snapshot_.prices[t.id];
        uint128 v;
        if (detail::fits128(price) && detail::mul_div_128(balance, detail::to128(price), t.unit(), v))
          return detail::from128(v);
        return checked_mul_div_down(detail::from128(balance), price, p_.reserve_unit[t.id]).value_or(U256{});
      };
      // A side with a single candidate needs no valuation (the loop below would take its first candidate).
      std::uint8_t collaterals = 0, debts = 0;
      for (std::uint8_t i = 0; i < w.acct.count; ++i)
        collaterals += w.acct.terms[i].collateral ? 1 : 0, debts += w.acct.terms[i].borrow ? 1 : 0;
      for (std::uint8_t i = 0; i < w.acct.count; ++i) {
        const auto& t = w.acct.terms[i];
        if (t.collateral && collaterals == 1) coll = t.id;
        if (t.collateral && collaterals > 1) {
          const U256 v = value(t, t.collateral_balance);
          if (v > best_c || !coll) best_c = v, coll = t.id;
        }
        if (t.borrow && debts == 1) debt = t.id;
        if (t.borrow && debts > 1) {
          const U256 v = value(t, t.debt_balance);
          if (v > best_d || !debt) best_d = v, debt = t.id;
        }
      }
    } else
    for (const auto& r : w.user.reserves) {
      const U256& unit = p_.reserve_unit[r.reserve_id];
      const U256& price = snapshot_.prices[r.reserve_id];
      // A reserve whose indexes are at the clock (usable_d) has its balances as the scaled balance rayMul the
      // stored index: aave::collateral_balance / debt_balance compute exactly that (no stable debt).
      const bool at_clock = r.reserve_id < p_.usable_d.size() && p_.usable_d[r.reserve_id];
      if (w.user.config.is_using_as_collateral(r.reserve_id)) {
        const U256 balance =
            at_clock ? ray_mul_half_up(r.scaled_a_token, snapshot_.reserves[r.reserve_id].liquidity_index).value_or(U256{})
                     : or_zero(aave::collateral_balance(snapshot_, r));
        const U256 v = checked_mul_div_down(balance, price, unit).value_or(U256{});
        if (v > best_c || !coll) best_c = v, coll = r.reserve_id;
      }
      if (w.user.config.is_borrowing(r.reserve_id)) {
        U256 balance;
        if (at_clock && r.stable_debt.principal.is_zero()) {
          if (!r.scaled_variable_debt.is_zero())
            balance = ray_mul_half_up(r.scaled_variable_debt, snapshot_.reserves[r.reserve_id].variable_borrow_index)
                          .value_or(U256{});
        } else {
          balance = or_zero(aave::debt_balance(snapshot_, r));
        }
        const U256 v = checked_mul_div_down(balance, price, unit).value_or(U256{});
        if (v > best_d || !debt) best_d = v, debt = r.reserve_id;
      }
    }
    if (!coll || !debt) return Outcome::closed;
    std::uint16_t bonus_bps = 0;
    if (!narrow_liquidation(w, *coll, *debt, data.health_factor, l, bonus_bps)) {
      // The general path takes the whole account data, as liquidationCall computes it (the engine's `data` holds
      // only what the fast paths read; the health factor is the same number).
      const auto account = aave::account_data(snapshot_, w.user);
      if (!account) return ++result_.reverted_calls, Outcome::closed;
      const aave::LiquidationRequest request{*coll, *debt, U256::max()};
      aave::detail::LiquidationScaled scaled;
      auto out = w.acct.usable ? known_balances_liquidation(w, request, *account, scaled)
                               : aave::liquidation(snapshot_, w.user, request, *account);
      if (!out) return ++result_.reverted_calls, Outcome::closed;
      apply_aave(snapshot_, w.user, *coll, *debt, *out, scaled);
      set_terms(w);
      l.debt_repaid = out->debt_repaid;
      l.collateral_seized = out->collateral_to_liquidator;
      l.protocol_fee = out->protocol_fee;
      bonus_bps = out->liquidation_bonus_bps;
    }
    l.collateral = p_.reserve_asset[*coll];
    l.debt = p_.reserve_asset[*debt];
    const std::optional<detail::AccountHealth> after = health_after(w);
    const bool has_debt = after && !after->total_debt_base.is_zero();
    const bool has_coll = after && !after->total_collateral_base.is_zero();
    if (has_debt && !has_coll) {
      // Debt left with no collateral: nobody can liquidate it any more; it is Aave's bad debt.
      U256 rest;
      if (w.acct.usable) {
        // The cached balances are debt_balance's own (index at the clock, no stable debt); a cleared one is 0.
        for (std::uint8_t i = 0; i < w.acct.count; ++i)
          if (w.acct.terms[i].id == *debt && w.acct.terms[i].borrow) rest = detail::from128(w.acct.terms[i].debt_balance);
      } else {
        for (const auto& r : w.user.reserves)
          if (w.user.config.is_borrowing(r.reserve_id) && r.reserve_id == *debt)
            rest = or_zero(aave::debt_balance(snapshot_, r));
      }
      l.bad_debt = rest;
      result_.bad_debt_usd += to_double(after->total_debt_base) / to_double(snapshot_.base_currency_unit);
    }
    l.toxic = has_debt && (!has_coll || compare_products(after->total_debt_base, U256{bonus_bps},
                                                          after->total_collateral_base, kBps) > 0);
    if (!has_debt || !has_coll) {
      w.user.config.bitmap = U256{};
      set_terms(w);
    }
    still_liquidatable = has_debt && has_coll && after->health_factor < kWadU;
    if (still_liquidatable) data = *after;
  } else {
    const auto& m = p_.markets[w.market];
    // liquidatable() (or the previous call's check, below) found it unhealthy at this very state and price.
    auto out = morpho::liquidate_max_unhealthy(states_[w.market], w.position, morpho_oracle_[w.market], m.lif);
    if (!out) return ++result_.reverted_calls, Outcome::closed;
    states_[w.market] = out->state_after;
    w.position = out->position_after;
    l.collateral = m.collateral;
    l.debt = m.loan;
    l.debt_repaid = out->repaid_assets;
    l.collateral_seized = out->seized_assets;
    l.bad_debt = out->bad_debt_assets;
    result_.bad_debt_usd += usd_of(usd_, b, m.loan, out->bad_debt_assets);
    bool toxic = !out->bad_debt_assets.is_zero();
    // What it owes now, for the two tests below (is_healthy's own borrowed assets).
    const auto borrowed = w.position.borrow_shares.is_zero()
                              ? Result<U256>{U256{}}
                              : morpho::borrowed_assets(states_[w.market], w.position);
    if (!toxic && !w.position.borrow_shares.is_zero()) {
      const auto value = checked_mul_div_down(w.position.collateral, morpho_oracle_[w.market],
                                              kOraclePriceScale).value_or(U256{});
      toxic = compare_products(or_zero(borrowed), m.lif, value, kWadU) > 0;
    }
    l.toxic = toxic;
    if (!w.position.borrow_shares.is_zero() && !w.position.collateral.is_zero()) {
      // is_healthy with debt: max borrow >= borrowed (an error in either counts as not liquidatable, as before).
      const auto max = morpho::max_borrow(m.params, w.position, morpho_oracle_[w.market]);
      still_liquidatable = borrowed && max && *max < *borrowed;
    }
  }
  l.debt_repaid_usd = usd_of(usd_, b, l.debt, l.debt_repaid);
  l.collateral_seized_usd = usd_of(usd_, b, l.collateral, l.collateral_seized);
  l.oracle_price_usd = l.collateral == p_.asset ? oracle_usd : usd_[l.collateral];
  round.debt_repaid_usd += l.debt_repaid_usd;
  result_.liquidations += 1;
  result_.liquidated_debt_usd += l.debt_repaid_usd;
  result_.liquidator_profit_usd += l.collateral_seized_usd - l.debt_repaid_usd;
  result_.toxic_liquidations += l.toxic ? 1 : 0;
  if (!liquidated_once_[w.pos]) liquidated_once_[w.pos] = true, ++result_.positions_liquidated;
  if (p_.model->liquidator.sell_seized_collateral && p_.routes[l.collateral].sold)
    pending_[l.collateral] = pending_[l.collateral] + l.collateral_seized;
  ++round_liquidations_;
  if (keep_lists_) {
    l.key = p_.keys[w.pos];  // only the lists name the position (a grid keeps totals)
    round.liquidations.push_back(std::move(l));
  }
  const bool open = w.is_aave ? !w.user.config.bitmap.is_zero()
                              : !w.position.borrow_shares.is_zero() && !w.position.collateral.is_zero();
  return !open ? Outcome::closed : still_liquidatable ? Outcome::liquidatable : Outcome::healthy;
}

std::size_t Run::moved_assets() const {
  std::size_t n = 0;
  for (book::AssetId a = 0; a < may_fall_.size(); ++a)
    n += (may_fall_[a] || may_rise_[a]) && q_[a] != p_.usd0[a] ? 1 : 0;
  return n;
}

void Run::refresh_coupled() {
  for (const auto pos : coupled_) {
    std::uint32_t id = 0;
    if (work_of_[pos] >= 0) {
      id = static_cast<std::uint32_t>(work_of_[pos]);
      // Known clearly healthy: the check below would leave it as it is (without reading the position).
      if (known_healthy(id) || work_[id].state != Work::State::queued) continue;
    } else {
      if (!p_.simulated[pos]) continue;
      id = materialize(pos);
    }
    Work& w = work_[id];
    if (clearly_healthy_noted(id)) {
      w.state = Work::State::queued;  // looked at again on the next oracle move
      continue;
    }
    w.state = Work::State::active;
    active_.push_back(id);
  }
}

Result<void> Run::sell(CascadeRound& round) {
  const auto& b = *p_.book;
  for (book::AssetId a = 0; a < pending_.size(); ++a) {
    if (pending_[a].is_zero()) continue;
    const auto& r = p_.routes[a];
    if (p_.model->venue) {
      if (auto v = sell_on_venue(a, round); !v) return v.error();
      if (pending_[a].is_zero()) continue;
    }
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

/// The venue's share of this round's sale of `a`: sold at the oracle price less the square-root law's average
/// shortfall; its permanent part lowers the asset's market price for good. Leaves the pools' share in pending_.
Result<void> Run::sell_on_venue(book::AssetId a, CascadeRound& round) {
  const auto& b = *p_.book;
  const auto& model = *p_.model;
  const double share = model.venue_share;
  U256 on_venue = pending_[a];
  if (share < 1.0) on_venue = from_long_double(std::floor(to_long_double(pending_[a]) * share)).value_or(U256{});
  if (on_venue > pending_[a]) on_venue = pending_[a];
  if (on_venue.is_zero()) return {};
  const double quantity = to_units(on_venue, b.asset(a).decimals);
  const double price = usd_[a];
  auto impact = sqrt_law_impact(*model.venue, quantity, price);
  if (!impact) return CascadeError::bad_venue;
  venue_factor_[a] *= 1.0 - impact->permanent;
  const double value = quantity * price;
  result_.liquidator_profit_usd -= impact->cost_usd;  // seized value was booked at the oracle price
  result_.slippage_usd += impact->cost_usd;
  round.slippage_usd += impact->cost_usd;
  result_.collateral_sold_usd += value;
  if (a == p_.asset) {
    round.collateral_sold = round.collateral_sold + on_venue;
    round.collateral_sold_usd += value;
  }
  pending_[a] = pending_[a] - on_venue;
  return {};
}

Result<CascadeResult> Run::go() {
  const auto& b = *p_.book;
  const auto& model = *p_.model;
  if (!(shock_.fraction > -1.0) || !std::isfinite(shock_.fraction)) return CascadeError::bad_shock;
  snapshot_ = p_.snapshot;
  // Every reserve has an entry; one without a price (or beyond the prices) stays 0, which clearly_healthy refuses.
  per_unit_.assign(std::max(snapshot_.prices.size(), p_.reserve_unit_d.size()), 0.0);
  for (std::size_t i = 0; i < snapshot_.prices.size() && i < p_.reserve_unit_d.size(); ++i)
    per_unit_[i] = to_double(snapshot_.prices[i]) / p_.reserve_unit_d[i];
  for (const auto& m : p_.markets) states_.push_back(m.accrued), morpho_oracle_.push_back(m.oracle0);
  pools_ = model.pools;
  usd_.resize(b.asset_count());
  for (book::AssetId a = 0; a < b.asset_count(); ++a) usd_[a] = e8(p_.usd0[a]);
  pending_.assign(b.asset_count(), U256{});
  unsold_.assign(b.asset_count(), U256{});
  venue_factor_.assign(b.asset_count(), 1.0);
  liquidated_once_.assign(p_.keys.size(), false);
  work_of_.assign(p_.keys.size(), -1);
  q_ = p_.usd0;

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
  for (const auto& [asset, beta] : shock_.betas)
    if (asset < b.asset_count() && asset != p_.asset)
      set_oracle(asset, from_double(std::round(to_double(p_.usd0[asset]) * (1.0 + beta * shock_.fraction)))
                            .value_or(p_.usd0[asset]));
  const U256 q_shocked = from_double(std::round(to_double(p_.usd0[p_.asset]) * factor)).value_or(U256{});
  set_oracle(p_.asset, q_shocked);
  result_.shock = shock_.fraction;
  result_.initial_price = e8(p_.usd0[p_.asset]);
  result_.shocked_price = e8(q_shocked);
  // Per tracked asset: its coupling starts at its (shocked) answer; market prices from the end of round 0.
  const std::size_t tracked = p_.tracked.size();
  for (std::size_t k = 0; k < tracked; ++k) {
    couplings_.emplace_back(model.coupling, q_[p_.tracked[k]]);
    history_.push_back({market_e8(k)});
  }
  const std::size_t watched = p_.watched.size();
  next_.assign(watched, 0);
  heaps_.resize(watched);
  next_up_.assign(watched, 0);
  up_heaps_.resize(watched);
  // Which way each asset's oracle can go in this run: the shock's and the betas' moves; a sold asset follows its
  // pools (its sales push it down) times the price of what it is sold for (which may move in turn).
  may_fall_.assign(b.asset_count(), false);
  may_rise_.assign(b.asset_count(), false);
  const auto moves = [&](book::AssetId a, double f) {
    if (a < b.asset_count() && f != 0.0) (f < 0.0 ? may_fall_ : may_rise_)[a] = true;
  };
  moves(p_.asset, shock_.fraction);
  for (const auto& [asset, beta] : shock_.betas) moves(asset, beta * shock_.fraction);
  for (auto t : p_.tracked) may_fall_[t] = true;
  for (std::size_t pass = 0; pass < tracked; ++pass)
    for (auto t : p_.tracked) {
      const auto out = p_.routes[t].out;
      may_fall_[t] = may_fall_[t] || may_fall_[out];
      may_rise_[t] = may_rise_[t] || may_rise_[out];
    }
  for (const auto pos : p_.multi_exposed) {
    std::size_t against = 0;
    for (const auto& e : p_.exposures[pos])
      against += (e.collateral && may_fall_[e.asset]) || (e.debt && may_rise_[e.asset]) ? 1 : 0;
    if (against >= 2) coupled_.push_back(pos);
  }
  coupled_mode_ = moved_assets() >= 2;
  if (coupled_mode_) refresh_coupled();
  const std::uint32_t latency = model.oracle_latency_blocks;
  const std::uint32_t idle_limit = latency + model.coupling.lag_blocks + 1;
  std::uint32_t idle = 0;
  std::uint32_t r = 1;
  for (; r <= model.max_rounds; ++r) {
    CascadeRound round;
    round.index = r;
    round_liquidations_ = 0;
    round.oracle_price_before = e8(q_[p_.asset]);
    round.market_price_before = e8(history_[0].back());
    // (1) What was seized last round is sold now (the competitor's timing).
    bool sold_any = false;
    for (const auto& x : pending_) sold_any = sold_any || !x.is_zero();
    if (auto s = sell(round); !s) return s.error();
    // (2) Every position liquidatable at the oracle in force is liquidated once.
    for (std::size_t k = 0; k < watched; ++k) visit(k);
    if (r == 1)
      for (const auto pos : p_.unreached)
        if (p_.simulated[pos]) active_.push_back(materialize(pos));
    std::vector<std::uint32_t> still;
    detail::AccountHealth data;  // liquidatable() fills it for each Aave position, liquidate() reads it
    for (std::size_t i = 0; i < active_.size(); ++i) {
      const auto id = active_[i];
      // The positions are scattered over far more memory than the caches hold: ask for the next ones' terms and
      // balances while this one is decided (a hint only; it changes no result).
      if (i + kPrefetchWork < active_.size() && !known_healthy(active_[i + kPrefetchWork]))
        prefetch_work(work_[active_[i + kPrefetchWork]]);
      if (i + kPrefetchReserves < active_.size() && !known_healthy(active_[i + kPrefetchReserves]))
        prefetch_reserves(work_[active_[i + kPrefetchReserves]]);
      auto& w = work_[id];
      if (!liquidatable(id, data)) {
        still.push_back(id);  // visited within the tolerance band; checked again next round
        continue;
      }
      Outcome o = Outcome::liquidatable;
      for (std::uint32_t calls = 0; o == Outcome::liquidatable &&
                                    calls < std::max<std::uint32_t>(1, model.liquidator.max_calls_per_position_per_round);
           ++calls)
        o = liquidate(w, round, round.oracle_price_before, data);
      healthy_until_[id] = -std::numeric_limits<double>::infinity();  // its balances changed
      if (o == Outcome::closed || !model.liquidator.repeat_partial) {
        w.state = Work::State::closed;
        continue;
      }
      if (o == Outcome::liquidatable) {
        still.push_back(id);
        continue;
      }
      w.state = Work::State::queued;
      for (std::size_t k = 0; k < watched; ++k) {
        const auto next = next_crossing(w, p_.watched[k]);
        if (next && next->below) heaps_[k].push({next->visit_usd, id});
        if (next && !next->below) up_heaps_[k].push({next->visit_usd, id});
      }
    }
    active_ = std::move(still);
    // (3) Each tracked oracle posts the market price of `latency` blocks ago through the coupling; it applies
    // from the next round.
    bool oracle_moved = false;
    for (std::size_t k = 0; k < tracked; ++k) {
      auto& history = history_[k];
      history.push_back(market_e8(k));
      const U256 before = couplings_[k].oracle_price();
      const U256 q = couplings_[k].on_block(history[history.size() - 1 > latency ? history.size() - 1 - latency : 0]);
      oracle_moved = oracle_moved || q != before;
      set_oracle(p_.tracked[k], q);
    }
    if (oracle_moved) {
      coupled_mode_ = coupled_mode_ || moved_assets() >= 2;
      if (coupled_mode_) refresh_coupled();
    }
    round.market_price_after = e8(history_[0].back());
    round.oracle_price_after = e8(q_[p_.asset]);
    const bool busy = sold_any || round_liquidations_ != 0;
    if (busy) {
      result_.rounds.push_back(std::move(round));
    }
    bool pending = false;
    for (const auto& x : pending_) pending = pending || !x.is_zero();
    idle = (busy || pending || oracle_moved) ? 0 : idle + 1;
    if (idle >= idle_limit) break;
  }
  result_.hit_round_limit = r > model.max_rounds;
  result_.final_price = e8(history_[0].back());
  result_.final_oracle_price = e8(q_[p_.asset]);
  return std::move(result_);
}

/// The assets a shock's betas move (a zero beta moves nothing).
std::vector<book::AssetId> moved_by_betas(const std::vector<std::pair<book::AssetId, double>>& betas) {
  std::vector<book::AssetId> out;
  for (const auto& [asset, beta] : betas)
    if (beta != 0.0) out.push_back(asset);
  return out;
}

}  // namespace

Result<CascadeResult> simulate_cascade(const book::PositionBook& book, const MarketModel& model, const Shock& shock) {
  auto p = prepare(book, model, shock.asset, moved_by_betas(shock.betas));
  if (!p) return p.error();
  std::vector<Work> storage;
  Run run(*p, storage, shock, true);
  return run.go();
}

Result<std::vector<CascadeResult>> cascade_grid(const book::PositionBook& book, const MarketModel& model,
                                                book::AssetId asset, double from, double to, double step,
                                                unsigned threads,
                                                const std::vector<std::pair<book::AssetId, double>>& betas) {
  if (!(step != 0.0) || !std::isfinite(step) || !std::isfinite(from) || !std::isfinite(to) ||
      (to - from) * step < 0.0)
    return CascadeError::bad_shock;
  const double span = (to - from) / step;
  if (span > 1e6) return CascadeError::bad_shock;
  const auto points = static_cast<std::size_t>(std::floor(span + 1e-9)) + 1;
  auto p = prepare(book, model, asset, moved_by_betas(betas), true);
  if (!p) return p.error();
  // Each point is its own run on the shared, read-only preparation, written to its own slot: the results do not
  // depend on how many threads ran them or in which order.
  std::vector<std::optional<Result<CascadeResult>>> slots(points);
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;  // the first exception a point threw (e.g. out of memory), rethrown here
  const auto work = [&] {
    try {
      std::vector<Work> storage;  // this thread's position copies, reused from one of its points to the next
      for (std::size_t i = next++; i < points; i = next++) {
        Shock s;
        s.asset = asset;
        s.fraction = from + static_cast<double>(i) * step;
        s.betas = betas;
        Run run(*p, storage, s, false);
        slots[i].emplace(run.go());
      }
    } catch (...) {
      next = points;  // every thread stops taking points
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  const std::size_t wanted = std::min<std::size_t>(std::max(threads, 1u), points);
  for (std::size_t t = 1; t < wanted; ++t) {
    try {
      helpers.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the others (this one at least) take all the points
    }
  }
  work();
  for (auto& h : helpers) h.join();
  if (failure) std::rethrow_exception(failure);
  std::vector<CascadeResult> out;
  out.reserve(points);
  for (auto& slot : slots) {
    if (!*slot) return slot->error();
    out.push_back(std::move(**slot));
  }
  return out;
}

}  // namespace sluice::risk
