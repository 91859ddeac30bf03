// With the oracle held at the shocked price (coupling none), the cascade's liquidations must be exactly the
// positions the exact math finds liquidatable at that price: checked against the position book's own view of the
// book at the shocked prices, position by position, on the benchmarks' two 100k-position books (cascade_bench.cpp).
// The engine visits positions from their closed-form crossing prices; a position whose health factor barely moves
// with the asset (a small share of its collateral in it) must be visited in time even though the contract's floor
// of the average liquidation threshold moves its true crossing far from the closed form's (on the realistic book
// at -41%: 7.2 WETH beside 17.6 WBTC of collateral against 14.1 WBTC of debt, closed form $1,172, liquidatable at
// $1,180).
#include "chain/fixed_point.hpp"
#include "strategy/risk/cascade.hpp"
#include "strategy/risk/numeric.hpp"
#include "tests/bench/book_generator.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>

using namespace sluice;
using namespace sluice::test::bench;

namespace {

/// The Aave accounts liquidatable when the asset's oracle answers `q` (USD, 8 decimals), the Aave price moved in
/// proportion as the engine moves it. The book's prices are restored before returning.
std::set<std::string> liquidatable_at(book::PositionBook& b, book::AssetId asset, const U256& q) {
  const auto usd0 = b.asset(asset).usd_price;
  const auto market0 = b.aave_market();
  auto market = market0;
  for (const auto& r : market.reserves)
    if (r.asset == b.asset(asset).address)
      market.prices[r.id] = checked_mul_div_down(market0.prices[r.id], q, usd0).value();
  b.set_aave_market(market);
  b.set_usd_price(asset, q);
  std::set<std::string> out;
  book::ViewFilter all;
  all.best_liquidation = false;
  for (const auto& v : b.view(all))
    if (v.error.empty() && v.liquidatable && v.key.protocol == Protocol::aave_v3) out.insert(v.key.account.hex());
  b.set_aave_market(market0);
  b.set_usd_price(asset, usd0);
  return out;
}

}  // namespace

TEST_CASE("cascade: with the oracle held at the shocked price, exactly the liquidatable Aave positions are taken") {
  for (const bool realistic : {true, false}) {
    CAPTURE(realistic);
    Fixture f;
    fill(f, kPositions);
    if (realistic) make_realistic(f);
    auto model = pools_model();
    model.coupling.mode = risk::CouplingMode::none;
    std::size_t checked = 0;
    for (const double fraction : {-0.01, -0.03, -0.05, -0.1, -0.2, -0.3, -0.41, -0.5, -0.6}) {
      CAPTURE(fraction);
      risk::Shock shock;
      shock.asset = kWeth;
      shock.fraction = fraction;
      auto r = risk::simulate_cascade(f.book, model, shock);
      REQUIRE(r.has_value());
      std::set<std::string> taken;
      for (const auto& round : r->rounds)
        for (const auto& l : round.liquidations)
          if (l.key.protocol == Protocol::aave_v3) taken.insert(l.key.account.hex());
      const U256 q = risk::from_double(std::round(risk::to_double(f.book.asset(kWeth).usd_price) * (1.0 + fraction))).value();
      const auto expected = liquidatable_at(f.book, kWeth, q);
      for (const auto& account : expected) {
        CAPTURE(account);
        CHECK(taken.contains(account));
      }
      for (const auto& account : taken) {
        CAPTURE(account);
        CHECK(expected.contains(account));
      }
      checked += expected.size();
    }
    CHECK(checked > 1'000);
  }
}
