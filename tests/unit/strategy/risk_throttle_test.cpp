// strategy/risk/throttle: the throttle plan on small books worked by hand. Pool: 1,000 WETH / 2,000,000 USDC
// (mid $2,000); inventory 100 WETH. The largest sale a that keeps the pool's mid at or above P solves
// 997 a^2 + 1997 R a + 1000 R (R - R_out / P) = 0 (schedule.hpp) with R = 1000, R_out = 2e6 (whole tokens):
//   P = 1952 x 1.0025 = 1956.88 -> a = 10.9739657503 WETH;  P = 1900 x 1.0025 = 1904.75 -> a = 24.7353825286;
//   P = 2000 x 0.995 (a 50 bps impact cap) -> a = 2.5131840173.
// Selling all 100 WETH leaves the mid at (2e6 - 997 x 100 x 2e6 / (1e6 + 99,700)) / 1100 = $1,653.34.

#include "strategy/risk/throttle.hpp"

#include "strategy/risk/clusters.hpp"
#include "strategy/risk/impact.hpp"
#include "strategy/risk/numeric.hpp"
#include "strategy/risk/route.hpp"
#include "strategy/risk/sale_limit.hpp"
#include "tests/unit/strategy/throttle_fixture.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace sluice;
using namespace sluice::risk;
using namespace sluice::test::throttle;

namespace {

const U256 kInventory = tokens(100, 18);

/// One Aave position whose WETH liquidation price is `price` (10 WETH, debt price x 8.3 USDC, to the micro-USDC).
void add_at(sluice::book::PositionBook& b, std::uint32_t n, double price) {
  const auto micro = static_cast<std::uint64_t>(std::llround(price * 8.3 * 1e6));
  add_aave(b, n, tokens(10, 18), U256{micro});
}

MarketModel one_pool(std::uint64_t usdc = 2'000'000) {
  MarketModel m;
  m.pools = {weth_usdc_pool(1000, usdc)};
  return m;
}

ThrottleConfig config(std::uint32_t horizon = 20) {
  ThrottleConfig c;
  c.horizon_blocks = horizon;
  c.max_impact_bps = 0.0;  // off unless a test turns it on
  return c;
}

U256 total(const ThrottlePlan& plan) {
  U256 s;
  for (const auto& slice : plan.schedule) s += slice.amount;
  return s;
}

/// Whether selling `amount` into `pools` leaves every pool that received a share at or above `price` x (1 + bps).
bool stays_above(const MarketModel& m, const U256& amount, double price, double bps) {
  const auto route = route_sale(m.pools, kWethToken, kUsdcToken, amount);
  REQUIRE(route.has_value());
  const auto raw = raw_price(price * (1.0 + bps / 1e4), 18, 6);
  REQUIRE(raw.has_value());
  const std::vector<RawPrice> thresholds(m.pools.size(), *raw);
  return route_stays_above(*route, thresholds);
}

}  // namespace

TEST_CASE("throttle: no cluster above the full sale's price sells everything now") {
  auto book = make_book();
  add_at(book, 1, 1000.0);  // $8,300 of debt at $1,000, below the $1,653 a full sale leaves
  const auto weth = *book.find_asset(kWethToken);
  const auto plan = plan_throttle(book, one_pool(), {weth, kInventory}, config());
  REQUIRE(plan.has_value());
  CHECK(plan->reason == ThrottleReason::none);
  CHECK(plan->max_sale_this_block == kInventory);
  REQUIRE(plan->schedule.size() == 1);
  CHECK(plan->schedule[0].block_offset == 0);
  CHECK(plan->schedule[0].amount == kInventory);
  CHECK(plan->blocks == 1);
  CHECK(plan->market_price_usd == doctest::Approx(2000.0));
  CHECK(plan->full_sale_price_usd == doctest::Approx(1653.3434738));
  CHECK(plan->next_cluster_price_usd == doctest::Approx(1000.0));
  CHECK(plan->explanation ==
        "selling all 100 WETH now leaves WETH at $1,653, above the next cluster: $8,300 of debt liquidating at $1,000 "
        "(cluster of 1 position)");

  // An empty book: no cluster at all.
  const auto empty = make_book();
  const auto bare = plan_throttle(empty, one_pool(), {weth, kInventory}, config());
  REQUIRE(bare.has_value());
  CHECK(bare->reason == ThrottleReason::none);
  CHECK(bare->next_cluster_price_usd == 0.0);
  CHECK(bare->explanation == "selling all 100 WETH now leaves WETH at $1,653; no cluster of $1,000+ debt below $2,000");
}

