// The planner (strategy/plan/planner.hpp) on small books with hand-worked numbers. Fixture (book_fixture.hpp): WETH
// $2,000 (LT 83%, bonus 5%, protocol fee 10% of the bonus), USDC $1; every index 1 RAY, so scaled balances are
// amounts. A position "W/D" below holds W WETH of collateral and owes D USDC.

#include "strategy/plan/planner.hpp"

#include "strategy/morpho/math.hpp"
#include "tests/unit/strategy/throttle_fixture.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::plan;
using namespace sluice::test::throttle;

namespace {

struct World {
  book::PositionBook book = make_book();
  risk::MarketModel model;
  PlannerConfig config;
  GasModel gas;
  KeeperState state;
  book::AssetId weth = *book.find_asset(kWethToken);
  book::AssetId usdc = *book.find_asset(kUsdcToken);

  World() {
    config.min_profit_usd = 0.0;
    config.dispose = Dispose::keep;
    gas.native = weth;  // base fee and tip 0: no gas cost unless a test sets them
    model.sell_for = {{weth, usdc}};
  }
  Address add(std::uint32_t n, std::uint64_t weth_whole, std::uint64_t usdc_whole) {
    add_aave(book, n, tokens(weth_whole, 18), tokens(usdc_whole, 6));
    return address_of(0x10, n);
  }
  void hold(book::AssetId asset, const U256& amount) { state.balances.emplace_back(asset, amount); }
  /// Seized collateral waiting to be sold (also held).
  void seized(book::AssetId asset, const U256& amount) {
    hold(asset, amount);
    state.for_sale.emplace_back(asset, amount);
  }
  Plan plan() {
    auto p = plan_block(book, model, config, gas, state);
    REQUIRE(p.has_value());
    return *p;
  }
};

const Decision* find(const Plan& p, const Address& account) {
  for (const auto& d : p.decisions)
    if (d.key.account == account) return &d;
  return nullptr;
}

}  // namespace

