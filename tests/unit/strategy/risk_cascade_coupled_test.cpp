// Cascade engine: positions with collateral in two assets whose oracles both move (WETH shocked, WBTC sold into its
// pool). Each crossing price the engine queues a position at is computed with the other prices as they were; once
// both have moved, those prices are stale and the position crosses earlier. These cases were missed before the
// engine re-examined such positions on every oracle move (found on the devnet: an Aave WETH+WBTC position stayed
// liquidatable, queued, to the end of the -8% cascade, so that shock liquidated 38 positions where -8.5% did 61).
//
// The market is book_fixture.hpp's: WETH $2,000 (LT 83%, bonus 5%), WBTC $60,000 (LT 75%, bonus 6.5%), USDC $1,
// indexes 1 RAY, no interest, protocol fee 10% of the bonus. WETH is shocked by -10% (to $1,800). Every figure
// below is worked by hand from GenericLogic's health factor sum(collateral x price x LT) / debt.
#include "strategy/risk/cascade.hpp"
#include "strategy/risk/numeric.hpp"
#include "tests/unit/strategy/book_fixture.hpp"
#include "tests/unit/strategy/risk_test_support.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace sluice;
using namespace sluice::book;
using sluice::test::book::address_of;
using sluice::test::book::aave_user;
using sluice::test::book::kUsdc;
using sluice::test::book::kWbtc;
using sluice::test::book::kWeth;
using sluice::test::book::tokens;

