#include "strategy/risk/impact.hpp"

#include "strategy/risk/numeric.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sluice::risk {

const char* describe(ImpactError e) noexcept {
  switch (e) {
    case ImpactError::invalid_parameter: return "invalid impact parameter (negative, NaN, infinite or zero volume)";
    case ImpactError::empty_route: return "the route sold nothing";
  }
  return "unknown impact error";
}

double arbitrage_price(std::span<const PoolSide> sides) noexcept {
  double sum_root = 0.0, sum_in = 0.0;
  for (const PoolSide& s : sides) {
    if (s.reserve_in.is_zero() || s.reserve_out.is_zero()) continue;
    const double rin = to_units(s.reserve_in, s.decimals_in), rout = to_units(s.reserve_out, s.decimals_out);
    sum_root += std::sqrt(rin * rout);
    sum_in += rin;
  }
  if (sum_in == 0.0) return 0.0;
  const double root = sum_root / sum_in;
  return root * root;
}

Result<OnchainImpact> onchain_impact(const Route& route, double usd_per_out) noexcept {
  if (!std::isfinite(usd_per_out) || usd_per_out < 0.0) return ImpactError::invalid_parameter;
  if (route.amount_in.is_zero() || route.legs.empty()) return ImpactError::empty_route;
  std::vector<PoolSide> before, after;
  for (const RouteLeg& leg : route.legs) {
    const auto b = orient(leg.before, route.token_in);
    const auto a = orient(leg.after, route.token_in);
    if (!b || !a) return ImpactError::invalid_parameter;
    before.push_back(*b);
    after.push_back(*a);
  }
  OnchainImpact r;
  r.mid_before = arbitrage_price(before);
  r.mid_after = arbitrage_price(after);
  for (const RouteLeg& leg : route.legs) r.marginal_before = std::max(r.marginal_before, leg.marginal_before);
  r.average_price = route.average_price;
  if (r.mid_before <= 0.0 || r.marginal_before <= 0.0) return ImpactError::invalid_parameter;
  const double q = to_units(route.amount_in, before[0].decimals_in);
  const double out = to_units(route.amount_out, before[0].decimals_out);
  r.slippage_bps = (r.marginal_before - r.average_price) / r.marginal_before * 1e4;
  r.cost_vs_mid_bps = (r.mid_before - r.average_price) / r.mid_before * 1e4;
  r.slippage_usd = (r.marginal_before * q - out) * usd_per_out;
  r.cost_vs_mid_usd = (r.mid_before * q - out) * usd_per_out;
  r.permanent_bps = (r.mid_before - r.mid_after) / r.mid_before * 1e4;
  return r;
}

Result<VenueImpact> sqrt_law_impact(const SqrtLawParams& p, double quantity, double price_usd) noexcept {
  const auto bad = [](double v) { return !std::isfinite(v) || v < 0.0; };
  if (bad(p.y) || bad(p.sigma_daily) || bad(p.volume_daily) || bad(quantity) || bad(price_usd) ||
      bad(p.permanent_fraction) || p.permanent_fraction > 1.0)
    return ImpactError::invalid_parameter;
  VenueImpact r;
  if (quantity == 0.0) return r;
  if (p.volume_daily == 0.0) return ImpactError::invalid_parameter;
  r.peak = p.y * p.sigma_daily * std::sqrt(quantity / p.volume_daily);
  r.permanent = p.permanent_fraction * r.peak;
  r.temporary = r.peak - r.permanent;
  r.average_cost = 2.0 / 3.0 * r.peak;
  r.cost_usd = r.average_cost * quantity * price_usd;
  return r;
}

SaleImpact combine(const std::optional<OnchainImpact>& onchain, const std::optional<VenueImpact>& venue) noexcept {
  SaleImpact r;
  double kept = 1.0;
  if (onchain) {
    kept *= 1.0 - onchain->permanent_bps / 1e4;
    r.cost_usd += onchain->cost_vs_mid_usd;
  }
  if (venue) {
    kept *= 1.0 - venue->permanent;
    r.temporary = venue->temporary;
    r.cost_usd += venue->cost_usd;
  }
  r.permanent = 1.0 - kept;
  return r;
}

}  // namespace sluice::risk
