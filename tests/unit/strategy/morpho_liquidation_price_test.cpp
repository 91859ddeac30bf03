// liquidation_price by hand on the fixture of morpho_test_support.hpp, and the oracle-to-USD conversion.

#include "strategy/morpho/liquidation_price.hpp"
#include "tests/unit/strategy/morpho_test_support.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::literals;
using namespace sluice::morpho;
using namespace sluice::morpho::test;

namespace {
bool healthy(const Position& p, const U256& price) {
  return is_healthy(weth_usdc_params(), usdc_market(), p, price).value();
}
}  // namespace

TEST_CASE("morpho liquidation_price: the largest unhealthy price, exact on both sides") {
  // 1 WETH owing 1,720e6: m = ceil(1,720e6 * 1e18 / 0.86e18) = 2,000e6; crossing ceil(2,000e6 * 1e36 / 1e18) - 1
  // = 2e27 - 1: at 2e27 the position is exactly at its max borrow (healthy).
  const Position at_max{U256{}, usdc_shares(1'720'000'000), weth(1000)};
  const auto p = liquidation_price(weth_usdc_params(), usdc_market(), at_max);
  REQUIRE(p.has_value());
  REQUIRE(p->has_value());
  CHECK(**p == weth_usdc_price() - U256{1});
  CHECK_FALSE(healthy(at_max, **p));
  CHECK(healthy(at_max, **p + U256{1}));

  // 0.7 WETH owing 1,000,000,001 units: m = ceil(1,000,000,001 / 0.86) = ceil(1,162,790,698.83) = 1,162,790,699;
  // crossing ceil(1,162,790,699 * 1e36 / 0.7e18) - 1 = ceil(1,162,790,699e19 / 7) - 1, and 1,162,790,699 =
  // 7 * 166,112,957, so the crossing is 1,661,129,570e18 - 1.
  const Position odd{U256{}, usdc_shares(1'000'000'001), weth(700)};
  const auto q = liquidation_price(weth_usdc_params(), usdc_market(), odd);
  REQUIRE(q.has_value());
  REQUIRE(q->has_value());
  CHECK(**q == 1'661'129'570'000'000'000'000'000'000_u256 - U256{1});
  CHECK_FALSE(healthy(odd, **q));
  CHECK(healthy(odd, **q + U256{1}));
}

TEST_CASE("morpho liquidation_price: no debt, no collateral, zero lltv") {
  CHECK_FALSE(liquidation_price(weth_usdc_params(), usdc_market(), Position{U256{}, U256{}, weth(1000)})->has_value());
  CHECK(liquidation_price(weth_usdc_params(), usdc_market(), Position{U256{}, U256{1}, U256{}})->value() ==
        U256::max());
  MarketParams zero_lltv = weth_usdc_params();
  zero_lltv.lltv = U256{};
  CHECK(liquidation_price(zero_lltv, usdc_market(), Position{U256{}, U256{1}, weth(1000)})->value() == U256::max());
}

TEST_CASE("morpho collateral_usd_price: oracle price back to dollars") {
  // 2e27 USDC units per WETH unit, scaled 1e36: 2e27 * 10^(18 - 6 - 36) = 2,000 USDC per WETH, at $1.
  CHECK(collateral_usd_price(weth_usdc_price(), 1.0, 6, 18) == doctest::Approx(2000.0).epsilon(1e-12));
  // Same with USDC at $0.99: $1,980.
  CHECK(collateral_usd_price(weth_usdc_price(), 0.99, 6, 18) == doctest::Approx(1980.0).epsilon(1e-12));
  // WBTC (8 decimals) at $60,000 against DAI (18) at $1: 60,000 * 10^(36 + 18 - 8) = 6e50 in the oracle.
  const U256 wbtc_dai = U256{60'000} * pow10(46);
  CHECK(collateral_usd_price(wbtc_dai, 1.0, 18, 8) == doctest::Approx(60000.0).epsilon(1e-12));
}
