// The throttle plan: the method is in throttle.hpp; the one-line explanation in throttle_text.cpp.
#include "strategy/risk/throttle.hpp"

#include "strategy/morpho/math.hpp"
#include "strategy/risk/clusters.hpp"
#include "strategy/risk/numeric.hpp"
#include "strategy/risk/sale_limit.hpp"
#include "strategy/risk/throttle_text.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace sluice::risk {

const char* describe(ThrottleError e) noexcept {
  switch (e) {
    case ThrottleError::unknown_asset: return "inventory asset not in the book";
    case ThrottleError::no_price: return "no USD price for the asset or the token it is sold for";
    case ThrottleError::invalid_config: return "invalid throttle configuration";
  }
  return "unknown throttle error";
}

const char* reason_name(ThrottleReason reason) noexcept {
  switch (reason) {
    case ThrottleReason::none: return "none";
    case ThrottleReason::next_cluster: return "next_cluster";
    case ThrottleReason::impact_cap: return "impact_cap";
    case ThrottleReason::bad_debt_race: return "bad_debt_race";
    case ThrottleReason::no_liquidity: return "no_liquidity";
  }
  return "unknown";
}

std::vector<U256> block_caps(const ThrottlePlan& plan) {
  std::vector<U256> caps(plan.schedule.empty() ? 0 : plan.schedule.back().block_offset + 1);
  for (const auto& s : plan.schedule) caps[s.block_offset] += s.amount;
  return caps;
}

