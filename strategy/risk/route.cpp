#include "strategy/risk/route.hpp"

#include "strategy/risk/numeric.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sluice::risk {

const char* describe(RouteError e) noexcept {
  switch (e) {
    case RouteError::zero_amount: return "amount to sell is zero";
    case RouteError::no_pools: return "no pools to route through";
    case RouteError::pool_mismatch: return "a pool does not hold both tokens of the sale";
    case RouteError::no_liquidity: return "no pool has liquidity for this sale";
    case RouteError::overflow: return "amount too large for the pools";
  }
  return "unknown route error";
}

namespace {
constexpr long double kFee = static_cast<long double>(kFeeNumerator) / static_cast<long double>(kFeeDenominator);
/// Sales above this cannot be routed (each pool's reserve is below 2^112, so far smaller sales already drain them);
/// it keeps 1000 R_in + 997 x well inside 256 bits for the exact comparisons.
const U256 kMaxSale = U256{1} << 200;

/// 1000 R_in + 997 x: the fee-scaled input reserve after selling x (positive for a live pool).
U256 scaled_reserve(const PoolSide& s, const U256& x) noexcept {
  return mul_small(s.reserve_in, kFeeDenominator) + mul_small(x, kFeeNumerator);
}

bool live(const PoolSide& s) noexcept { return !s.reserve_in.is_zero() && !s.reserve_out.is_zero(); }

/// Integer amounts per pool during the exact repair. "Next unit" of pool i is the one at x_i, "last unit" the one
/// at x_i - 1; a unit's marginal is out'(x) at its start (compare_marginal).
struct Allocation {
  std::span<const PoolSide> sides;
  std::vector<U256> x;

  /// Live pool with the best marginal for its next unit.
  std::size_t best_receiver() const noexcept {
    std::size_t best = sides.size();
    for (std::size_t i = 0; i < sides.size(); ++i)
      if (live(sides[i]) && (best == sides.size() || compare_marginal(sides[i], x[i], sides[best], x[best]) > 0))
        best = i;
    return best;
  }
  /// Pool holding units whose last unit has the worst marginal.
  std::size_t worst_giver() const noexcept {
    std::size_t worst = sides.size();
    for (std::size_t i = 0; i < sides.size(); ++i)
      if (!x[i].is_zero() &&
          (worst == sides.size() || compare_marginal(sides[i], x[i] - 1, sides[worst], x[worst] - 1) < 0))
        worst = i;
    return worst;
  }
  /// Moves units from `from` to `to` while the receiving unit beats the given one: the largest d in [1, x_from]
  /// with m_to(x_to + d - 1) > m_from(x_from - d) (left side falls, right side rises with d: bisection).
  void rebalance(std::size_t to, std::size_t from) noexcept {
    const auto better = [&](const U256& d) {
      return compare_marginal(sides[to], x[to] + d - 1, sides[from], x[from] - d) > 0;
    };
    // Gallop from 1 (the closed form leaves corrections small), then bisect: better(lo) holds (the caller checked
    // d = 1), and every d above hi fails.
    U256 lo = 1, hi = x[from];
    for (U256 step = 2; step <= x[from]; step <<= 1) {
      if (!better(step)) {
        hi = step - 1;
        break;
      }
      lo = step;
    }
    while (lo < hi) {
      const U256 mid = hi - ((hi - lo) >> 1);  // upper middle so the loop ends
      if (better(mid)) lo = mid;
      else hi = mid - 1;
    }
    x[to] += lo;
    x[from] -= lo;
  }
  /// Greedy repair to the unit-by-unit optimum (see route.hpp).
  void repair() noexcept {
    for (int guard = 0; guard < 10'000; ++guard) {
      const std::size_t to = best_receiver(), from = worst_giver();
      if (to == sides.size() || from == sides.size() || to == from) return;
      if (compare_marginal(sides[to], x[to], sides[from], x[from] - 1) <= 0) return;
      rebalance(to, from);
    }
  }
};

/// The closed form floored to integers, with the sum corrected to `total` (deficit to the best receiver, excess
/// taken from the worst givers); `repair` then makes it exact.
Allocation initial_allocation(std::span<const PoolSide> sides, const U256& total) {
  Allocation a{sides, std::vector<U256>(sides.size())};
  const auto split = continuous_split(sides, to_long_double(total));
  U256 sum;
  for (std::size_t i = 0; i < sides.size(); ++i) {
    a.x[i] = std::min(from_long_double(std::floor(split[i])).value_or(U256{}), total - sum);
    sum += a.x[i];
  }
  if (sum < total) {
    a.x[a.best_receiver()] += total - sum;
  }
  return a;
}
}  // namespace

int compare_marginal(const PoolSide& a, const U256& x_a, const PoolSide& b, const U256& x_b) noexcept {
  const U256 ta = scaled_reserve(a, x_a), tb = scaled_reserve(b, x_b);
  return compare_products({a.reserve_in, a.reserve_out, tb, tb}, {b.reserve_in, b.reserve_out, ta, ta});
}

