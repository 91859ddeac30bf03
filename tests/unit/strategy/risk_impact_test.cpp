// strategy/risk/impact: on-chain impact from a route, the square-root law, and their combination. Every expected
// value is worked by hand in the comments (the on-chain case reuses the 10 ETH sale of risk_uniswap_v2_test.cpp).

#include "strategy/risk/impact.hpp"

#include "strategy/risk/numeric.hpp"
#include "tests/unit/strategy/risk_test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace sluice;
using namespace sluice::risk;
using namespace sluice::risk::test;

TEST_CASE("impact: on-chain impact of 10 ETH into 1,000 ETH / 3,000,000 USDC") {
  // out = 29,614.741031 USDC (risk_uniswap_v2_test.cpp), average 2,961.4741031 USDC/ETH.
  // Marginal before = 3,000 * 0.997 = 2,991: slippage (2,991 - 2,961.4741031) / 2,991 = 98.7158 bps,
  //   = 2,991 * 10 - 29,614.741031 = 295.258969 USD at 1 USD/USDC.
  // Against the 3,000 mid: (3,000 - 2,961.4741031) / 3,000 = 128.4197 bps = 385.258969 USD (fee included).
  // Mid after = (3,000,000 - 29,614.741031) / 1,010 = 2,940.97550393: permanent move 196.7483 bps.
  const std::vector<Pool> pools{eth_usdc(1000, 3'000'000)};
  const auto route = route_sale(pools, kWeth, kUsdcToken, 10 * kEth);
  REQUIRE(route.has_value());
  const auto imp = onchain_impact(*route, 1.0);
  REQUIRE(imp.has_value());
  CHECK(imp->mid_before == doctest::Approx(3000.0).epsilon(1e-12));
  CHECK(imp->marginal_before == doctest::Approx(2991.0).epsilon(1e-12));
  CHECK(imp->average_price == doctest::Approx(2961.4741031).epsilon(1e-12));
  CHECK(imp->slippage_bps == doctest::Approx(98.7158037).epsilon(1e-8));
  CHECK(imp->slippage_usd == doctest::Approx(295.258969).epsilon(1e-8));
  CHECK(imp->cost_vs_mid_bps == doctest::Approx(128.4196563).epsilon(1e-8));
  CHECK(imp->cost_vs_mid_usd == doctest::Approx(385.258969).epsilon(1e-8));
  CHECK(imp->mid_after == doctest::Approx(2940.97550393).epsilon(1e-10));
  CHECK(imp->permanent_bps == doctest::Approx(196.7483202).epsilon(1e-8));
  // USD scales with the quote's price (a quote worth 0.5 USD halves the dollar figures).
  CHECK(onchain_impact(*route, 0.5)->slippage_usd == doctest::Approx(295.258969 / 2).epsilon(1e-8));
  CHECK(onchain_impact(*route, -1.0).error() == ImpactError::invalid_parameter);
}

