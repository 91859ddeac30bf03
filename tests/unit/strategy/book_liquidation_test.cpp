// Position book: health factors and liquidation prices against hand calculations, and the price at the computed
// liquidation price putting HF at 1.
#include "strategy/aave/math.hpp"
#include "strategy/book/closed_form.hpp"
#include "strategy/book/position_book.hpp"
#include "strategy/morpho/math.hpp"
#include "tests/unit/strategy/book_fixture.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace sluice;
using namespace sluice::book;
using namespace sluice::test::book;

namespace {

constexpr double kWadD = 1e18;


U256 price_e8(double usd) { return U256{static_cast<std::uint64_t>(std::llround(usd * 1e8))}; }

}  // namespace

TEST_CASE("book closed form: Aave root of (A + a p) / (B + b p) = 1") {
  // 10 WETH at LT 83% against $17,000: p = 17,000 / 8.3.
  CHECK(*aave_liquidation_price(0.0, 8.3, 17'000.0, 0.0) == doctest::Approx(2048.1927710843));
  // Same asset as collateral and debt: 10 WETH (LT 83%) and 2 WETH debt plus $10,000: p = 10,000 / 6.3.
  CHECK(*aave_liquidation_price(0.0, 8.3, 10'000.0, 2.0) == doctest::Approx(1587.3015873016));
  // More WETH debt than weighted WETH collateral, $30,000 other collateral: liquidated when WETH rises.
  CHECK(*aave_liquidation_price(30'000.0, 8.3, 0.0, 20.0) == doctest::Approx(30'000.0 / 11.7));
  CHECK_FALSE(aave_liquidation_price(0.0, 5.0, 100.0, 5.0));   // a == b: never crosses
  CHECK_FALSE(aave_liquidation_price(200.0, 8.3, 100.0, 0.0));  // other collateral covers all debt alone
  // Morpho: 15,000 USDC borrowed against 10 WETH at LLTV 86%: 15,000e6 x 1e36 / (10e18 x 0.86).
  const auto p = morpho_liquidation_oracle_price(tokens(15'000, 6), tokens(10, 18), U256{860'000'000'000'000'000ULL});
  REQUIRE(p);
  CHECK(*p == doctest::Approx(15'000e6 * 1e36 / (10e18 * 0.86)));
  CHECK(morpho_oracle_to_usd(*p, 18, 6, 1.0) == doctest::Approx(15'000.0 / 8.6));
}

TEST_CASE("book: the issue's hand-computed Aave case (10 WETH at $2,000, LT 83%, debt $17,000)") {
  auto book = aave_book();
  const auto who = address_of(5, 1);
  book.upsert_aave_user(aave_user(who, {{kWeth, tokens(10, 18), {}}, {kUsdc, {}, tokens(17'000, 6)}}));
  const auto v = book.find(aave_key(who));
  REQUIRE(v);
  // HF = percentMul(2e12, 8300) wadDiv 1.7e12 = (1.66e12 x 1e18 + 0.85e12) / 1.7e12 = 976470588235294118
  // (16,600 / 17,000 = 0.97647058823529411764..., rounded half up at 18 decimals).
  CHECK(v->health_factor == U256{976'470'588'235'294'118ULL});
  CHECK(v->liquidatable);
  CHECK(v->collateral_usd == doctest::Approx(20'000.0));
  CHECK(v->debt_usd == doctest::Approx(17'000.0));
  REQUIRE(v->liquidation_prices.size() == 1);
  CHECK(v->liquidation_prices[0].price_usd == doctest::Approx(17'000.0 / 8.3));
  CHECK(v->liquidation_prices[0].distance == doctest::Approx(17'000.0 / 8.3 / 2'000.0 - 1.0));

  // Best liquidation: WETH against USDC, HF > 0.95 so close factor 50%: 8,500 USDC repaid for
  // 8,500 / 2,000 x 1.05 = 4.4625 WETH of which the protocol fee takes 10% of the bonus (0.02125 WETH).
  REQUIRE(v->best_liquidation);
  CHECK(v->best_liquidation->debt_repaid == tokens(8'500, 6));
  CHECK(v->best_liquidation->collateral_seized == tokens(4, 18, 462'500) - tokens(0, 18, 21'250));
  // Seized 4.44125 WETH x $2,000 = $8,882.50, minus $8,500 repaid.
  CHECK(v->best_liquidation->gross_profit_usd == doctest::Approx(382.5));
}

TEST_CASE("book: at the computed Aave liquidation price the health factor is 1") {
  auto book = aave_book();
  const auto one = address_of(5, 2), two = address_of(5, 3), three = address_of(5, 4);
  // Two collateral assets: the main one (largest USD) first.
  book.upsert_aave_user(aave_user(one, {{kWeth, tokens(10, 18), {}}, {kWbtc, tokens(1, 8, 500'000), {}},
                                        {kUsdc, {}, tokens(60'000, 6)}}));
  // WETH both collateral and debt.
  book.upsert_aave_user(aave_user(two, {{kWeth, tokens(10, 18), tokens(2, 18)}, {kUsdc, {}, tokens(10'000, 6)}}));
  // eMode (WETH and wstETH at LT 93%) with USDC debt.
  book.upsert_aave_user(aave_user(three, {{kWsteth, tokens(5, 18), {}}, {kWeth, {}, tokens(3, 18)}, {kUsdc, {}, tokens(2'000, 6)}}, 1));

  struct Case {
    Address who;
    std::uint16_t reserve;
    double expected;  // hand-computed liquidation price, USD
  };
  // one: WBTC fixed (1.5 x 60,000 x 0.75 = 67,500 weighted) already covers the 60,000 debt: no WETH price crosses;
  //      WBTC: A = 10 x 2,000 x 0.83 = 16,600, a = 1.5 x 0.75: p = (60,000 - 16,600) / 1.125 = 38,577.78.
  // two: A = 0, a = 10 x 0.83, B = 10,000, b = 2: p = 10,000 / 6.3 = 1,587.30.
  // three: wstETH (eMode LT 93%): A = 0, a = 5 x 0.93, B = 3 x 2,000 + 2,000 = 8,000: p = 8,000 / 4.65 = 1,720.43.
  const Case cases[] = {{one, kWbtc, (60'000.0 - 16'600.0) / 1.125}, {two, kWeth, 10'000.0 / 6.3},
                        {three, kWsteth, 8'000.0 / 4.65}};
  {
    const auto v = book.find(aave_key(one));
    REQUIRE(v);
    REQUIRE(v->liquidation_prices.size() == 1);  // no WETH liquidation price
    CHECK(v->liquidation_prices[0].asset == *book.find_asset(address_of(0xA0, kWbtc)));
    CHECK(v->collateral.front().asset == *book.find_asset(address_of(0xA0, kWbtc)));  // $90,000 > $20,000
  }
  for (const auto& c : cases) {
    CAPTURE(c.expected);
    const auto v = book.find(aave_key(c.who));
    REQUIRE(v);
    const auto asset = *book.find_asset(address_of(0xA0, c.reserve));
    const LiquidationPrice* lp = nullptr;
    for (const auto& p : v->liquidation_prices)
      if (p.asset == asset) lp = &p;
    REQUIRE(lp);
    CHECK(lp->price_usd == doctest::Approx(c.expected));
    const double current = static_cast<double>(kReserveSpecs[c.reserve].price) / 1e8;
    CHECK(lp->distance == doctest::Approx(c.expected / current - 1.0));

    // Move the price there (rounded to the oracle's 8 decimals): HF is 1 within the protocol's own rounding, whose
    // largest term is the average liquidation threshold truncated to whole bps (relative error < 1 / LT in bps,
    // ~1.3e-4 here), which the closed form does not model.
    book.set_aave_price(c.reserve, price_e8(lp->price_usd));
    const auto at = book.find(aave_key(c.who));
    REQUIRE(at);
    CHECK(to_double(at->health_factor) / kWadD == doctest::Approx(1.0).epsilon(1.5e-4));
    CHECK(to_double(at->health_factor) / kWadD <= 1.0 + 1e-9);  // truncations only lower it (beyond price rounding)
    // One dollar beyond it (lower for collateral-heavy positions) is liquidatable.
    book.set_aave_price(c.reserve, price_e8(lp->price_usd - 1.0));
    CHECK(book.find(aave_key(c.who))->liquidatable);
    book.set_aave_price(c.reserve, U256{kReserveSpecs[c.reserve].price});
  }
}

TEST_CASE("book: Aave liquidation price under an eMode price source moves the whole category") {
  // eMode 1 priced by WETH's feed: wstETH collateral and WETH debt both take that one price p.
  auto market = aave_market(kT0);
  market.emodes[0].price_source = market.reserves[kWeth].asset;
  market.emodes[0].price = market.prices[kWeth];
  PositionBook book;
  book.set_aave_market(market);
  set_usd_prices(book);
  const auto who = address_of(5, 9), other = address_of(5, 10);
  book.upsert_aave_user(aave_user(who, {{kWsteth, tokens(5, 18), {}}, {kWeth, {}, tokens(3, 18)}, {kUsdc, {}, tokens(2'000, 6)}}, 1));
  // Not in eMode, not holding WETH: the WETH tick below must leave it alone.
  book.upsert_aave_user(aave_user(other, {{kWsteth, tokens(5, 18), {}}, {kUsdc, {}, tokens(2'000, 6)}}));
  // HF(p) = 5 x 0.93 p / (3 p + 2,000): HF = 1 at p = 2,000 / (4.65 - 3) = 1,212.12 (the wstETH oracle is unused).
  const auto v = book.find(aave_key(who));
  REQUIRE(v);
  REQUIRE(v->liquidation_prices.size() == 1);
  const double expected = 2'000.0 / 1.65;
  CHECK(v->liquidation_prices[0].price_usd == doctest::Approx(expected));
  CHECK(v->liquidation_prices[0].distance == doctest::Approx(expected / 2'000.0 - 1.0));
  book.reset_stats();
  book.set_aave_price(kWeth, price_e8(expected));
  CHECK(book.stats().aave_evaluations == 1);
  CHECK(book.aave_market().emodes[0].price == price_e8(expected));
  const auto at = book.find(aave_key(who));
  CHECK(to_double(at->health_factor) / kWadD == doctest::Approx(1.0).epsilon(1.5e-4));
  book.set_aave_price(kWeth, price_e8(expected - 1.0));
  CHECK(book.find(aave_key(who))->liquidatable);
}

TEST_CASE("book: Morpho health, liquidation price and best liquidation") {
  PositionBook book;
  book.set_aave_market(aave_market(kT0));
  set_usd_prices(book);
  auto market = morpho_market(kWeth, 860, kT0);
  market.borrow_rate = U256{};  // no interest: borrowed assets stay as set
  book.upsert_morpho_market(market);
  const auto who = address_of(6, 1);
  morpho::Position p;
  p.collateral = tokens(10, 18);
  p.borrow_shares = tokens(15'000, 6) * U256{1'000'000};
  book.upsert_morpho_position(market.id, who, p);
  const PositionKey key{Protocol::morpho_blue, who, market.id};
  auto v = book.find(key);
  REQUIRE(v);
  // 10 WETH at 2,000 USDC, LLTV 86%: max borrow 17,200 against 15,000 borrowed (shares -> assets rounded up).
  REQUIRE(v->debt.size() == 1);
  const U256 borrowed = v->debt[0].amount;
  CHECK(borrowed >= tokens(15'000, 6));
  CHECK(borrowed <= tokens(15'000, 6) + U256{1});
  CHECK(to_double(v->health_factor) / kWadD == doctest::Approx(17'200.0 / 15'000.0));
  CHECK_FALSE(v->liquidatable);
  REQUIRE(v->liquidation_prices.size() == 1);
  const double expected = to_double(borrowed) / 1e6 / (10.0 * 0.86);  // USD per WETH
  CHECK(v->liquidation_prices[0].price_usd == doctest::Approx(expected));
  CHECK(v->liquidation_prices[0].distance == doctest::Approx(expected / 2'000.0 - 1.0));

  // Oracle at the liquidation price: HF ~1; just below: not healthy, with a best liquidation.
  // Loan units per collateral unit x 1e36 = (USD x 1e6) / 1e18 x 1e36 = (USD x 1e6) x 1e18.
  const U256 at = U256{static_cast<std::uint64_t>(std::llround(expected * 1e6))} * U256{1'000'000'000'000'000'000ULL};
  book.set_morpho_price(market.id, at);
  v = book.find(key);
  CHECK(to_double(v->health_factor) / kWadD == doctest::Approx(1.0).epsilon(1e-6));
  book.set_morpho_price(market.id, at - at / U256{1000});
  v = book.find(key);
  CHECK(v->liquidatable);
  REQUIRE(v->best_liquidation);
  const auto accrued = morpho::accrue_interest(market.state, market.borrow_rate, kT0);
  REQUIRE(accrued.has_value());
  const auto max = morpho::liquidate_max(market.params, *accrued, p, at - at / U256{1000});
  REQUIRE(max.has_value());
  CHECK(v->best_liquidation->collateral_seized == max->seized_assets);
  CHECK(v->best_liquidation->debt_repaid == max->repaid_assets);
  // The incentive (1 / (0.3 x 0.86 + 0.7) = 1.0438) makes the liquidation profitable at the oracle price.
  CHECK(v->best_liquidation->gross_profit_usd > 0.0);
}
