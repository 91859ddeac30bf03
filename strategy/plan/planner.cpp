#include "strategy/plan/planner.hpp"

#include "strategy/plan/disposal_venue.hpp"
#include "strategy/plan/sizing.hpp"
#include "strategy/plan/valuation.hpp"
#include "strategy/risk/numeric.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace sluice::plan {

namespace {

bool finite_non_negative(double x) { return std::isfinite(x) && x >= 0.0; }

/// A deterministic total order on positions (ties of the urgency and profit keys).
bool key_less(const book::PositionKey& a, const book::PositionKey& b) {
  return std::tie(a.protocol, a.market.bytes, a.account.bytes) < std::tie(b.protocol, b.market.bytes, b.account.bytes);
}

bool contains(const std::vector<book::PositionKey>& keys, const book::PositionKey& k) {
  return std::find(keys.begin(), keys.end(), k) != keys.end();
}

std::string usd(double x) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

/// The planner's state for one block: balances as they are used up, disposal venues per asset.
struct Context {
  const book::PositionBook& book;
  const risk::MarketModel& model;
  const PlannerConfig& config;
  const GasModel& gas;
  double native_usd = 0.0;
  std::map<book::AssetId, U256> balances;
  std::map<book::AssetId, std::optional<DisposalVenue>> venues;

  const std::optional<DisposalVenue>& venue(book::AssetId asset) {
    auto it = venues.find(asset);
    if (it == venues.end()) it = venues.emplace(asset, disposal_venue(book, model, asset)).first;
    return it->second;
  }
  bool sold(book::AssetId asset) { return config.dispose != Dispose::keep && venue(asset).has_value(); }
  double slippage(book::AssetId asset, const U256& amount) {
    if (!sold(asset)) return 0.0;
    return sale_slippage_usd(book, *venue(asset), amount).value_or(0.0);
  }
  U256 balance(book::AssetId asset) const {
    const auto it = balances.find(asset);
    return it == balances.end() ? U256{} : it->second;
  }

  /// Sizes against the balances left and fills gas and profit.
  Sizing size(const book::PositionView& view) {
    Sizing s = size_liquidation(
        book, view, [this](book::AssetId a) { return balance(a); },
        [this](book::AssetId a, const U256& amount) { return slippage(a, amount); });
    if (!s.order) return s;
    auto& o = *s.order;
    o.collateral_to_debt = view.debt_usd > 0.0 ? view.collateral_usd / view.debt_usd : HUGE_VAL;
    o.gas_units = view.key.protocol == Protocol::aave_v3 ? gas.aave_liquidation_gas : gas.morpho_liquidation_gas;
    if (sold(o.collateral)) o.gas_units += gas.swap_gas;
    const double wei_per_gas = risk::to_double(gas.base_fee + gas.priority_fee);
    o.gas_usd = static_cast<double>(o.gas_units) * wei_per_gas * 1e-18 * native_usd;
    o.profit_usd = o.seized_usd - o.repaid_usd - o.gas_usd - o.slippage_usd;
    return s;
  }
};

std::string describe_order(const LiquidationOrder& o) {
  return "repay " + usd(o.repaid_usd) + " USD, seize " + usd(o.seized_usd) + " USD, gas " + usd(o.gas_usd) +
         ", slippage " + usd(o.slippage_usd) + ", profit " + usd(o.profit_usd) + " USD";
}

void plan_sales(Context& ctx, const std::vector<book::AssetId>& needed, Plan& plan) {
  if (ctx.config.dispose == Dispose::keep) return;
  for (const auto& [asset, amount] : ctx.balances) {
    if (amount.is_zero() || std::find(needed.begin(), needed.end(), asset) != needed.end()) continue;
    const auto& venue = ctx.venue(asset);
    if (!venue) continue;
    risk::ThrottleConfig tc = ctx.config.throttle;
    tc.max_impact_bps = ctx.config.max_price_impact_bps;
    tc.max_sale_per_block = U256{};
    const auto price = usd_price(ctx.book, asset);
    if (ctx.config.max_collateral_sold_usd_per_block > 0.0 && price && *price > 0.0) {
      const double units = ctx.config.max_collateral_sold_usd_per_block / *price *
                           std::pow(10.0, ctx.book.asset(asset).decimals);
      tc.max_sale_per_block = risk::from_double(units).value_or(U256::max());
      if (tc.max_sale_per_block.is_zero()) tc.max_sale_per_block = U256{1};
    }
    const auto throttle = risk::plan_throttle(ctx.book, ctx.model, {asset, amount}, tc);
    U256 sale;
    SaleOrder order;
    if (throttle) {
      plan.throttle.push_back(*throttle);
      order.reason = throttle->reason;
      order.explanation = throttle->explanation;
      sale = ctx.config.dispose == Dispose::immediate ? amount : std::min(amount, throttle->max_sale_this_block);
    } else if (ctx.config.dispose == Dispose::immediate) {
      sale = amount;
      order.explanation = "immediate (no throttle plan: " + throttle.error().message() + ")";
    }
    if (sale.is_zero()) continue;
    const auto r = route(ctx.book, *venue, sale);
    if (!r) continue;
    order.asset = asset;
    order.proceeds = venue->proceeds;
    order.amount = sale;
    order.min_out = *mul_div_down(r->amount_out, U256{10'000 - kSaleSlippageToleranceBps}, U256{10'000});
    order.path = {ctx.book.asset(asset).address, ctx.book.asset(venue->proceeds).address};
    plan.sales.push_back(std::move(order));
  }
}

}  // namespace

const char* describe(PlanError e) noexcept {
  switch (e) {
    case PlanError::invalid_config: return "invalid planner configuration (negative or NaN amount, zero gas units)";
    case PlanError::no_native_price: return "the native token's USD price is unknown";
  }
  return "unknown plan error";
}