namespace {

constexpr std::uint64_t kT = 1'700'000'000;

/// An Aave user holding `weth_micros` / 1e6 WETH and `wbtc_micros` / 1e6 WBTC as collateral against `usdc` USDC.
aave::UserState user(std::uint8_t tag, std::uint64_t weth_micros, std::uint64_t wbtc_micros, std::uint64_t usdc) {
  return aave_user(address_of(tag), {{kWeth, tokens(weth_micros, 12), U256{}},
                                     {kUsdc, U256{}, tokens(usdc, 6)},
                                     {kWbtc, tokens(wbtc_micros, 2), U256{}}});
}

/// X: 10 WETH + 1 WBTC against 60,500 USDC. At the shock HF = (18,000 x 0.83 + 60,000 x 0.75) / 60,500 = 0.9907:
/// liquidated in round 1 against its largest collateral, WBTC (30,250 repaid, 0.5336 WBTC to the liquidator). Sold
/// into the 10 WBTC / 600,000 USDC pool, that moves WBTC to ~60,000 x (10 / 10.53)^2 = ~$54,100, and its oracle
/// follows. X itself stays healthy: (18,000 x 0.83 + 0.463 x 54,100 x 0.75) / 30,250 = 1.11 (1.09 at WETH $1,712).
Result<risk::CascadeResult> run(const std::vector<aave::UserState>& users, std::uint64_t weth_pool) {
  PositionBook book;
  book.set_aave_market(sluice::test::book::aave_market(kT));
  sluice::test::book::set_usd_prices(book);
  for (const auto& u : users) book.upsert_aave_user(u);
  risk::MarketModel model;
  risk::Pool weth{address_of(0xB0, 0), address_of(0xA0, kWeth), address_of(0xA0, kUsdc), tokens(weth_pool, 18),
                  tokens(weth_pool * 2'000, 6), 18, 6};
  risk::Pool wbtc{address_of(0xB0, 1), address_of(0xA0, kUsdc), address_of(0xA0, kWbtc), tokens(600'000, 6),
                  tokens(10, 8), 6, 8};
  model.pools = {weth, wbtc};
  model.sell_for = {{kWeth, kUsdc}, {kWbtc, kUsdc}};
  model.sell_only_listed = true;
  risk::Shock s;
  s.asset = kWeth;
  s.fraction = -0.10;
  return risk::simulate_cascade(book, model, s);
}

std::vector<risk::ModelLiquidation> of(const risk::CascadeResult& r, std::uint8_t tag) {
  std::vector<risk::ModelLiquidation> out;
  for (const auto& round : r.rounds)
    for (const auto& l : round.liquidations)
      if (l.key.account == address_of(tag)) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("cascade: an untouched position with WETH and WBTC collateral crosses when both oracles have fallen") {
  // P: 10 WETH + 1 WBTC against 56,500 USDC. Its place in the WETH order is (56,500 - 45,000) / 8.3 = $1,385 (WBTC
  // at $60,000), in the WBTC order (56,500 - 16,600) / 0.75 = $53,200 (WETH at $2,000): the shock ($1,800, HF
  // 59,940 / 56,500 = 1.061) reaches neither. After X's WBTC is sold, WBTC ~$54,100 with WETH at $1,800 gives HF
  // (14,940 + 40,575) / 56,500 = 0.983: P must be liquidated, although the WBTC oracle stays above $53,200 x
  // 1.002 (the visit tolerance) and the WETH oracle above $1,385. It crosses at WBTC (56,500 - 14,940) / 0.75 =
  // $55,413 (WETH $1,800). 50% close factor (HF >= 0.95) against its largest collateral, WBTC: 28,250 repaid.
  // A 10,000 WETH pool: no WETH is seized, so WETH stays at $1,800.
  auto r = run({user(0x01, 10'000'000, 1'000'000, 60'500), user(0x03, 10'000'000, 1'000'000, 56'500)}, 10'000);
  REQUIRE(r.has_value());
  REQUIRE(of(*r, 0x01).size() == 1);
  CHECK(of(*r, 0x01)[0].collateral == kWbtc);
  const auto p = of(*r, 0x03);
  REQUIRE(p.size() == 1);
  CHECK(p[0].collateral == kWbtc);
  CHECK(p[0].debt == kUsdc);
  CHECK(p[0].debt_repaid == tokens(28'250, 6));
  CHECK(p[0].oracle_price_usd < 55'413.0);  // WBTC's oracle when P was liquidated: below its true crossing
  CHECK(p[0].oracle_price_usd > 53'200.0 * 1.002);  // and above its stale entry in the WBTC order
  CHECK(r->final_oracle_price == doctest::Approx(1'800.0));
}

TEST_CASE("cascade: a re-queued position crosses again when the other collateral's oracle falls after it") {
  // Q: 20.7625 WETH + 0.1 WBTC against 36,900 USDC. At the shock HF = (20.7625 x 1,800 x 0.83 + 6,000 x 0.75) /
  // 36,900 = 0.9626 (1.056 before it): round 1 repays 50%, 18,450, against WETH (its largest collateral), seizing
  // 18,450 x 1.05 / 1,800 = 10.7625 WETH. Left: 10 WETH + 0.1 WBTC against 18,450, healthy at ($1,800, $60,000)
  // (HF 1.0117), re-queued at WETH (18,450 - 4,500) / 8.3 = $1,681 (WBTC at $60,000) and WBTC (18,450 - 14,940) /
  // 0.075 = $46,800 (WETH at $1,800). The seized WETH sold into a 400 WETH / 800,000 USDC pool (421.6 WETH after
  // the shock) moves WETH to ~1,800 x (421.6 / 432.3)^2 = ~$1,712; X's WBTC moves WBTC to ~$54,100. Then Q's HF is
  // (8.3 x 1,712 + 0.075 x 54,100) / 18,450 = 0.990: Q must be liquidated again, though neither oracle reaches
  // its entry (1,712 x 0.998 > 1,681; 54,100 x 0.998 > 46,800). Second call: HF >= 0.95, 50% of 18,450.
  auto r = run({user(0x01, 10'000'000, 1'000'000, 60'500), user(0x04, 20'762'500, 100'000, 36'900)}, 400);
  REQUIRE(r.has_value());
  const auto q = of(*r, 0x04);
  REQUIRE(q.size() >= 2);
  CHECK(q[0].collateral == kWeth);
  CHECK(q[0].debt_repaid == tokens(18'450, 6));
  CHECK(q[1].collateral == kWeth);
  CHECK(q[1].debt_repaid == tokens(9'225, 6));
  CHECK(q[1].oracle_price_usd > 1'681.0 * 1.002);  // WETH's oracle: above Q's stale WETH entry
  CHECK(q[1].oracle_price_usd < 1'800.0);
}
