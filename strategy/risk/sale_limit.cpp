#include "strategy/risk/sale_limit.hpp"

#include <optional>

namespace sluice::risk {

bool route_stays_above(const Route& route, std::span<const RawPrice> thresholds) noexcept {
  for (const auto& leg : route.legs) {
    if (leg.amount_in.is_zero()) continue;
    if (leg.pool_index >= thresholds.size()) return false;
    const auto side = orient(leg.after, route.token_in);
    if (!side || !mid_at_least(side->reserve_in, side->reserve_out, thresholds[leg.pool_index])) return false;
  }
  return true;
}

Result<U256> max_routed_sale(std::span<const Pool> pools, const Address& token_in, const Address& token_out,
                             std::span<const RawPrice> thresholds, const U256& upper_bound) noexcept {
  if (pools.empty()) return RouteError::no_pools;
  // Malformed pool lists are errors; a total the pools cannot take counts as not holding.
  std::optional<boost::system::error_code> failure;
  const auto holds = [&](const U256& total) {
    if (total.is_zero() || failure) return true;
    auto route = route_sale(pools, token_in, token_out, total);
    if (!route) {
      if (route.error() == RouteError::pool_mismatch || route.error() == RouteError::no_pools) failure = route.error();
      return false;
    }
    return route_stays_above(*route, thresholds);
  };
  if (holds(upper_bound)) return upper_bound;
  if (failure) return *failure;
  U256 lo = 0, hi = upper_bound;  // holds(lo), !holds(hi)
  while (hi - lo > 1) {
    const U256 mid = lo + ((hi - lo) >> 1);
    (holds(mid) ? lo : hi) = mid;
  }
  if (failure) return *failure;
  return lo;
}

}  // namespace sluice::risk