TEST_CASE("planner: Aave close factor 50% (HF > 0.95)") {
  World w;
  const auto a = w.add(1, 10, 17'000);  // HF 16,600 / 17,000 = 0.976
  w.hold(w.usdc, tokens(1'000'000, 6));
  const auto p = w.plan();
  REQUIRE(p.taken() == 1);
  const auto& o = p.decisions[0].order;
  CHECK(p.decisions[0].key.account == a);
  CHECK(o.collateral == w.weth);
  CHECK(o.debt == w.usdc);
  // 50% of 17,000 USDC; 8,500 / 2,000 x 1.05 = 4.4625 WETH, less 10% of the 0.2125 bonus = 4.44125 WETH.
  CHECK(o.debt_to_cover == tokens(8'500, 6));
  CHECK(o.expected_debt_repaid == tokens(8'500, 6));
  CHECK(o.expected_collateral_seized == tokens(4, 18, 441'250));
  CHECK(o.repaid_usd == doctest::Approx(8'500.0));
  CHECK(o.seized_usd == doctest::Approx(8'882.5));
  CHECK(o.profit_usd == doctest::Approx(382.5));
  CHECK(o.collateral_to_debt == doctest::Approx(20'000.0 / 17'000.0));
}

TEST_CASE("planner: Aave close factor 100% (HF <= 0.95) and the inventory cap") {
  World w;
  w.add(1, 10, 18'000);  // HF 16,600 / 18,000 = 0.922
  SUBCASE("enough inventory: the whole debt") {
    w.hold(w.usdc, tokens(1'000'000, 6));
    const auto o = w.plan().decisions.at(0).order;
    // 18,000 / 2,000 x 1.05 = 9.45 WETH; bonus 0.45, protocol fee 0.045: 9.405 WETH; 18,810 - 18,000 = 810 USD.
    CHECK(o.expected_debt_repaid == tokens(18'000, 6));
    CHECK(o.expected_collateral_seized == tokens(9, 18, 405'000));
    CHECK(o.profit_usd == doctest::Approx(810.0));
  }
  SUBCASE("4,000 USDC on hand: debt_to_cover 4,000 and the exact seizure for it") {
    w.hold(w.usdc, tokens(4'000, 6));
    const auto o = w.plan().decisions.at(0).order;
    // 4,000 / 2,000 x 1.05 = 2.1 WETH; bonus 0.1, fee 0.01: 2.09 WETH; 4,180 - 4,000 = 180 USD.
    CHECK(o.debt_to_cover == tokens(4'000, 6));
    CHECK(o.expected_debt_repaid == tokens(4'000, 6));
    CHECK(o.expected_collateral_seized == tokens(2, 18, 90'000));
    CHECK(o.profit_usd == doctest::Approx(180.0));
  }
}

TEST_CASE("planner: gas and slippage come off the profit") {
  World w;
  w.add(1, 10, 17'000);
  w.hold(w.usdc, tokens(1'000'000, 6));
  w.gas.base_fee = U256{20'000'000'000};
  w.gas.priority_fee = U256{2'000'000'000};
  SUBCASE("kept collateral: liquidation gas only") {
    const auto o = w.plan().decisions.at(0).order;
    // 400,000 gas x 22 gwei = 0.0088 ETH = 17.60 USD.
    CHECK(o.gas_units == 400'000);
    CHECK(o.gas_usd == doctest::Approx(17.6));
    CHECK(o.slippage_usd == 0.0);
    CHECK(o.profit_usd == doctest::Approx(382.5 - 17.6));
  }
  SUBCASE("sold collateral: swap gas and the route's shortfall against the mid") {
    w.config.dispose = Dispose::throttled;
    w.model.pools = {weth_usdc_pool(1'000, 2'000'000)};
    const auto o = w.plan().decisions.at(0).order;
    // getAmountOut(4.44125e18, 1000e18, 2e12) = floor(997 x in x R_out / (1000 R_in + 997 in)) = 8,816.812305 USDC
    // against 4.44125 x 2,000 = 8,882.50 at the mid: 65.687695 USD. Gas 550,000 x 22 gwei = 0.0121 ETH = 24.20.
    CHECK(o.gas_units == 550'000);
    CHECK(o.gas_usd == doctest::Approx(24.2));
    CHECK(o.slippage_usd == doctest::Approx(65.687695));
    CHECK(o.profit_usd == doctest::Approx(382.5 - 24.2 - 65.687695));
  }
}

TEST_CASE("planner: the least-covered position first, then the larger profit") {
  World w;
  const auto a = w.add(1, 10, 17'000);  // collateral/debt 1.176, profit 382.5
  const auto b = w.add(2, 10, 18'000);  // 1.111: first
  const auto c = w.add(3, 20, 34'000);  // 1.176, profit 765: before a
  w.hold(w.usdc, tokens(1'000'000, 6));
  const auto p = w.plan();
  REQUIRE(p.taken() == 3);
  CHECK(p.decisions[0].key.account == b);
  CHECK(p.decisions[1].key.account == c);
  CHECK(p.decisions[2].key.account == a);
  CHECK(p.decisions[1].order.profit_usd == doctest::Approx(765.0));
}

TEST_CASE("planner: inventory is shared in sending order") {
  World w;
  const auto a = w.add(1, 10, 17'000);
  const auto b = w.add(2, 10, 18'000);  // first: takes the 10,000 USDC
  w.hold(w.usdc, tokens(10'000, 6));
  const auto p = w.plan();
  REQUIRE(p.taken() == 1);
  CHECK(p.decisions[0].key.account == b);
  // 10,000 / 2,000 x 1.05 = 5.25 WETH; bonus 0.25, fee 0.025: 5.225 WETH.
  CHECK(p.decisions[0].order.expected_collateral_seized == tokens(5, 18, 225'000));
  const auto* da = find(p, a);
  REQUIRE(da);
  CHECK(da->skip == SkipReason::no_inventory);
}

TEST_CASE("planner: every skip reason") {
  World w;
  const auto a = w.add(1, 10, 17'000);
  SUBCASE("no inventory") {
    CHECK(find(w.plan(), a)->skip == SkipReason::no_inventory);
    w.hold(w.weth, tokens(5, 18));  // the wrong asset
    CHECK(find(w.plan(), a)->skip == SkipReason::no_inventory);
  }
  w.hold(w.usdc, tokens(1'000'000, 6));
  SUBCASE("unprofitable: sized and valued, below the minimum") {
    w.config.min_profit_usd = 400.0;
    const auto p = w.plan();
    const auto* d = find(p, a);
    CHECK(d->skip == SkipReason::unprofitable);
    CHECK(d->order.profit_usd == doctest::Approx(382.5));
  }
  SUBCASE("in flight") {
    w.state.in_flight = {aave_key(a)};
    CHECK(find(w.plan(), a)->skip == SkipReason::in_flight);
  }
  SUBCASE("cooling down until a later block; retried at that block") {
    w.state.cooling = {{aave_key(a), w.book.block() + 1}};
    CHECK(find(w.plan(), a)->skip == SkipReason::cooling_down);
    w.state.cooling = {{aave_key(a), w.book.block()}};
    CHECK(find(w.plan(), a)->skip == SkipReason::none);
  }
  SUBCASE("max in flight") {
    const auto b = w.add(2, 10, 18'000);
    w.config.max_in_flight = 2;
    w.state.in_flight_count = 1;
    const auto p = w.plan();
    CHECK(find(p, b)->skip == SkipReason::none);
    CHECK(find(p, a)->skip == SkipReason::max_in_flight);
  }
  SUBCASE("bad debt only: debt with no collateral") {
    const auto who = address_of(0x10, 9);
    w.book.upsert_aave_user(aave_user(who, {{kUsdc, 0, tokens(100, 6)}}));
    CHECK(find(w.plan(), who)->skip == SkipReason::bad_debt_only);
  }
  SUBCASE("bad debt only: dust collateral the liquidation would seize none of") {
    // 1 satoshi of WBTC ($0.0006, LT 75%) against 500 units of USDC ($0.0005): HF 0.9, close factor 100%; the
    // 0.0005 USDC plus the 6.5% bonus buys 0.89 satoshi, which rounds to 0: nothing to seize (seen on the devnet
    // after a crash), not a math error.
    const auto who = address_of(0x10, 8);
    w.book.upsert_aave_user(aave_user(who, {{kUsdc, 0, U256{500}}, {kWbtc, U256{1}, 0}}));
    const auto p = w.plan();
    const auto* d = find(p, who);
    REQUIRE(d != nullptr);
    CHECK(d->skip == SkipReason::bad_debt_only);
    CHECK(d->detail.find("seize nothing") != std::string::npos);
  }
  SUBCASE("math error: the Pool would revert (collateral reserve paused)") {
    auto market = aave_market(kT0);
    market.reserves[kWeth].config.paused = true;
    w.book.set_aave_market(market);
    const auto p = w.plan();
    const auto* d = find(p, a);
    CHECK(d->skip == SkipReason::math_error);
    CHECK(d->detail.find("paused") != std::string::npos);
  }
  SUBCASE("taken decisions come first") {
    w.add(3, 10, 100);  // healthy: no decision
    w.state.in_flight = {aave_key(a)};
    const auto b = w.add(2, 10, 18'000);
    const auto p = w.plan();
    REQUIRE(p.decisions.size() == 2);
    CHECK(p.decisions[0].key.account == b);
    CHECK(p.decisions[1].skip == SkipReason::in_flight);
  }
}

TEST_CASE("planner: skip reason names") {
  CHECK(std::string(skip_reason_name(SkipReason::no_inventory)) == "no_inventory");
  CHECK(std::string(skip_reason_name(SkipReason::max_in_flight)) == "max_in_flight");
}

TEST_CASE("planner: configuration errors") {
  World w;
  w.config.min_profit_usd = std::numeric_limits<double>::quiet_NaN();
  CHECK(plan_block(w.book, w.model, w.config, w.gas, w.state).error() == PlanError::invalid_config);
  w.config.min_profit_usd = 0.0;
  w.config.max_price_impact_bps = -1.0;
  CHECK(plan_block(w.book, w.model, w.config, w.gas, w.state).error() == PlanError::invalid_config);
  w.config.max_price_impact_bps = 0.0;
  w.gas.aave_liquidation_gas = 0;
  CHECK(plan_block(w.book, w.model, w.config, w.gas, w.state).error() == PlanError::invalid_config);
  w.gas.aave_liquidation_gas = 1;
  w.book.set_usd_price(w.weth, U256{});
  auto market = aave_market(kT0);
  market.prices[kWeth] = U256{};  // neither the book nor the Aave oracle prices WETH
  w.book.set_aave_market(market);
  CHECK(plan_block(w.book, w.model, w.config, w.gas, w.state).error() == PlanError::no_native_price);
}

TEST_CASE("planner: Morpho sizing, whole and capped by the loan token on hand") {
  World w;
  auto m = morpho_market(kWeth, 860, kT0);
  w.book.upsert_morpho_market(m);
  const auto who = address_of(0x20, 1);
  morpho::Position pos;
  pos.collateral = tokens(10, 18);
  pos.borrow_shares = tokens(18'000, 6) * U256{1'000'000};  // 18,000 USDC against a max borrow of 17,200
  w.book.upsert_morpho_position(m.id, who, pos);
  const auto state = *morpho::accrue_interest(m.state, m.borrow_rate, w.book.timestamp());
  SUBCASE("whole: liquidate_max's seizure (every share repaid), passed as seizedAssets") {
    w.hold(w.usdc, tokens(1'000'000, 6));
    const auto p = w.plan();
    REQUIRE(p.taken() == 1);
    const auto& o = p.decisions[0].order;
    // liquidate_max repays every share; the order passes the seizure that gives, so that a lower price at
    // inclusion repays less instead of needing more collateral than there is.
    const auto most = morpho::liquidate(m.params, state, pos, m.oracle_price, U256{}, pos.borrow_shares);
    CHECK(o.morpho_seized_assets == most->seized_assets);
    CHECK(o.morpho_repaid_shares.is_zero());
    // LIF = 1 / (1 - 0.3 x 0.14) = 1.0438413: 18,000 USDC buys 9.3946 WETH.
    CHECK(o.repaid_usd == doctest::Approx(18'000.0).epsilon(1e-6));
    CHECK(o.seized_usd == doctest::Approx(18'000.0 / 0.958).epsilon(1e-6));
    const auto check = morpho::liquidate(m.params, state, pos, m.oracle_price, most->seized_assets, U256{});
    REQUIRE(check.has_value());
    CHECK(o.expected_collateral_seized == check->seized_assets);
    CHECK(o.expected_debt_repaid == check->repaid_assets);
    // Repaying by seizure rounds the shares up: at most every share, so the position is closed or left with dust.
    CHECK(check->repaid_shares <= pos.borrow_shares);
    // At a 5% lower oracle price the same seizure still succeeds (repaying every share would need more collateral).
    const U256 lower = m.oracle_price * U256{95} / U256{100};
    CHECK(morpho::liquidate(m.params, state, pos, lower, most->seized_assets, U256{}).has_value());
  }
  SUBCASE("capped: the largest seizedAssets whose repaid assets fit 5,000 USDC") {
    w.hold(w.usdc, tokens(5'000, 6));
    const auto o = w.plan().decisions.at(0).order;
    CHECK(o.morpho_repaid_shares.is_zero());
    CHECK(o.expected_debt_repaid <= tokens(5'000, 6));
    CHECK(o.expected_debt_repaid >= tokens(4'999, 6));
    const auto here = morpho::liquidate(m.params, state, pos, m.oracle_price, o.morpho_seized_assets, U256{});
    const auto more =
        morpho::liquidate(m.params, state, pos, m.oracle_price, o.morpho_seized_assets + U256{1}, U256{});
    CHECK(here->repaid_assets == o.expected_debt_repaid);
    CHECK(here->seized_assets == o.expected_collateral_seized);
    CHECK(more->repaid_assets > tokens(5'000, 6));
  }
  SUBCASE("bad debt only: borrow shares and no collateral") {
    pos.collateral = U256{};
    w.book.upsert_morpho_position(m.id, who, pos);
    w.hold(w.usdc, tokens(1'000'000, 6));
    CHECK(find(w.plan(), who)->skip == SkipReason::bad_debt_only);
  }
}

TEST_CASE("planner: disposal under each mode") {
  World w;
  w.model.pools = {weth_usdc_pool(1'000, 2'000'000)};
  w.config.max_price_impact_bps = 0.0;  // only the USD cap binds below
  w.config.max_collateral_sold_usd_per_block = 50'000.0;  // 25 WETH at $2,000
  w.seized(w.weth, tokens(100, 18));
  w.hold(w.usdc, tokens(1'000, 6));  // proceeds of WETH sales: never sold
  SUBCASE("the keeper's own inventory is never sold: only seized collateral, capped by the balance") {
    w.config.dispose = Dispose::immediate;
    w.hold(w.weth, tokens(900, 18));  // 1,000 WETH held, of which 100 seized
    auto p = w.plan();
    REQUIRE(p.sales.size() == 1);
    CHECK(p.sales[0].amount == tokens(100, 18));
    w.state.for_sale.clear();
    CHECK(w.plan().sales.empty());
    w.state.for_sale = {{w.weth, tokens(5'000, 18)}};  // more seized than held (sold elsewhere): the balance caps
    p = w.plan();
    REQUIRE(p.sales.size() == 1);
    CHECK(p.sales[0].amount == tokens(1'000, 18));
  }
  SUBCASE("keep: nothing") {
    w.config.dispose = Dispose::keep;
    CHECK(w.plan().sales.empty());
  }
  SUBCASE("immediate: the whole balance, min_out 0.5% under the exact route") {
    w.config.dispose = Dispose::immediate;
    const auto p = w.plan();
    REQUIRE(p.sales.size() == 1);
    CHECK(p.sales[0].asset == w.weth);
    CHECK(p.sales[0].proceeds == w.usdc);
    CHECK(p.sales[0].amount == tokens(100, 18));
    // getAmountOut(100e18, 1000e18, 2e12) = 181,322.178776 USDC; x 0.995, floored.
    CHECK(p.sales[0].min_out == U256{180'415'567'882ULL});
    CHECK(p.sales[0].path == std::vector<Address>{kWethToken, kUsdcToken});
  }
  SUBCASE("throttled: the USD cap becomes the per-block maximum") {
    w.config.dispose = Dispose::throttled;
    const auto p = w.plan();
    REQUIRE(p.sales.size() == 1);
    REQUIRE(p.throttle.size() == 1);
    CHECK(p.sales[0].amount == tokens(25, 18));
    CHECK(p.throttle[0].max_sale_this_block == tokens(25, 18));
    CHECK(p.sales[0].reason == risk::ThrottleReason::impact_cap);
    // getAmountOut(25e18, 1000e18, 2e12) = 48,637.705197 USDC; x 0.995, floored.
    CHECK(p.sales[0].min_out == U256{48'394'516'671ULL});
  }
  SUBCASE("a debt asset a candidate needs is kept") {
    w.config.dispose = Dispose::immediate;
    w.book.upsert_aave_user(aave_user(address_of(0x10, 7), {{kUsdc, tokens(10'000, 6), 0}, {kWeth, 0, tokens(4, 18)}}));
    const auto p = w.plan();
    REQUIRE(p.taken() == 1);
    CHECK(p.decisions[0].order.debt == w.weth);
    CHECK(p.sales.empty());
  }
}
