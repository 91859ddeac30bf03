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
#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace sluice;
using namespace sluice::test::bench;

namespace {

/// A position as the sets below name it.
std::string name_of(const book::PositionKey& key) {
  return key.protocol == Protocol::aave_v3 ? "aave " + key.account.hex()
                                           : "morpho " + key.market.hex() + " " + key.account.hex();
}

/// The positions liquidatable when each listed asset's oracle answers its `q` (USD, 8 decimals), the Aave prices
/// moved in proportion and every Morpho market's oracle set to its FeedRatioOracle price (collateral USD x
/// 10^(36 + loan decimals - collateral decimals) / loan USD, which the benchmark books' oracles are), as the engine
/// moves them. The book's prices are restored before returning.
std::set<std::string> liquidatable_at(Fixture& f, const std::vector<std::pair<book::AssetId, U256>>& moves) {
  auto& b = f.book;
  const auto market0 = b.aave_market();
  std::vector<U256> usd0;
  auto market = market0;
  for (const auto& [asset, q] : moves) {
    usd0.push_back(b.asset(asset).usd_price);
    for (const auto& r : market.reserves)
      if (r.asset == b.asset(asset).address)
        market.prices[r.id] = checked_mul_div_down(market0.prices[r.id], q, usd0.back()).value();
  }
  const auto feed_ratio = [&](const morpho::Market& m) {
    const auto c = b.find_asset(m.params.collateral_token).value(), l = b.find_asset(m.params.loan_token).value();
    return checked_mul_div_down(b.asset(c).usd_price, pow10(36u + b.asset(l).decimals - b.asset(c).decimals),
                                b.asset(l).usd_price)
        .value();
  };
  for (const auto& m : f.markets) REQUIRE(feed_ratio(*b.morpho_market(m.id)) == b.morpho_market(m.id)->oracle_price);
  for (const auto& [asset, q] : moves) b.set_usd_price(asset, q);
  b.set_aave_market(market);
  for (const auto& m : f.markets) b.set_morpho_price(m.id, feed_ratio(*b.morpho_market(m.id)));
  std::set<std::string> out;
  book::ViewFilter all;
  all.best_liquidation = false;
  for (const auto& v : b.view(all))
    if (v.error.empty() && v.liquidatable) out.insert(name_of(v.key));
  b.set_aave_market(market0);
  for (std::size_t i = 0; i < moves.size(); ++i) b.set_usd_price(moves[i].first, usd0[i]);
  for (const auto& m : f.markets) b.set_morpho_price(m.id, feed_ratio(*b.morpho_market(m.id)));
  return out;
}

/// The oracle answer the engine posts for `asset` moved by `fraction` (USD, 8 decimals).
U256 moved_answer(const book::PositionBook& b, book::AssetId asset, double fraction) {
  return risk::from_double(std::round(risk::to_double(b.asset(asset).usd_price) * (1.0 + fraction))).value();
}

/// Runs `shock` with the oracle held (coupling none) and checks, position by position, that the positions the
/// cascade liquidates are exactly those liquidatable at the shocked prices; returns how many were expected.
std::size_t check_exact_set(Fixture& f, const risk::MarketModel& model, const risk::Shock& shock) {
  auto r = risk::simulate_cascade(f.book, model, shock);
  REQUIRE(r.has_value());
  std::set<std::string> taken;
  for (const auto& round : r->rounds)
    for (const auto& l : round.liquidations)
      taken.insert(name_of(l.key));
  std::vector<std::pair<book::AssetId, U256>> moves{{shock.asset, moved_answer(f.book, shock.asset, shock.fraction)}};
  for (const auto& [asset, beta] : shock.betas) moves.emplace_back(asset, moved_answer(f.book, asset, beta * shock.fraction));
  const auto expected = liquidatable_at(f, moves);
  for (const auto& account : expected) {
    CAPTURE(account);
    CHECK(taken.contains(account));
  }
  for (const auto& account : taken) {
    CAPTURE(account);
    CHECK(expected.contains(account));
  }
  return expected.size();
}

/// check_exact_set on both 100k books (realistic, then stress) for WETH moved by each of `fractions`, other assets
/// by `betas`.
void check_both_books(std::initializer_list<double> fractions,
                      const std::vector<std::pair<book::AssetId, double>>& betas) {
  for (const bool realistic : {true, false}) {
    CAPTURE(realistic);
    Fixture f;
    fill(f, kPositions);
    if (realistic) make_realistic(f);
    auto model = pools_model();
    model.coupling.mode = risk::CouplingMode::none;
    std::size_t checked = 0;
    for (const double fraction : fractions) {
      CAPTURE(fraction);
      checked += check_exact_set(f, model, risk::Shock{kWeth, fraction, betas});
    }
    CHECK(checked > 1'000);
  }
}

}  // namespace

TEST_CASE("cascade: with the oracle held at the shocked price, exactly the liquidatable positions are taken") {
  check_both_books({-0.01, -0.03, -0.05, -0.1, -0.2, -0.3, -0.41, -0.5, -0.6}, {});
}

TEST_CASE("cascade: assets moved by a beta only (no pool) cross their positions at the shock, as the oracle says") {
  // wstETH is sold in no pool of the model: before, a position exposed to it alone was never looked at, whatever
  // the beta moved its oracle to. WBTC (sold, so followed) moves by a beta too, so positions exposed to two moved
  // assets are checked on every move; at +15% the rises cross the borrowers of WETH, wstETH and WBTC.
  check_both_books({-0.05, -0.3, 0.15}, {{kWsteth, 1.0}, {kWbtc, 0.5}});
}