std::vector<long double> continuous_split(std::span<const PoolSide> sides, long double amount_in) {
  std::vector<long double> x(sides.size(), 0.0L);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < sides.size(); ++i)
    if (live(sides[i])) order.push_back(i);
  if (order.empty() || !(amount_in > 0.0L)) return x;
  const auto rin = [&](std::size_t i) { return to_long_double(sides[i].reserve_in); };
  const auto rout = [&](std::size_t i) { return to_long_double(sides[i].reserve_out); };
  // Decreasing initial marginal g R_out / R_in (exact order).
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    return compare_marginal(sides[i], 0, sides[j], 0) > 0;
  });
  long double sum_rin = 0.0L, sum_root = 0.0L, s = 0.0L;
  std::size_t active = 0;
  while (active < order.size()) {
    const std::size_t i = order[active];
    // Pool i joins if its first unit beats the level lambda = 1/s^2 of the pools already active.
    if (active > 0 && kFee * rout(i) / rin(i) * s * s <= 1.0L) break;
    sum_rin += rin(i);
    sum_root += std::sqrt(kFee * rin(i) * rout(i));
    s = (kFee * amount_in + sum_rin) / sum_root;
    ++active;
  }
  for (std::size_t k = 0; k < active; ++k) {
    const std::size_t i = order[k];
    x[i] = std::max(0.0L, (s * std::sqrt(kFee * rin(i) * rout(i)) - rin(i)) / kFee);
  }
  return x;
}

Result<Route> route_sale(std::span<const Pool> pools, const Address& token_in, const Address& token_out,
                         const U256& amount_in) noexcept {
  if (amount_in.is_zero()) return RouteError::zero_amount;
  if (pools.empty()) return RouteError::no_pools;
  if (amount_in > kMaxSale) return RouteError::overflow;
  std::vector<PoolSide> sides;
  sides.reserve(pools.size());
  bool any_live = false;
  for (const Pool& p : pools) {
    const auto side = orient(p, token_in);
    if (!side || !orient(p, token_out) || token_in == token_out) return RouteError::pool_mismatch;
    sides.push_back(*side);
    any_live = any_live || live(*side);
  }
  if (!any_live) return RouteError::no_liquidity;

  Allocation alloc = initial_allocation(sides, amount_in);
  alloc.repair();
  // A leg paying 0 would make the pair revert: hand its dust to the best pool (other than itself).
  for (std::size_t i = 0; i < sides.size(); ++i) {
    if (alloc.x[i].is_zero()) continue;
    const auto out = get_amount_out(alloc.x[i], sides[i].reserve_in, sides[i].reserve_out);
    if (out && !out->is_zero()) continue;
    const U256 dust = alloc.x[i];
    alloc.x[i] = 0;
    alloc.x[alloc.best_receiver()] += dust;
  }
  const auto total_out = [&](const std::vector<U256>& x) {
    // 0 for an allocation the pairs would not execute (a leg paying nothing reverts).
    U256 sum;
    for (std::size_t i = 0; i < sides.size(); ++i) {
      if (x[i].is_zero()) continue;
      const auto out = get_amount_out(x[i], sides[i].reserve_in, sides[i].reserve_out);
      if (!out || out->is_zero()) return U256{};
      sum += *out;
    }
    return sum;
  };
  // Flooring can cost up to one raw unit of output per leg: never do worse than the best single pool.
  U256 best_out = total_out(alloc.x);
  for (std::size_t i = 0; i < sides.size(); ++i) {
    if (!live(sides[i])) continue;
    std::vector<U256> single(sides.size());
    single[i] = amount_in;
    const U256 out = total_out(single);
    if (out > best_out) {
      best_out = out;
      alloc.x = std::move(single);
    }
  }
  if (best_out.is_zero()) return RouteError::no_liquidity;

  Route route{token_in, token_out, amount_in, {}, 0.0, {}};
  route.legs.reserve(pools.size());
  for (std::size_t i = 0; i < pools.size(); ++i) {
    RouteLeg leg{i, pools[i].address, alloc.x[i], {}, spot_price(sides[i]), 0.0, marginal_price(sides[i]), 0.0,
                 pools[i], pools[i]};
    if (!alloc.x[i].is_zero()) {
      const auto swap = swap_exact_in(pools[i], token_in, alloc.x[i]);
      if (!swap) return swap.error() == UniswapV2Error::overflow ? RouteError::overflow : RouteError::no_liquidity;
      leg.amount_out = swap->amount_out;
      leg.after = swap->after;
    }
    const PoolSide after = *orient(leg.after, token_in);
    leg.spot_after = spot_price(after);
    leg.marginal_after = marginal_price(after);
    route.amount_out += leg.amount_out;
    route.legs.push_back(std::move(leg));
  }
  route.average_price = to_units(route.amount_out, sides[0].decimals_out) / to_units(amount_in, sides[0].decimals_in);
  return route;
}

}  // namespace sluice::risk