TEST_CASE("throttle: a cluster just below gets the exact largest sale; the schedule sums to the inventory") {
  auto book = make_book();
  add_at(book, 1, 1952.0);
  const auto weth = *book.find_asset(kWethToken);
  const auto model = one_pool();
  const auto plan = plan_throttle(book, model, {weth, kInventory}, config());
  REQUIRE(plan.has_value());
  CHECK(plan->reason == ThrottleReason::next_cluster);
  CHECK(plan->next_cluster_price_usd == doctest::Approx(1952.0).epsilon(1e-12));
  CHECK(plan->next_cluster_debt_usd == doctest::Approx(16'201.6));
  CHECK(plan->protected_price_usd == doctest::Approx(1956.88).epsilon(1e-12));
  const U256 m = plan->max_sale_this_block;
  CHECK(to_units(m, 18) == doctest::Approx(10.9739657503).epsilon(1e-9));
  // Exact: it holds, one wei more crosses; and with one pool it is max_sale_above_price itself.
  CHECK(stays_above(model, m, plan->next_cluster_price_usd, 25.0));
  CHECK_FALSE(stays_above(model, m + 1, plan->next_cluster_price_usd, 25.0));
  CHECK(m == *max_sale_above_price(*orient(model.pools[0], kWethToken), plan->next_cluster_price_usd, 25.0));

  // Schedule: m now, the rest (89.03 WETH) evenly over 20 blocks (4.45 each, under m).
  CHECK(total(*plan) == kInventory);
  REQUIRE(plan->schedule.size() == 21);
  CHECK(plan->schedule[0].amount == m);
  const U256 rest = kInventory - m;
  for (std::uint32_t k = 1; k <= 20; ++k) {
    CHECK(plan->schedule[k].block_offset == k);
    CHECK(plan->schedule[k].amount >= rest / U256{20});
    CHECK(plan->schedule[k].amount <= rest / U256{20} + 1);
  }
  CHECK(plan->blocks == 21);
  CHECK_FALSE(plan->beyond_horizon);
  CHECK(plan->explanation ==
        "holding back: selling 100 WETH now would push WETH to $1,653, through $16.2k of debt liquidating at $1,952 "
        "(cluster of 1 position); selling 10.97 WETH now, then up to 4.45 WETH/block over the next 20 blocks keeps "
        "the price above $1,957");
}

TEST_CASE("throttle: the routed maximum across two pools is exact at the wei") {
  auto book = make_book();
  add_at(book, 1, 1952.0);
  const auto weth = *book.find_asset(kWethToken);
  MarketModel model;
  // 1,000 + 500 WETH at the same $2,000: like one 1,500 / 3,000,000 pool, a = 16.4609486254 WETH.
  model.pools = {weth_usdc_pool(1000, 2'000'000, 1), weth_usdc_pool(500, 1'000'000, 2)};
  const auto plan = plan_throttle(book, model, {weth, kInventory}, config());
  REQUIRE(plan.has_value());
  const U256 m = plan->max_sale_this_block;
  CHECK(to_units(m, 18) == doctest::Approx(16.4609486254).epsilon(1e-6));
  CHECK(stays_above(model, m, plan->next_cluster_price_usd, 25.0));
  CHECK_FALSE(stays_above(model, m + 1, plan->next_cluster_price_usd, 25.0));
  // Each leg is at most its own pool's limit.
  const auto route = route_sale(model.pools, kWethToken, kUsdcToken, m);
  for (const auto& leg : route->legs)
    CHECK(leg.amount_in <= *max_sale_above_price(*orient(model.pools[leg.pool_index], kWethToken),
                                                 plan->next_cluster_price_usd, 25.0));
  CHECK(total(*plan) == kInventory);
}

TEST_CASE("throttle: the configured caps bind and extend the schedule past the horizon") {
  auto book = make_book();
  add_at(book, 1, 1952.0);
  const auto weth = *book.find_asset(kWethToken);
  const auto model = one_pool();

  SUBCASE("amount cap: 5 WETH per block") {
    auto c = config(4);
    c.max_sale_per_block = tokens(5, 18);
    const auto plan = plan_throttle(book, model, {weth, kInventory}, c);
    REQUIRE(plan.has_value());
    CHECK(plan->reason == ThrottleReason::impact_cap);
    CHECK(plan->max_sale_this_block == tokens(5, 18));
    // 5 now, the rest 95 over 4 blocks would be 23.75 each: clamped to 5, carried on: 19 more blocks.
    CHECK(total(*plan) == kInventory);
    CHECK(plan->schedule.size() == 20);
    CHECK(plan->blocks == 20);
    CHECK(plan->beyond_horizon);
    for (const auto& s : plan->schedule) CHECK(s.amount == tokens(5, 18));
    CHECK(plan->explanation.find("past the 4-block horizon") != std::string::npos);
  }
  SUBCASE("impact cap: 50 bps per block") {
    auto c = config(4);
    c.max_impact_bps = 50.0;
    const auto plan = plan_throttle(book, model, {weth, kInventory}, c);
    REQUIRE(plan.has_value());
    CHECK(plan->reason == ThrottleReason::impact_cap);
    const U256 m = plan->max_sale_this_block;
    CHECK(to_units(m, 18) == doctest::Approx(2.5131840173).epsilon(1e-9));
    CHECK(m == *max_sale_above_price(*orient(model.pools[0], kWethToken), 2000.0 * 0.995, 0.0));
    CHECK(stays_above(model, m, 2000.0 * 0.995, 0.0));
    CHECK_FALSE(stays_above(model, m + 1, 2000.0 * 0.995, 0.0));
    CHECK(total(*plan) == kInventory);
    for (const auto& s : plan->schedule) CHECK(s.amount <= m);
    // ceil(100 / 2.513) = 40 blocks.
    CHECK(plan->blocks == 40);
  }
  SUBCASE("the cluster below the cap: the cluster binds") {
    auto c = config();
    c.max_sale_per_block = tokens(50, 18);
    const auto plan = plan_throttle(book, model, {weth, kInventory}, c);
    REQUIRE(plan.has_value());
    CHECK(plan->reason == ThrottleReason::next_cluster);
    CHECK(to_units(plan->max_sale_this_block, 18) == doctest::Approx(10.9739657503).epsilon(1e-9));
  }
}

TEST_CASE("throttle: risk-neutral even split vs risk-averse front-loading") {
  auto book = make_book();
  add_at(book, 1, 1900.0);  // a = 24.7353825286 WETH now, 75.26 WETH left
  const auto weth = *book.find_asset(kWethToken);
  auto c = config(5);
  const auto neutral = plan_throttle(book, one_pool(), {weth, kInventory}, c);
  REQUIRE(neutral.has_value());
  CHECK(to_units(neutral->max_sale_this_block, 18) == doctest::Approx(24.7353825286).epsilon(1e-9));
  const U256 rest = kInventory - neutral->max_sale_this_block;
  REQUIRE(neutral->schedule.size() == 6);
  for (std::size_t k = 1; k < 6; ++k) {
    CHECK(neutral->schedule[k].amount >= rest / U256{5});
    CHECK(neutral->schedule[k].amount <= rest / U256{5} + 1);
  }
  // lambda sigma^2 / (2 eta) = 0.05 x 1 / 2 = 0.025: cosh kappa = 1.025, kappa = ln 1.25 (cosh = (1.25 + 0.8) / 2).
  // Holdings x_j = sinh(kappa (5 - j)) / sinh(5 kappa) = (1.25^(5-j) - 1.25^(j-5)) / (1.25^5 - 1.25^-5); the sale
  // in block j is rest (x_{j-1} - x_j): 25.4%, 21.2%, 18.4%, 16.7%, 18.3%... of the rest, the first one largest.
  c.schedule = AlmgrenChrissParams{1.0, 0.0, 1.0, 0.05};
  const auto averse = plan_throttle(book, one_pool(), {weth, kInventory}, c);
  REQUIRE(averse.has_value());
  CHECK(averse->max_sale_this_block == neutral->max_sale_this_block);
  REQUIRE(averse->schedule.size() == 6);
  const auto x = [](int j) { return (std::pow(1.25, 5 - j) - std::pow(1.25, j - 5)) / (std::pow(1.25, 5) - std::pow(1.25, -5)); };
  const double r = to_units(rest, 18);
  for (int j = 1; j <= 5; ++j)
    CHECK(to_units(averse->schedule[static_cast<std::size_t>(j)].amount, 18) == doctest::Approx(r * (x(j - 1) - x(j))).epsilon(1e-9));
  CHECK(averse->schedule[1].amount > neutral->schedule[1].amount);  // front-loaded
  CHECK(averse->schedule[1].amount > averse->schedule[2].amount);
  CHECK(total(*averse) == kInventory);
}

TEST_CASE("throttle: the bad-debt race flips the decision") {
  auto book = make_book();
  add_at(book, 1, 1952.0);  // the cluster: $16,201.6 of debt
  // Underwater: 10 WETH ($20,000) against 30,000 USDC: $10k of bad debt, exposed to WETH.
  add_aave(book, 2, tokens(10, 18), tokens(30'000, 6));
  const auto weth = *book.find_asset(kWethToken);
  const auto model = one_pool();

  const auto held = plan_throttle(book, model, {weth, kInventory}, config());
  REQUIRE(held.has_value());
  CHECK(held->reason == ThrottleReason::next_cluster);
  CHECK(held->bad_debt_growth_usd_per_block == 0.0);  // the fixture's rates are zero, no drift
  // Selling now liquidates the cluster: 16,201.6 x 50% close factor x 5% bonus = 405.04, plus the slippage a full
  // sale pays beyond the throttled slices' (each on the pools as they are now).
  const auto full = onchain_impact(*route_sale(model.pools, kWethToken, kUsdcToken, kInventory), 1.0);
  double sliced = 0.0;
  for (const auto& s : held->schedule)
    sliced += onchain_impact(*route_sale(model.pools, kWethToken, kUsdcToken, s.amount), 1.0)->slippage_usd;
  CHECK(held->sell_now_cost_usd == doctest::Approx(405.04 + full->slippage_usd - sliced));
  CHECK(full->slippage_usd == doctest::Approx(199'400.0 - 199'400'000'000.0 / 1'099'700.0));  // 1994 x 100 - out

  // Break-even drift: waiting 20 blocks costs 20 x $20,000 x drift.
  const double breakeven_bps = held->sell_now_cost_usd / (20.0 * 20'000.0) * 1e4;
  auto c = config();
  c.price_drift_bps_per_block = breakeven_bps * 0.9;
  const auto still = plan_throttle(book, model, {weth, kInventory}, c);
  REQUIRE(still.has_value());
  CHECK(still->reason == ThrottleReason::next_cluster);
  CHECK(still->bad_debt_growth_usd_per_block == doctest::Approx(20'000.0 * breakeven_bps * 0.9 / 1e4));
  CHECK(still->waiting_cost_usd == doctest::Approx(0.9 * held->sell_now_cost_usd));

  c.price_drift_bps_per_block = breakeven_bps * 1.1;
  const auto race = plan_throttle(book, model, {weth, kInventory}, c);
  REQUIRE(race.has_value());
  CHECK(race->reason == ThrottleReason::bad_debt_race);
  CHECK(race->max_sale_this_block == kInventory);
  REQUIRE(race->schedule.size() == 1);
  CHECK(race->schedule[0].amount == kInventory);
  CHECK(race->explanation.rfind("selling now (bad-debt race)", 0) == 0);

  // With a hard cap the race sells what the cap allows now.
  c.max_sale_per_block = tokens(40, 18);
  const auto capped = plan_throttle(book, model, {weth, kInventory}, c);
  REQUIRE(capped.has_value());
  CHECK(capped->reason == ThrottleReason::bad_debt_race);
  CHECK(capped->max_sale_this_block == tokens(40, 18));
  CHECK(total(*capped) == kInventory);
}

TEST_CASE("throttle: bad debt grows by the borrow rate per block") {
  auto market = aave_market(kT0);
  // 30% a year on USDC: 30,000 x 0.3 x 12 / 31,536,000 = $0.00342466 a block on the underwater account.
  market.reserves[kUsdc].current_variable_borrow_rate = kRayU * U256{3} / U256{10};
  auto book = make_book(market);
  add_at(book, 1, 1952.0);
  add_aave(book, 2, tokens(10, 18), tokens(30'000, 6));
  const auto weth = *book.find_asset(kWethToken);
  const auto plan = plan_throttle(book, one_pool(), {weth, kInventory}, config());
  REQUIRE(plan.has_value());
  CHECK(plan->bad_debt_growth_usd_per_block == doctest::Approx(30'000.0 * 0.3 * 12.0 / 31'536'000.0));
}

TEST_CASE("throttle: no liquidity, nothing sellable, and the executor's caps") {
  auto book = make_book();
  add_at(book, 1, 1952.0);
  const auto weth = *book.find_asset(kWethToken);

  const auto none = plan_throttle(book, MarketModel{}, {weth, kInventory}, config());
  REQUIRE(none.has_value());
  CHECK(none->reason == ThrottleReason::no_liquidity);
  CHECK(none->max_sale_this_block.is_zero());
  CHECK(none->schedule.empty());
  CHECK(none->explanation == "no pool trades WETH: nothing can be sold");

  // Pool at $1,955 is already under the protected $1,956.88: nothing can be sold this block.
  const auto stuck = plan_throttle(book, one_pool(1'955'000), {weth, kInventory}, config());
  REQUIRE(stuck.has_value());
  CHECK(stuck->reason == ThrottleReason::next_cluster);
  CHECK(stuck->max_sale_this_block.is_zero());
  CHECK(stuck->schedule.empty());
  CHECK(block_caps(*stuck).empty());
  CHECK(stuck->explanation.find("not selling this block") != std::string::npos);

  // Caps: dense per block offset.
  ThrottlePlan plan;
  plan.schedule = {{0, weth, 7}, {2, weth, 3}, {3, weth, 1}};
  CHECK(block_caps(plan) == std::vector<U256>{7, 0, 3, 1});

  const auto nothing = plan_throttle(book, one_pool(), {weth, U256{}}, config());
  REQUIRE(nothing.has_value());
  CHECK(nothing->schedule.empty());
  CHECK(nothing->reason == ThrottleReason::none);
}

TEST_CASE("throttle: bad input is an error") {
  const auto book = make_book();
  const auto weth = *book.find_asset(kWethToken);
  CHECK(plan_throttle(book, one_pool(), {500, kInventory}, config()).error() == ThrottleError::unknown_asset);
  auto c = config();
  c.horizon_blocks = 0;
  CHECK(plan_throttle(book, one_pool(), {weth, kInventory}, c).error() == ThrottleError::invalid_config);
  c = config();
  c.safety_margin_bps = -1.0;
  CHECK(plan_throttle(book, one_pool(), {weth, kInventory}, c).error() == ThrottleError::invalid_config);
  c = config();
  c.cluster_bucket = std::nan("");
  CHECK(plan_throttle(book, one_pool(), {weth, kInventory}, c).error() == ThrottleError::invalid_config);
  c = config();
  c.schedule.lambda = 1.0;  // eta = 0: the AC model has no solution
  auto with_cluster = make_book();
  add_at(with_cluster, 1, 1952.0);
  CHECK(plan_throttle(with_cluster, one_pool(), {weth, kInventory}, c).error() == ScheduleError::non_positive_eta);
}