TEST_CASE("impact: arbitrage price of several pools") {
  // 1,000 ETH / 3,000,000 USDC and 100 ETH / 320,000 USDC: sqrt(p) = (sqrt(3e9) + sqrt(3.2e7)) / 1,100
  // = (54,772.256 + 5,656.854) / 1,100 = 54.935555, p = 3,017.9152 USDC/ETH, between the two mids (3,000, 3,200)
  // and near the deeper one. Check the defining property too: at p, the ETH both pools hold,
  // sqrt(R_in R_out / p) each, adds up to the ETH they held before (no net flow).
  const std::vector<PoolSide> sides{*orient(eth_usdc(1000, 3'000'000), kWeth), *orient(eth_usdc(100, 320'000), kWeth)};
  const double p = arbitrage_price(sides);
  CHECK(p == doctest::Approx(3017.9151532).epsilon(1e-10));
  CHECK(std::sqrt(1000 * 3e6 / p) + std::sqrt(100 * 320000 / p) == doctest::Approx(1100.0).epsilon(1e-12));
  CHECK(arbitrage_price(std::vector<PoolSide>{sides[0]}) == doctest::Approx(3000.0).epsilon(1e-15));
  CHECK(arbitrage_price({}) == 0.0);
}

TEST_CASE("impact: square-root law") {
  // Y = 1, sigma = 5%/day, V = 100,000 ETH/day, Q = 1,000 ETH at 3,000 USD:
  // I = 1 * 0.05 * sqrt(1,000 / 100,000) = 0.05 * 0.1 = 0.005 (50 bps);
  // phi = 0.6: permanent 30 bps, temporary 20 bps; average cost (2/3) * 0.005 = 33.33 bps,
  // i.e. 0.0033333 * 1,000 * 3,000 = 10,000 USD.
  const SqrtLawParams params{1.0, 0.05, 100'000, 0.6};
  const auto v = sqrt_law_impact(params, 1000, 3000);
  REQUIRE(v.has_value());
  CHECK(v->peak == doctest::Approx(0.005).epsilon(1e-12));
  CHECK(v->permanent == doctest::Approx(0.003).epsilon(1e-12));
  CHECK(v->temporary == doctest::Approx(0.002).epsilon(1e-12));
  CHECK(v->average_cost == doctest::Approx(0.005 * 2 / 3).epsilon(1e-12));
  CHECK(v->cost_usd == doctest::Approx(10'000.0).epsilon(1e-12));
  // Four times the quantity doubles the impact (square root), Y = 0.5 halves it.
  CHECK(sqrt_law_impact(params, 4000, 3000)->peak == doctest::Approx(0.01).epsilon(1e-12));
  CHECK(sqrt_law_impact({0.5, 0.05, 100'000, 0.6}, 1000, 3000)->peak == doctest::Approx(0.0025).epsilon(1e-12));
  CHECK(sqrt_law_impact(params, 0, 3000)->peak == 0.0);
  CHECK(sqrt_law_impact({1.0, 0.05, 0.0, 0.6}, 1, 3000).error() == ImpactError::invalid_parameter);
  CHECK(sqrt_law_impact({1.0, -0.05, 1.0, 0.6}, 1, 3000).error() == ImpactError::invalid_parameter);
  CHECK(sqrt_law_impact({1.0, 0.05, 1.0, 1.5}, 1, 3000).error() == ImpactError::invalid_parameter);
  CHECK(sqrt_law_impact(params, std::numeric_limits<double>::quiet_NaN(), 3000).error() ==
        ImpactError::invalid_parameter);
}

TEST_CASE("impact: combining the pool move and the venue's permanent part") {
  // Pool move 196.7483 bps (the 10 ETH sale) and a venue permanent part of 30 bps compound:
  // 1 - (1 - 0.01967483)(1 - 0.003) = 0.02261581; the oracle-followed price from 3,000 falls to 2,932.1526.
  const std::vector<Pool> pools{eth_usdc(1000, 3'000'000)};
  const auto on = onchain_impact(*route_sale(pools, kWeth, kUsdcToken, 10 * kEth), 1.0);
  const auto venue = sqrt_law_impact({1.0, 0.05, 100'000, 0.6}, 1000, 3000);
  REQUIRE(on.has_value());
  REQUIRE(venue.has_value());
  const SaleImpact both = combine(*on, *venue);
  CHECK(both.permanent == doctest::Approx(0.02261581).epsilon(1e-6));
  CHECK(both.temporary == doctest::Approx(0.002).epsilon(1e-12));
  CHECK(both.cost_usd == doctest::Approx(385.258969 + 10'000.0).epsilon(1e-10));
  CHECK(both.permanent_price(3000) == doctest::Approx(2932.15257).epsilon(1e-8));
  const SaleImpact pool_only = combine(*on, std::nullopt);
  CHECK(pool_only.permanent == doctest::Approx(0.01967483).epsilon(1e-6));
  CHECK(pool_only.temporary == 0.0);  // a constant-product pool has no resilience: all of its move stays
  CHECK(combine(std::nullopt, std::nullopt).permanent == 0.0);
}