const char* skip_reason_name(SkipReason reason) noexcept {
  switch (reason) {
    case SkipReason::none: return "none";
    case SkipReason::unprofitable: return "unprofitable";
    case SkipReason::no_inventory: return "no_inventory";
    case SkipReason::in_flight: return "in_flight";
    case SkipReason::cooling_down: return "cooling_down";
    case SkipReason::max_in_flight: return "max_in_flight";
    case SkipReason::bad_debt_only: return "bad_debt_only";
    case SkipReason::math_error: return "math_error";
  }
  return "unknown";
}

std::size_t Plan::taken() const noexcept {
  return static_cast<std::size_t>(std::count_if(decisions.begin(), decisions.end(),
                                                [](const Decision& d) { return d.skip == SkipReason::none; }));
}

Result<Plan> plan_block(const book::PositionBook& book, const risk::MarketModel& model, const PlannerConfig& config,
                        const GasModel& gas, const KeeperState& state) {
  if (!std::isfinite(config.min_profit_usd) || config.min_profit_usd < 0.0 ||
      !finite_non_negative(config.max_collateral_sold_usd_per_block) ||
      !finite_non_negative(config.max_price_impact_bps) || gas.aave_liquidation_gas == 0 ||
      gas.morpho_liquidation_gas == 0)
    return PlanError::invalid_config;
  const auto native = usd_price(book, gas.native);
  if (!native || !(*native > 0.0)) return PlanError::no_native_price;

  Context ctx{book, model, config, gas, *native, {}, {}};
  for (const auto& [asset, amount] : state.balances) ctx.balances[asset] = ctx.balances[asset] + amount;

  book::ViewFilter filter;
  filter.max_health_factor = 1.0;
  filter.best_liquidation = false;
  auto views = book.view(filter);
  std::erase_if(views, [](const book::PositionView& v) { return !v.liquidatable; });

  Plan plan;
  std::vector<Decision> skipped;
  struct Candidate {
    const book::PositionView* view;
    LiquidationOrder first;  ///< sized against the whole inventory
  };
  std::vector<Candidate> candidates;
  std::vector<book::AssetId> needed;  ///< debt assets of this block's candidates: kept, never sold
  for (const auto& v : views) {
    Decision d;
    d.key = v.key;
    if (contains(state.in_flight, v.key)) {
      d.skip = SkipReason::in_flight;
      d.detail = "a liquidation of this position is pending";
    } else if (const auto it = std::find_if(state.cooling.begin(), state.cooling.end(),
                                            [&](const auto& c) { return c.first == v.key && book.block() < c.second; });
               it != state.cooling.end()) {
      d.skip = SkipReason::cooling_down;
      d.detail = "cooling down until block " + std::to_string(it->second);
    } else {
      // Sized with the whole inventory for ranking; resized below against what earlier orders leave.
      Sizing s = ctx.size(v);
      if (s.order) {
        candidates.push_back({&v, *s.order});
        if (std::find(needed.begin(), needed.end(), s.order->debt) == needed.end()) needed.push_back(s.order->debt);
        continue;
      }
      d.skip = s.skip;
      d.detail = s.detail;
    }
    skipped.push_back(std::move(d));
  }

  // Bad debt grows soonest where collateral covers the debt least; then the larger profit; then a fixed order.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.first.collateral_to_debt != b.first.collateral_to_debt)
      return a.first.collateral_to_debt < b.first.collateral_to_debt;
    if (a.first.profit_usd != b.first.profit_usd) return a.first.profit_usd > b.first.profit_usd;
    return key_less(a.view->key, b.view->key);
  });

  std::uint32_t pending = state.in_flight_count;
  for (const auto& c : candidates) {
    Decision d;
    d.key = c.view->key;
    // Resized only when earlier orders left less of its debt asset than it repays: other pairs (other debt
    // assets) can only have lost inventory too, so with enough left the first sizing is still the best one.
    Sizing s{c.first, SkipReason::none, {}};
    if (pending < config.max_in_flight && ctx.balance(c.first.debt) < c.first.debt_to_cover) s = ctx.size(*c.view);
    if (!s.order) {
      d.skip = s.skip;
      d.detail = s.detail + " (after earlier orders this block)";
      skipped.push_back(std::move(d));
      continue;
    }
    d.order = *s.order;
    if (d.order.profit_usd < config.min_profit_usd) {
      d.skip = SkipReason::unprofitable;
      d.detail = describe_order(d.order) + " < min " + usd(config.min_profit_usd);
    } else if (pending >= config.max_in_flight) {
      d.skip = SkipReason::max_in_flight;
      d.detail = std::to_string(pending) + " liquidations pending (max " + std::to_string(config.max_in_flight) + ")";
    } else {
      ++pending;
      auto& left = ctx.balances[d.order.debt];
      left = left - std::min(left, d.order.expected_debt_repaid);
      d.detail = describe_order(d.order);
      plan.decisions.push_back(std::move(d));
      continue;
    }
    skipped.push_back(std::move(d));
  }
  for (auto& d : skipped) plan.decisions.push_back(std::move(d));

  // Disposal: the seized collateral waiting to be sold, capped by the balance held before this block's
  // liquidations (what they seize is sold in later blocks); the keeper's own inventory is never sold.
  ctx.balances.clear();
  for (const auto& [asset, amount] : state.for_sale) {
    U256 held;
    for (const auto& [a, b] : state.balances)
      if (a == asset) held = held + b;
    ctx.balances[asset] = std::min(ctx.balances[asset] + amount, held);
  }
  plan_sales(ctx, needed, plan);
  return plan;
}

}  // namespace sluice::plan
