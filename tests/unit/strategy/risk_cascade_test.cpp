// Cascade engine against hand calculations: a three-position Aave cascade worked round by round, the toxic
// frontier, Morpho bad debt, coupling none vs full, the round limit, determinism, the grid and crossings().
#include "strategy/morpho/math.hpp"
#include "strategy/risk/cascade.hpp"
#include "strategy/risk/numeric.hpp"
#include "tests/unit/strategy/book_fixture.hpp"
#include "tests/unit/strategy/risk_test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace sluice;
using namespace sluice::book;
using sluice::test::book::address_of;
using sluice::test::book::aave_user;
using sluice::test::book::tokens;

namespace {

const U256 kRay = pow10(27);
constexpr std::uint64_t kT = 1'700'000'000;

/// Two reserves: WETH (id 0, 18 decimals, LT 80%, bonus 5%, protocol fee 10%) at $2,000 and USDC (id 1, 6
/// decimals) at $1; indexes 1 RAY, rates 0 (no interest).
aave::MarketSnapshot two_reserves() {
  aave::MarketSnapshot m;
  m.base_currency_unit = U256{100'000'000};
  m.timestamp = kT;
  m.block = 10;
  const struct { const char* sym; std::uint8_t dec; std::uint64_t price; } spec[] = {{"WETH", 18, 2000'00000000ULL},
                                                                                    {"USDC", 6, 1'00000000ULL}};
  for (std::uint16_t i = 0; i < 2; ++i) {
    aave::Reserve r;
    r.asset = address_of(0xA0, i);
    r.id = i;
    r.symbol = spec[i].sym;
    r.config.ltv_bps = 7500;
    r.config.liquidation_threshold_bps = 8000;
    r.config.liquidation_bonus_bps = 10500;
    r.config.liquidation_protocol_fee_bps = 1000;
    r.config.decimals = spec[i].dec;
    r.config.active = true;
    r.config.borrowing_enabled = true;
    r.liquidity_index = kRay;
    r.variable_borrow_index = kRay;
    r.last_update_timestamp = kT;
    m.reserves.push_back(r);
    m.prices.push_back(U256{spec[i].price});
  }
  return m;
}

struct Tiny {
  PositionBook book;
  AssetId weth = 0, usdc = 0;
  risk::MarketModel model;
};

/// The book of the worked example: A, B, C each hold 10 WETH against 15,000 / 14,000 / 12,000 USDC, so they cross
/// at 15,000 / 8 = $1,875, $1,750 and $1,500. One WETH/USDC pool of 100 WETH / 200,000 USDC ($2,000).
void fill(Tiny& t, std::initializer_list<std::pair<std::uint8_t, std::uint64_t>> users) {
  t.book.set_aave_market(two_reserves());
  t.weth = t.book.intern_asset(address_of(0xA0, 0), "WETH", 18);
  t.usdc = t.book.intern_asset(address_of(0xA0, 1), "USDC", 6);
  t.book.set_usd_price(t.weth, U256{2000'00000000ULL});
  t.book.set_usd_price(t.usdc, U256{1'00000000ULL});
  for (const auto& [tag, debt] : users)
    t.book.upsert_aave_user(aave_user(address_of(tag), {{0, tokens(10, 18), U256{}}, {1, U256{}, tokens(debt, 6)}}));
  risk::Pool pool;
  pool.address = address_of(0xB0);
  pool.token0 = address_of(0xA0, 0);  // WETH (0xA0..00 < 0xA0..01)
  pool.token1 = address_of(0xA0, 1);
  pool.reserve0 = tokens(100, 18);
  pool.reserve1 = tokens(200'000, 6);
  pool.decimals0 = 18;
  pool.decimals1 = 6;
  t.model.pools = {pool};
}

risk::Shock shock(AssetId a, double f) {
  risk::Shock s;
  s.asset = a;
  s.fraction = f;
  return s;
}

}  // namespace

TEST_CASE("cascade: three positions worked round by round (coupling full, oracle one block behind)") {
  Tiny t;
  fill(t, {{0x0A, 15'000}, {0x0B, 14'000}, {0x0C, 12'000}});
  auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.07));
  REQUIRE(r.has_value());
  // Shock -7%: oracle $1,860; the pool moves along x y = 100 x 200,000 to 103.695 WETH / 192,873 USDC.
  CHECK(r->shocked_price == doctest::Approx(1860.0));
  // Round 1, at $1,860: only A crosses (1,875 > 1,860 > 1,750). HF_A = 10 x 1,860 x 0.8 / 15,000 = 0.992 > 0.95:
  // close factor 50%, 7,500 USDC repaid. LiquidationLogic: base collateral = 7,500e6 x 1e8 x 1e18 / (1,860e8 x
  // 1e6) = 4,032,258,064,516,129,032 wei; with the bonus percentMul(., 10500) = 4,233,870,967,741,935,484; bonus
  // part = that - percentDiv(that, 10500) = 201,612,903,225,806,452; protocol fee = percentMul(bonus, 1000) =
  // 20,161,290,322,580,645; to the liquidator 4,213,709,677,419,354,839. A keeps 5.7661 WETH against 7,500: HF
  // 1.144, next crossing 7,500 / (5.7661 x 0.8) = $1,625.87. LTV after 0.70 < 1/1.05: not toxic.
  REQUIRE(r->rounds.size() >= 6);
  const auto& r1 = r->rounds[0];
  CHECK(r1.index == 1);
  REQUIRE(r1.liquidations.size() == 1);
  CHECK(r1.liquidations[0].key.account == address_of(0x0A));
  CHECK(r1.liquidations[0].debt_repaid == tokens(7'500, 6));
  CHECK(r1.liquidations[0].collateral_seized == U256::from_dec("4213709677419354839").value());
  CHECK(r1.liquidations[0].protocol_fee == U256::from_dec("20161290322580645").value());
  CHECK_FALSE(r1.liquidations[0].toxic);
  // Round 2: the 4.2137 WETH are sold: out = 0.997 x 4.2137 x 192,873 / (103.695 + 0.997 x 4.2137) = 7,509.7
  // USDC; the pool is left at 107.909 WETH / 185,363 USDC = $1,717.78. Nothing new at the oracle ($1,860).
  const auto& r2 = r->rounds[1];
  CHECK(r2.index == 2);
  CHECK(r2.liquidations.empty());
  CHECK(r2.collateral_sold == r1.liquidations[0].collateral_seized);
  CHECK(r2.market_price_after == doctest::Approx(1717.7759).epsilon(1e-4));
  // Round 3 posts $1,717.78 (the feed reads the pool one block late); round 4 liquidates B at it: HF_B =
  // 10 x 1,717.78 x 0.8 / 14,000 = 0.9816, 7,000 repaid, 4.2584 WETH to the liquidator.
  const auto& r4 = r->rounds[2];
  CHECK(r4.index == 4);
  REQUIRE(r4.liquidations.size() == 1);
  CHECK(r4.liquidations[0].key.account == address_of(0x0B));
  CHECK(r4.oracle_price_before == doctest::Approx(1717.7759).epsilon(1e-4));
  CHECK(r4.liquidations[0].debt_repaid == tokens(7'000, 6));
  CHECK(risk::to_units(r4.liquidations[0].collateral_seized, 18) == doctest::Approx(4.258413).epsilon(1e-5));
  // Round 5 sells it: pool at $1,590.00. Round 7 (oracle $1,590.00): A again (next crossing $1,625.87): HF 0.9779,
  // 3,750 repaid, 2.4646 WETH. Round 8 sells: $1,522.46. Round 10: B again ($1,529.40): 3,500 repaid. Round 11
  // sells: $1,460.69. Round 13: C ($1,500): 6,000 repaid, 4.2925 WETH. Round 14 sells: $1,359.31. Round 16: A
  // ($1,424.89): HF 0.95397 > 0.95, 1,875 repaid, 1.4415 WETH. Round 17 sells: $1,327.62. A's next crossing
  // 1,875 / (1.84137 x 0.8) = $1,272.83, B's $1,322.81, C's $1,318.80: all below, the cascade stops.
  const std::vector<std::pair<std::uint32_t, std::uint8_t>> expected = {{1, 0x0A}, {4, 0x0B}, {7, 0x0A},
                                                                       {10, 0x0B}, {13, 0x0C}, {16, 0x0A}};
  std::vector<std::pair<std::uint32_t, std::uint8_t>> got;
  for (const auto& round : r->rounds)
    for (const auto& l : round.liquidations) got.emplace_back(round.index, l.key.account.bytes[0]);
  CHECK(got == expected);
  CHECK(r->liquidations == 6);
  CHECK(r->positions_liquidated == 3);
  CHECK(r->liquidated_debt_usd == doctest::Approx(7'500 + 7'000 + 3'750 + 3'500 + 6'000 + 1'875));
  CHECK(r->final_price == doctest::Approx(1327.6229).epsilon(1e-4));
  CHECK(r->final_oracle_price == doctest::Approx(1327.6229).epsilon(1e-4));
  CHECK(r->bad_debt_usd == 0.0);
  CHECK(r->toxic_liquidations == 0);
  CHECK_FALSE(r->hit_round_limit);
  CHECK(r->slippage_usd > 0.0);
  // Sold: 4.213710 + 4.258413 + 2.464618 + 2.402354 + 4.292482 + 1.441450 WETH.
  double sold = 0.0;
  for (const auto& round : r->rounds) sold += risk::to_units(round.collateral_sold, 18);
  CHECK(sold == doctest::Approx(19.073027).epsilon(1e-5));
}

TEST_CASE("cascade: coupling none keeps the oracle at the shocked price, so only A is liquidated") {
  Tiny t;
  fill(t, {{0x0A, 15'000}, {0x0B, 14'000}, {0x0C, 12'000}});
  t.model.coupling.mode = risk::CouplingMode::none;
  auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.07));
  REQUIRE(r.has_value());
  CHECK(r->liquidations == 1);
  CHECK(r->final_oracle_price == doctest::Approx(1860.0));
  CHECK(r->final_price == doctest::Approx(1717.7759).epsilon(1e-4));  // the pool still takes the sale
}

TEST_CASE("cascade: the round limit stops the cascade and says so") {
  Tiny t;
  fill(t, {{0x0A, 15'000}, {0x0B, 14'000}, {0x0C, 12'000}});
  t.model.max_rounds = 5;
  auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.07));
  REQUIRE(r.has_value());
  CHECK(r->hit_round_limit);
  CHECK(r->liquidations == 2);  // rounds 1 and 4
  CHECK(r->rounds.back().index == 5);
}

TEST_CASE("cascade: the toxic frontier is LTV 1/(1 + bonus) before a full liquidation") {
  // At $1,860, 10 WETH = $18,600. Debt 17,670 (LTV 0.95, HF 0.842 -> close factor 100%): repaying it all takes
  // 17,670 x 1.05 / 1,860 = 9.975 WETH < 10: the debt is gone, not toxic. Debt 17,763 (LTV 0.955 > 1/1.05 =
  // 0.95238): it would take 10.0277 WETH; all 10 are seized for 18,600 / 1.05 = 17,714.29 repaid, 48.71 USDC of
  // debt is left with no collateral: toxic, and Aave's bad debt.
  Tiny t;
  fill(t, {{0x01, 17'670}, {0x02, 17'763}});
  t.model.liquidator.sell_seized_collateral = false;
  auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.07));
  REQUIRE(r.has_value());
  REQUIRE(r->rounds.size() == 1);
  REQUIRE(r->rounds[0].liquidations.size() == 2);
  for (const auto& l : r->rounds[0].liquidations) {
    if (l.key.account == address_of(0x01)) {
      CHECK_FALSE(l.toxic);
      CHECK(l.debt_repaid == tokens(17'670, 6));
    } else {
      CHECK(l.toxic);
      CHECK(risk::to_units(l.debt_repaid, 6) == doctest::Approx(17'714.2857).epsilon(1e-6));
      CHECK(risk::to_units(l.bad_debt, 6) == doctest::Approx(48.7143).epsilon(1e-4));
    }
  }
  CHECK(r->toxic_liquidations == 1);
  CHECK(r->bad_debt_usd == doctest::Approx(48.7143).epsilon(1e-4));
}

namespace {

/// A Morpho market of the tiny book, LLTV 86%, lending one of its two tokens against the other, with one borrower
/// who owes all of its borrowed assets (shares at 1e6 per unit, as Morpho's virtual shares start them).
struct MorphoBorrower {
  std::uint8_t loan = 1;  ///< 0: WETH lent against USDC; 1: USDC lent against WETH
  U256 supplied;          ///< loan token units
  U256 borrowed;          ///< loan token units, all the borrower's
  U256 oracle_price;      ///< loan units per collateral unit x 1e36
  std::uint8_t borrower = 0x0D;
  U256 collateral;        ///< collateral token units
};

/// Returns the market's id.
morpho::MarketId add_morpho_borrower(Tiny& t, const MorphoBorrower& b) {
  morpho::Market m;
  m.params.loan_token = address_of(0xA0, b.loan);
  m.params.collateral_token = address_of(0xA0, 1 - b.loan);
  m.params.oracle = address_of(0xC0, b.loan);
  m.params.lltv = U256{860'000'000'000'000'000ULL};
  m.id = morpho::market_id(m.params);
  m.state.total_supply_assets = b.supplied;
  m.state.total_supply_shares = b.supplied * U256{1'000'000};
  m.state.total_borrow_assets = b.borrowed;
  m.state.total_borrow_shares = b.borrowed * U256{1'000'000};
  m.state.last_update = kT;
  m.oracle_price = b.oracle_price;
  t.book.upsert_morpho_market(m);
  morpho::Position p;
  p.collateral = b.collateral;
  p.borrow_shares = b.borrowed * U256{1'000'000};
  t.book.upsert_morpho_position(m.id, address_of(b.borrower), p);
  return m.id;
}

}  // namespace

TEST_CASE("cascade: Morpho bad debt when the collateral runs out") {
  // Morpho market lending USDC against WETH, LLTV 86%: LIF = 1 / (1 - 0.3 x 0.14) = 1.043841. 1 WETH against
  // 1,800 USDC. Oracle (FeedRatioOracle form): 2,000e8 x 10^(36 + 6 - 18) / 1e8 = 2e27. At -15% ($1,700): max
  // borrow 1,462 < 1,800, liquidatable; seizing all 1,800 x 1.043841 / 1,700 = 1.1053 WETH > 1, so all 1 WETH is
  // seized for 1,700 / 1.043841 = 1,628.60 USDC repaid, and 171.40 USDC of bad debt is realised.
  Tiny t;
  fill(t, {});
  add_morpho_borrower(t, {1, tokens(1'000'000, 6), tokens(1'800, 6), U256{2} * pow10(27), 0x0D, tokens(1, 18)});
  t.model.liquidator.sell_seized_collateral = false;
  auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.15));
  REQUIRE(r.has_value());
  REQUIRE(r->liquidations == 1);
  const auto& l = r->rounds[0].liquidations[0];
  CHECK(l.collateral_seized == tokens(1, 18));
  CHECK(risk::to_units(l.debt_repaid, 6) == doctest::Approx(1'628.60).epsilon(1e-5));
  CHECK(risk::to_units(l.bad_debt, 6) == doctest::Approx(171.40).epsilon(1e-4));
  CHECK(l.toxic);
  CHECK(r->bad_debt_usd == doctest::Approx(171.40).epsilon(1e-4));
  CHECK(r->reverted_calls == 0);
}

TEST_CASE("cascade: a liquidation the protocol would revert is counted, and the position left as it was") {
  // The bad-debt market above, but its totals say 900 USDC borrowed while the position owes 1,800: Morpho's
  // repayment would underflow the totals and revert.
  Tiny t;
  fill(t, {});
  const auto id =
      add_morpho_borrower(t, {1, tokens(1'000'000, 6), tokens(1'800, 6), U256{2} * pow10(27), 0x0D, tokens(1, 18)});
  const auto* market = t.book.morpho_market(id);
  REQUIRE(market != nullptr);
  auto short_totals = *market;
  short_totals.state.total_borrow_assets = tokens(900, 6);
  short_totals.state.total_borrow_shares = tokens(900, 6) * U256{1'000'000};
  t.book.upsert_morpho_market(short_totals);
  t.model.liquidator.sell_seized_collateral = false;
  auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.15));
  REQUIRE(r.has_value());
  CHECK(r->liquidations == 0);
  CHECK(r->positions_liquidated == 0);
  CHECK(r->bad_debt_usd == 0.0);
  CHECK(r->reverted_calls == 1);  // tried once, not again every round (with consistent totals: the test above)
}

TEST_CASE("cascade: a rise of a Morpho market's loan token crosses its borrowers") {
  // Morpho market lending WETH against USDC, LLTV 86% (LIF 1.043841): 10,000 USDC against 4 WETH. Oracle
  // (FeedRatioOracle form, loan units per collateral unit x 1e36): 1e8 x 10^(36 + 18 - 6) / 2,000e8 = 5e44. Max
  // borrow 10,000 x 0.86 / P WETH falls under 4 above P = $2,150 (+7.5%): healthy at +5%, liquidatable at +10%
  // ($2,200: oracle 1e56 / 2,200e8), where all 4 WETH are repaid for 4 x 1.043841 x 2,200 = 9,185.80 USDC.
  Tiny t;
  fill(t, {});
  add_morpho_borrower(t, {0, tokens(1'000, 18), tokens(4, 18), U256{5} * pow10(44), 0x0E, tokens(10'000, 6)});
  t.model.liquidator.sell_seized_collateral = false;
  auto calm = risk::simulate_cascade(t.book, t.model, shock(t.weth, 0.05));
  REQUIRE(calm.has_value());
  CHECK(calm->liquidations == 0);
  auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, 0.10));
  REQUIRE(r.has_value());
  REQUIRE(r->liquidations == 1);
  const auto& l = r->rounds[0].liquidations[0];
  CHECK(l.key.account == address_of(0x0E));
  CHECK(l.debt == t.weth);
  CHECK(l.debt_repaid == tokens(4, 18));
  CHECK(risk::to_units(l.collateral_seized, 6) == doctest::Approx(9'185.80).epsilon(1e-6));
  CHECK(l.bad_debt.is_zero());
  auto grid = risk::cascade_grid(t.book, t.model, t.weth, 0.0, 0.10, 0.05);
  REQUIRE(grid.has_value());
  REQUIRE(grid->size() == 3);
  CHECK((*grid)[1].liquidations == 0);
  CHECK((*grid)[2].liquidations == 1);
}

TEST_CASE("cascade: same input, identical result; the grid equals single runs") {
  Tiny t;
  fill(t, {{0x0A, 15'000}, {0x0B, 14'000}, {0x0C, 12'000}});
  auto a = risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.07));
  auto b = risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.07));
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  REQUIRE(a->rounds.size() == b->rounds.size());
  for (std::size_t i = 0; i < a->rounds.size(); ++i) {
    CHECK(a->rounds[i].collateral_sold == b->rounds[i].collateral_sold);
    CHECK(a->rounds[i].market_price_after == b->rounds[i].market_price_after);
    REQUIRE(a->rounds[i].liquidations.size() == b->rounds[i].liquidations.size());
    for (std::size_t j = 0; j < a->rounds[i].liquidations.size(); ++j)
      CHECK(a->rounds[i].liquidations[j].collateral_seized == b->rounds[i].liquidations[j].collateral_seized);
  }
  CHECK(a->final_price == b->final_price);
  auto grid = risk::cascade_grid(t.book, t.model, t.weth, 0.0, -0.10, -0.05);
  REQUIRE(grid.has_value());
  REQUIRE(grid->size() == 3);
  CHECK((*grid)[0].liquidations == 0);
  CHECK((*grid)[1].liquidations == risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.05))->liquidations);
  CHECK((*grid)[2].final_price == risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.10))->final_price);
  CHECK((*grid)[2].rounds[0].liquidations.empty());  // the grid keeps totals only
  CHECK_FALSE(risk::cascade_grid(t.book, t.model, t.weth, 0.0, -0.10, 0.05).has_value());
  CHECK_FALSE(risk::simulate_cascade(t.book, t.model, shock(t.weth, -1.0)).has_value());
  CHECK(risk::simulate_cascade(t.book, t.model, shock(77, -0.1)).error() == risk::CascadeError::unknown_asset);
}

TEST_CASE("cascade: crossings lists exposed positions by liquidation price, highest first") {
  Tiny t;
  fill(t, {{0x0C, 12'000}, {0x0A, 15'000}, {0x0B, 14'000}});
  const auto c = risk::crossings(t.book, t.weth);
  REQUIRE(c.size() == 3);
  CHECK(c[0].key.account == address_of(0x0A));
  CHECK(c[0].price_usd == doctest::Approx(1875.0));
  CHECK(c[1].price_usd == doctest::Approx(1750.0));
  CHECK(c[2].price_usd == doctest::Approx(1500.0));
  CHECK(c[2].debt_usd == doctest::Approx(12'000.0));
  CHECK(risk::crossings(t.book, t.weth, 1600.0).size() == 2);
  CHECK(risk::crossings(t.book, t.usdc).empty());
}

TEST_CASE("cascade: a position net short the asset has no crossing in it, and a rise still liquidates it") {
  // S: 1 WETH and 10,000 USDC of collateral (LT 80%) against 2 WETH of debt: HF(p) = (8,000 + 0.8 p) / (2 p), 2.4
  // at $2,000. WETH is net debt (0.8 < 2): a fall only raises HF, a rise above p* = 8,000 / 1.2 = $6,666.67 makes S
  // liquidatable. A (10 WETH, 15,000 USDC) crosses at $1,875.
  Tiny t;
  fill(t, {{0x0A, 15'000}});
  t.book.upsert_aave_user(
      aave_user(address_of(0x05), {{0, tokens(1, 18), tokens(2, 18)}, {1, tokens(10'000, 6), U256{}}}));
  ViewFilter all;
  all.best_liquidation = false;
  std::size_t seen = 0;
  for (const auto& v : t.book.view(all)) {
    if (v.key.account != address_of(0x05)) continue;
    for (const auto& lp : v.liquidation_prices) {
      if (lp.asset != t.weth) continue;
      CHECK(lp.price_usd == doctest::Approx(8000.0 / 1.2));
      CHECK_FALSE(lp.liquidatable_below);
      ++seen;
    }
  }
  CHECK(seen == 1);
  const auto c = risk::crossings(t.book, t.weth);
  REQUIRE(c.size() == 1);  // A only: no fall reaches S
  CHECK(c[0].key.account == address_of(0x0A));
  const auto liquidated = [&](double fraction) {
    auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, fraction));
    REQUIRE(r.has_value());
    for (const auto& round : r->rounds)
      for (const auto& l : round.liquidations)
        if (l.key.account == address_of(0x05)) return true;
    return false;
  };
  CHECK_FALSE(liquidated(-0.30));  // A's crossing; S only healthier
  CHECK_FALSE(liquidated(2.30));   // $6,600: HF 1.006
  CHECK(liquidated(2.40));         // $6,800: HF 0.988
}

TEST_CASE("cascade: a rise still liquidates what is liquidatable at the book's prices") {
  // L: 10 WETH (LT 80%) against 17,000 USDC: HF 0.941 at $2,000, 0.951 at $2,020 (+1%). A rise does not bring its
  // crossing ($2,125) within reach, yet L is liquidatable from the first round.
  Tiny t;
  fill(t, {{0x0D, 17'000}});
  auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, 0.01));
  REQUIRE(r.has_value());
  REQUIRE_FALSE(r->rounds.empty());
  REQUIRE_FALSE(r->rounds[0].liquidations.empty());
  CHECK(r->rounds[0].liquidations[0].key.account == address_of(0x0D));
  CHECK(r->rounds[0].liquidations[0].oracle_price_usd == doctest::Approx(2020.0));
}

TEST_CASE("cascade: a position holding the asset only as debt crosses on a rise, and is taken when liquidatable") {
  // D: 10,000 USDC of collateral (LT 80%) against 2 WETH: HF = 8,000 / (2 p), liquidatable above $4,000.
  // E: 4,900 USDC against 2 WETH: HF 3,920 / 4,000 = 0.98 at the book's $2,000, 0.99 at $1,980 (-1%).
  Tiny t;
  fill(t, {{0x0A, 15'000}});
  t.book.upsert_aave_user(aave_user(address_of(0x0D), {{0, U256{}, tokens(2, 18)}, {1, tokens(10'000, 6), U256{}}}));
  t.book.upsert_aave_user(aave_user(address_of(0x0E), {{0, U256{}, tokens(2, 18)}, {1, tokens(4'900, 6), U256{}}}));
  const auto first_round = [&](double fraction) {
    auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, fraction));
    REQUIRE(r.has_value());
    std::vector<Address> out;
    if (!r->rounds.empty())
      for (const auto& l : r->rounds[0].liquidations) out.push_back(l.key.account);
    return out;
  };
  const auto has = [](const std::vector<Address>& v, std::uint8_t tag) {
    return std::find(v.begin(), v.end(), address_of(tag)) != v.end();
  };
  const auto at_0 = first_round(0.0), down = first_round(-0.01), flat_top = first_round(1.0), up = first_round(1.1);
  CHECK(has(at_0, 0x0E));
  CHECK(has(down, 0x0E));
  CHECK_FALSE(has(down, 0x0D));
  CHECK_FALSE(has(flat_top, 0x0D));  // $4,000: HF exactly 1
  CHECK(has(up, 0x0D));              // $4,200: HF 0.952
  CHECK(has(up, 0x0E));
  CHECK(risk::crossings(t.book, t.weth).size() == 1);  // the fall order: A only
}

TEST_CASE("cascade: a position liquidatable without any tie to a moving asset is taken in the first round") {
  // U: 10,000 USDC of collateral (LT 80%) against 9,000 USDC: HF 0.889 whatever WETH does.
  Tiny t;
  fill(t, {{0x0A, 15'000}});
  t.book.upsert_aave_user(aave_user(address_of(0x0F), {{1, tokens(10'000, 6), tokens(9'000, 6)}}));
  for (const double fraction : {-0.01, 0.0, 0.05}) {
    auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, fraction));
    REQUIRE(r.has_value());
    REQUIRE_FALSE(r->rounds.empty());
    const auto& first = r->rounds[0].liquidations;
    CHECK(std::any_of(first.begin(), first.end(), [](const auto& l) { return l.key.account == address_of(0x0F); }));
  }
  CHECK(risk::crossings(t.book, t.weth).size() == 1);  // not a crossing: no move reaches it
}

TEST_CASE("cascade: a sold second asset's oracle follows its pool and crosses its own positions") {
  // The fixture market (book_fixture.hpp: WETH LT 83%, USDC, WBTC LT 75% bonus 6.5%, ...). WETH -10% ($1,800).
  // X: 10 WETH + 1 WBTC against 60,500 USDC: HF (18,000 x 0.83 + 60,000 x 0.75) / 60,500 = 0.9907 (1.018 before
  // the shock). The liquidator takes the largest collateral, WBTC: 30,250 repaid, 30,250 x 1.065 / 60,000 =
  // 0.5369 WBTC seized (less the fee). Y: 1 WBTC against 44,550 USDC crosses at 44,550 / 0.75 = $59,400 (HF 1.0101
  // at $60,000). Sold into a 10 WBTC / 600,000 USDC pool, ~0.53 WBTC moves it ~1 - (10 / 10.53)^2 = -9.8%, to
  // ~$54,100: with WBTC's oracle following its pool, Y is liquidated; without the WBTC sale it never is.
  auto run = [](bool sell_wbtc) {
    PositionBook book;
    book.set_aave_market(sluice::test::book::aave_market(kT));
    sluice::test::book::set_usd_prices(book);
    using sluice::test::book::kWeth;
    using sluice::test::book::kWbtc;
    using sluice::test::book::kUsdc;
    book.upsert_aave_user(aave_user(address_of(0x01), {{kWeth, tokens(10, 18), U256{}},
                                                       {kUsdc, U256{}, tokens(60'500, 6)},
                                                       {kWbtc, tokens(1, 8), U256{}}}));
    book.upsert_aave_user(aave_user(address_of(0x02), {{kUsdc, U256{}, tokens(44'550, 6)}, {kWbtc, tokens(1, 8), U256{}}}));
    risk::MarketModel model;
    risk::Pool weth{address_of(0xB0, 0), address_of(0xA0, kWeth), address_of(0xA0, kUsdc), tokens(10'000, 18),
                    tokens(20'000'000, 6), 18, 6};
    risk::Pool wbtc{address_of(0xB0, 1), address_of(0xA0, kUsdc), address_of(0xA0, kWbtc), tokens(600'000, 6),
                    tokens(10, 8), 6, 8};
    model.pools = {weth, wbtc};
    model.sell_for = {{kWeth, kUsdc}};
    if (sell_wbtc) model.sell_for.push_back({kWbtc, kUsdc});
    model.sell_only_listed = true;
    return risk::simulate_cascade(book, model, shock(kWeth, -0.10));
  };
  auto with = run(true);
  REQUIRE(with.has_value());
  REQUIRE(with->rounds.size() >= 1);
  REQUIRE(with->rounds[0].liquidations.size() == 1);
  CHECK(with->rounds[0].liquidations[0].key.account == address_of(0x01));
  CHECK(with->rounds[0].liquidations[0].collateral == sluice::test::book::kWbtc);
  CHECK(risk::to_units(with->rounds[0].liquidations[0].debt_repaid, 6) == doctest::Approx(30'250.0));
  bool y_liquidated = false;
  for (const auto& r : with->rounds)
    for (const auto& l : r.liquidations) y_liquidated = y_liquidated || l.key.account == address_of(0x02);
  CHECK(y_liquidated);
  auto without = run(false);
  REQUIRE(without.has_value());
  for (const auto& r : without->rounds)
    for (const auto& l : r.liquidations) CHECK(l.key.account != address_of(0x02));
}

TEST_CASE("cascade: an off-chain venue's permanent impact moves the market price, its cost counts as slippage") {
  // Coupling none keeps the oracle at the shocked $1,860, so only A is liquidated (round 1, 4.213709677 WETH to
  // the liquidator, see the worked example) and sold in round 2.
  Tiny t;
  fill(t, {{0x0A, 15'000}, {0x0B, 14'000}, {0x0C, 12'000}});
  t.model.coupling.mode = risk::CouplingMode::none;
  t.model.venue = risk::SqrtLawParams{1.0, 0.05, 100.0, 2.0 / 3};
  t.model.venue_share = 1.0;
  auto r = risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.07));
  REQUIRE(r.has_value());
  CHECK(r->liquidations == 1);
  // All on the venue, the pool keeps its shocked $1,860. I = Y sigma sqrt(Q / V) = 0.05 sqrt(4.2137097 / 100) =
  // 0.01026366; permanent 2/3 I = 0.00684244: market $1,860 x (1 - 0.00684244) = $1,847.2731. Cost: average
  // shortfall 2/3 I x Q x $1,860 = $53.6276.
  CHECK(r->final_price == doctest::Approx(1847.2731).epsilon(1e-5));
  CHECK(r->slippage_usd == doctest::Approx(53.6276).epsilon(1e-4));
  CHECK(r->rounds[1].collateral_sold == r->rounds[0].liquidations[0].collateral_seized);

  // Half on the venue: the pool takes the other half (a smaller move than the whole sale's $1,717.78), and the
  // venue's impact on its half is 1/sqrt(2) of the above.
  t.model.venue_share = 0.5;
  auto half = risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.07));
  REQUIRE(half.has_value());
  CHECK(half->final_price < r->final_price);
  CHECK(half->final_price > 1717.7759);
  t.model.venue_share = 1.5;
  CHECK(risk::simulate_cascade(t.book, t.model, shock(t.weth, -0.07)).error() == risk::CascadeError::bad_venue);
}

TEST_CASE("cascade: asset 0 sold for a stablecoin is tracked when another asset is shocked (WETH by a beta)") {
  // WETH is asset 0 and sold for USDC, which has no route of its own (its default route field points at asset 0):
  // WETH must still be tracked, so a WETH-only position crossing under the shock's WETH beta is liquidated.
  // Z: 10 WETH ($2,000, LT 83%) against 15,000 USDC crosses at 15,000 / 8.3 = $1,807.2; a WBTC -20% shock with
  // WETH beta 0.5 puts WETH at $1,800 (HF 14,940 / 15,000 = 0.996): Z is liquidated in round 1. Coupling none:
  // the WETH oracle stays there (its pool is not moved by the beta).
  PositionBook book;
  book.set_aave_market(sluice::test::book::aave_market(kT));
  sluice::test::book::set_usd_prices(book);
  using sluice::test::book::kUsdc;
  using sluice::test::book::kWbtc;
  using sluice::test::book::kWeth;
  book.upsert_aave_user(aave_user(address_of(0x03), {{kWeth, tokens(10, 18), U256{}}, {kUsdc, U256{}, tokens(15'000, 6)}}));
  risk::MarketModel model;
  model.pools = {risk::Pool{address_of(0xB0, 0), address_of(0xA0, kWeth), address_of(0xA0, kUsdc), tokens(10'000, 18),
                            tokens(20'000'000, 6), 18, 6},
                 risk::Pool{address_of(0xB0, 1), address_of(0xA0, kUsdc), address_of(0xA0, kWbtc), tokens(600'000, 6),
                            tokens(10, 8), 6, 8}};
  model.sell_for = {{kWeth, kUsdc}, {kWbtc, kUsdc}};
  model.sell_only_listed = true;
  model.coupling = *risk::parse_coupling("none");
  risk::Shock s = shock(kWbtc, -0.20);
  s.betas = {{kWeth, 0.5}};
  auto result = risk::simulate_cascade(book, model, s);
  REQUIRE(result.has_value());
  REQUIRE_FALSE(result->rounds.empty());
  REQUIRE(result->rounds[0].liquidations.size() == 1);
  CHECK(result->rounds[0].liquidations[0].key.account == address_of(0x03));
  CHECK(result->rounds[0].liquidations[0].collateral == kWeth);
  // Without the beta, WETH stays at $2,000 and Z is healthy (HF 16,600 / 15,000).
  auto alone = risk::simulate_cascade(book, model, shock(kWbtc, -0.20));
  REQUIRE(alone.has_value());
  CHECK(alone->liquidations == 0);
}