namespace {

constexpr double kSecondsPerYear = 365.0 * 24 * 60 * 60;  // Aave MathUtils.SECONDS_PER_YEAR
constexpr double kAaveCloseFactor = 0.5;                   // at the crossing HF is ~1 > 0.95: 50%

bool valid_config(const ThrottleConfig& c) noexcept {
  const auto nonneg = [](double v) { return std::isfinite(v) && v >= 0.0; };
  return nonneg(c.safety_margin_bps) && nonneg(c.min_cluster_debt_usd) && nonneg(c.max_impact_bps) &&
         c.max_impact_bps < 1e4 && nonneg(c.block_seconds) && std::isfinite(c.price_drift_bps_per_block) &&
         c.cluster_bucket >= 1e-5 && c.cluster_bucket < 1.0 && c.horizon_blocks > 0;
}

/// The pools that trade `in` for `out`, as the route takes them.
struct Venue {
  Address token_in, token_out;
  std::vector<Pool> pools;
  std::vector<PoolSide> sides;  ///< same order
  double mid = 0.0;             ///< arbitrage mid, whole out per whole in
  double usd_per_out = 0.0;
};

/// What the asset is sold for: MarketModel::sell_for, else the other token of its deepest pool (largest reserve
/// of the asset).
std::optional<Address> sell_for(const book::PositionBook& book, const MarketModel& model, book::AssetId asset) {
  for (const auto& [from, to] : model.sell_for)
    if (from == asset && to < book.asset_count()) return book.asset(to).address;
  const Address& in = book.asset(asset).address;
  std::optional<Address> best;
  U256 depth;
  for (const auto& p : model.pools) {
    const auto side = orient(p, in);
    if (!side || (best && side->reserve_in <= depth)) continue;
    depth = side->reserve_in;
    best = p.token0 == in ? p.token1 : p.token0;
  }
  return best;
}

/// Selling 1 - close factor x bonus: what a liquidation of `v` costs its borrower (and the system), USD.
double liquidation_bonus_cost(const book::PositionBook& book, const book::PositionView& v, book::AssetId asset) {
  if (v.key.protocol == Protocol::morpho_blue) {
    const auto* m = book.morpho_market(v.key.market);
    if (!m) return 0.0;
    const double lif = to_double(morpho::liquidation_incentive_factor(m->params.lltv)) / 1e18;
    return v.debt_usd * std::max(0.0, lif - 1.0);
  }
  const auto& market = book.aave_market();
  const Address& a = book.asset(asset).address;
  for (const auto& r : market.reserves) {
    if (r.asset != a) continue;
    double bonus = r.config.liquidation_bonus_bps;
    if (r.config.emode_category != 0) {
      const auto user = book.aave_user(v.key.account);
      if (user && user->emode_category == r.config.emode_category)
        if (const auto* e = market.emode(user->emode_category)) bonus = e->liquidation_bonus_bps;
    }
    return v.debt_usd * kAaveCloseFactor * std::max(0.0, bonus / 1e4 - 1.0);
  }
  return 0.0;
}

/// Bad debt growth per block (USD) of the positions exposed to `asset` already worth less than their debt.
double bad_debt_growth(const book::PositionBook& book, std::span<const book::PositionView> views, book::AssetId asset,
                       const ThrottleConfig& config) {
  // Aave variable borrow rate per block, by book asset.
  std::vector<double> aave_rate(book.asset_count(), 0.0);
  for (const auto& r : book.aave_market().reserves)
    if (const auto id = book.find_asset(r.asset))
      aave_rate[*id] = to_double(r.current_variable_borrow_rate) / 1e27 * config.block_seconds / kSecondsPerYear;
  double growth = 0.0;
  for (const auto& v : views) {
    if (!v.error.empty() || v.collateral_usd >= v.debt_usd) continue;
    const auto exposed = std::find_if(v.collateral.begin(), v.collateral.end(),
                                      [&](const book::Holding& h) { return h.asset == asset; });
    if (exposed == v.collateral.end()) continue;
    growth += exposed->usd * config.price_drift_bps_per_block / 1e4;
    if (v.key.protocol == Protocol::morpho_blue) {
      if (const auto* m = book.morpho_market(v.key.market))
        growth += v.debt_usd * to_double(m->borrow_rate) / 1e18 * config.block_seconds;
    } else {
      for (const auto& d : v.debt)
        if (d.asset < aave_rate.size()) growth += d.usd * aave_rate[d.asset];
    }
  }
  return growth;
}

/// Sells `now` this block, the rest over blocks 1..horizon by ac_schedule, each slice at most `cap` (excess carried
/// to the following blocks, past the horizon if needed).
Result<void> build_schedule(ThrottlePlan& plan, const U256& total, const U256& cap, const ThrottleConfig& config) {
  plan.schedule.clear();
  plan.beyond_horizon = false;
  plan.blocks = 0;
  const U256 now = std::min(total, cap);
  if (now.is_zero()) return {};
  plan.schedule.push_back({0, plan.asset, now});
  const U256 rest = total - now;
  if (!rest.is_zero()) {
    AlmgrenChrissParams params = config.schedule;
    if (params.lambda == 0.0) params = AlmgrenChrissParams{1.0, 0.0, 0.0, 0.0};  // kappa = 0: the even split
    auto slices = ac_schedule(rest, config.horizon_blocks, params);
    if (!slices) return slices.error();
    U256 carry;
    std::uint32_t k = 1;
    for (const U256& s : *slices) {
      U256 want = s + carry;
      const U256 sell = std::min(want, cap);
      carry = want - sell;
      if (!sell.is_zero()) plan.schedule.push_back({k, plan.asset, sell});
      ++k;
    }
    if (!carry.is_zero()) plan.beyond_horizon = true;
    for (; !carry.is_zero(); ++k) {
      const U256 sell = std::min(carry, cap);
      plan.schedule.push_back({k, plan.asset, sell});
      carry -= sell;
    }
  }
  plan.blocks = plan.schedule.back().block_offset + 1;
  return {};
}

/// Slippage (USD) of selling `amount` into the pools as they are now.
double slippage_usd(const Venue& venue, const U256& amount) {
  auto route = route_sale(venue.pools, venue.token_in, venue.token_out, amount);
  if (!route) return 0.0;
  auto impact = onchain_impact(*route, venue.usd_per_out);
  return impact ? impact->slippage_usd : 0.0;
}

/// Largest routed sale keeping every leg at or above `threshold(i)` (whole out per whole in) for pool i.
template <class Threshold>
Result<U256> max_sale(const Venue& venue, const U256& inventory, Threshold threshold, double margin_bps) {
  std::vector<RawPrice> raw;
  U256 bound;
  for (std::size_t i = 0; i < venue.sides.size(); ++i) {
    const auto& side = venue.sides[i];
    const double t = threshold(i);
    const auto r = raw_price(t * (1.0 + margin_bps / 1e4), side.decimals_in, side.decimals_out);
    if (!r) return ThrottleError::invalid_config;
    raw.push_back(*r);
    if (auto m = max_sale_above_price(side, t, margin_bps)) bound = std::min(inventory, bound + *m);
  }
  return max_routed_sale(venue.pools, venue.token_in, venue.token_out, raw, bound);
}

}  // namespace

Result<ThrottlePlan> plan_throttle(const book::PositionBook& book, const MarketModel& model,
                                   const Inventory& inventory, const ThrottleConfig& config) {
  if (!valid_config(config)) return ThrottleError::invalid_config;
  if (inventory.asset >= book.asset_count()) return ThrottleError::unknown_asset;
  ThrottlePlan plan;
  plan.asset = inventory.asset;
  const auto& asset = book.asset(inventory.asset);
  TextContext text{asset.symbol, asset.decimals, "", config};

  Venue venue;
  venue.token_in = asset.address;
  const auto out = sell_for(book, model, inventory.asset);
  if (out) {
    venue.token_out = *out;
    for (const auto& p : model.pools) {
      const auto side = orient(p, venue.token_in);
      const Address& other = p.token0 == venue.token_in ? p.token1 : p.token0;
      if (!side || other != venue.token_out || side->reserve_in.is_zero() || side->reserve_out.is_zero()) continue;
      venue.pools.push_back(p);
      venue.sides.push_back(*side);
    }
    if (const auto id = book.find_asset(venue.token_out)) text.quote_symbol = book.asset(*id).symbol;
  }
  if (inventory.amount.is_zero()) {
    plan.explanation = explain_nothing_to_sell(text);
    return plan;
  }
  if (venue.pools.empty()) {
    plan.reason = ThrottleReason::no_liquidity;
    plan.explanation = explain_no_liquidity(text);
    return plan;
  }
  venue.mid = arbitrage_price(venue.sides);
  const auto asset_usd = asset_price_usd(book, inventory.asset);
  const auto out_id = book.find_asset(venue.token_out);
  const auto out_usd = out_id ? asset_price_usd(book, *out_id) : std::nullopt;
  // Without a USD price for the quote token, assume the pools trade at the book's price of the asset.
  venue.usd_per_out = out_usd ? *out_usd : asset_usd && venue.mid > 0.0 ? *asset_usd / venue.mid : 0.0;
  if (!(venue.usd_per_out > 0.0) || !(venue.mid > 0.0)) return ThrottleError::no_price;
  plan.market_price_usd = venue.mid * venue.usd_per_out;

  // The next cluster below the market price.
  book::ViewFilter filter;  // the positions exposed to the asset, without their best liquidations
  filter.exposed_to = inventory.asset;
  filter.best_liquidation = false;
  const auto views = book.view(filter);
  auto map = liquidation_map(views, inventory.asset, plan.market_price_usd, config.cluster_bucket, 0.0);
  if (!map) return map.error();
  const auto* cluster = next_cluster(*map, config.min_cluster_debt_usd);
  if (cluster) {
    plan.next_cluster_price_usd = cluster->max_price_usd;
    plan.next_cluster_debt_usd = cluster->total_debt_usd();
    plan.next_cluster_positions = cluster->positions;
    plan.protected_price_usd = cluster->max_price_usd * (1.0 + config.safety_margin_bps / 1e4);
  }

  // Selling everything now.
  auto full = route_sale(venue.pools, venue.token_in, venue.token_out, inventory.amount);
  if (!full) return full.error();
  auto full_impact = onchain_impact(*full, venue.usd_per_out);
  if (!full_impact) return full_impact.error();
  plan.full_sale_price_usd = full_impact->mid_after * venue.usd_per_out;

  // The caps: configured amount, own impact per pool, then the cluster.
  U256 hard = inventory.amount;
  if (!config.max_sale_per_block.is_zero()) hard = std::min(hard, config.max_sale_per_block);
  if (config.max_impact_bps > 0.0) {
    const double keep = 1.0 - config.max_impact_bps / 1e4;
    auto impact_max = max_sale(venue, inventory.amount, [&](std::size_t i) { return spot_price(venue.sides[i]) * keep; }, 0.0);
    if (!impact_max) return impact_max.error();
    hard = std::min(hard, *impact_max);
  }
  U256 allowed = hard;
  if (cluster) {
    const double threshold = cluster->max_price_usd / venue.usd_per_out;
    auto cluster_max = max_sale(venue, inventory.amount, [&](std::size_t) { return threshold; }, config.safety_margin_bps);
    if (!cluster_max) return cluster_max.error();
    allowed = std::min(allowed, *cluster_max);
  }
  plan.reason = allowed == inventory.amount ? ThrottleReason::none
                : allowed < hard           ? ThrottleReason::next_cluster
                                           : ThrottleReason::impact_cap;
  plan.max_sale_this_block = allowed;
  if (auto s = build_schedule(plan, inventory.amount, allowed, config); !s) return s.error();

  if (plan.reason == ThrottleReason::next_cluster) {
    // The race: what waiting lets bad debt grow by, against what selling everything now costs.
    plan.bad_debt_growth_usd_per_block = bad_debt_growth(book, views, inventory.asset, config);
    const double waited = plan.schedule.empty() ? config.horizon_blocks : plan.blocks - 1.0;
    plan.waiting_cost_usd = plan.bad_debt_growth_usd_per_block * waited;
    double bonuses = 0.0;
    for (const auto& v : views) {
      if (!v.error.empty() || v.liquidatable) continue;
      const auto p = liquidation_price_in(v, inventory.asset);
      if (p && *p >= plan.full_sale_price_usd && *p < plan.market_price_usd)
        bonuses += liquidation_bonus_cost(book, v, inventory.asset);
    }
    std::map<U256, double> memo;
    double throttled_slippage = 0.0;
    for (const auto& s : plan.schedule) {
      auto [it, fresh] = memo.try_emplace(s.amount, 0.0);
      if (fresh) it->second = slippage_usd(venue, s.amount);
      throttled_slippage += it->second;
    }
    plan.sell_now_cost_usd = bonuses + std::max(0.0, full_impact->slippage_usd - throttled_slippage);
    if (plan.waiting_cost_usd > plan.sell_now_cost_usd) {
      plan.reason = ThrottleReason::bad_debt_race;
      plan.max_sale_this_block = hard;
      if (auto s = build_schedule(plan, inventory.amount, hard, config); !s) return s.error();
    }
  }
  plan.explanation = explain(plan, inventory.amount, text);
  return plan;
}

}  // namespace sluice::risk
