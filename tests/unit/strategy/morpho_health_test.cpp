// Morpho._isHealthy by hand on the fixture of morpho_test_support.hpp: 1 WETH at 2e27 (WETH $2,000, USDC $1) is
// worth floor(1e18 * 2e27 / 1e36) = 2,000e6 USDC units; at lltv 86% the max borrow is floor(2,000e6 * 0.86) =
// 1,720e6. Borrow shares s are worth ceil(s / 1e6) units (toAssetsUp on the fixture's totals).

#include "strategy/morpho/math.hpp"
#include "tests/unit/strategy/morpho_test_support.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::literals;
using namespace sluice::morpho;
using namespace sluice::morpho::test;

TEST_CASE("morpho health: borrowed rounds up, max borrow rounds down") {
  const MarketState m = usdc_market();
  Position p{U256{}, usdc_shares(1'720'000'000), weth(1000)};
  CHECK(borrowed_assets(m, p).value() == U256{1'720'000'000});
  p.borrow_shares += U256{1};  // one share more: ceil(1,720,000,000.000001) = 1,720,000,001
  CHECK(borrowed_assets(m, p).value() == U256{1'720'000'001});
  CHECK(max_borrow(weth_usdc_params(), p, weth_usdc_price()).value() == U256{1'720'000'000});
  // 1 wei of WETH is worth floor(1e-18 * 2,000e6) = 0 units: no borrowing power at all.
  CHECK(max_borrow(weth_usdc_params(), Position{U256{}, U256{}, U256{1}}, weth_usdc_price()).value() == U256{});
  // 999 wei: floor(999 * 2e27 / 1e36) = 0; 500,000,000,000 wei: 1,000 units, times 0.86 = 860.
  CHECK(max_borrow(weth_usdc_params(), Position{U256{}, U256{}, U256{500'000'000'000ULL}}, weth_usdc_price())
            .value() == U256{860});
}

TEST_CASE("morpho health: exactly at the max borrow is healthy, one unit more is not") {
  const MarketState m = usdc_market();
  const MarketParams params = weth_usdc_params();
  const Position at_max{U256{}, usdc_shares(1'720'000'000), weth(1000)};
  CHECK(is_healthy(params, m, at_max, weth_usdc_price()).value());
  // HF = 1,720e6 * 1e18 / 1,720e6 = exactly 1e18.
  CHECK(health_factor(params, m, at_max, weth_usdc_price()).value() == 1'000'000'000'000'000'000_u256);

  Position over = at_max;
  over.borrow_shares += U256{1};  // borrowed 1,720,000,001
  CHECK_FALSE(is_healthy(params, m, over, weth_usdc_price()).value());
  // HF = floor(1,720e6 * 1e18 / 1,720,000,001) = 999,999,999,418,604,651
  CHECK(health_factor(params, m, over, weth_usdc_price()).value() == 999'999'999'418'604'651_u256);

  // One unit of price less: floor(1e18 * (2e27 - 1) / 1e36) = 1,999,999,999, times 0.86 = 1,719,999,999.
  CHECK_FALSE(is_healthy(params, m, at_max, weth_usdc_price() - U256{1}).value());
}

TEST_CASE("morpho health: no debt is healthy at any price, even zero; a zero price makes any debt unhealthy") {
  const MarketState m = usdc_market();
  const Position none{U256{}, U256{}, weth(1000)};
  CHECK(is_healthy(weth_usdc_params(), m, none, U256{}).value());
  CHECK(health_factor(weth_usdc_params(), m, none, U256{}).value() == U256::max());
  const Position one_unit{U256{}, U256{1}, weth(1000)};
  CHECK_FALSE(is_healthy(weth_usdc_params(), m, one_unit, U256{}).value());
  CHECK(health_factor(weth_usdc_params(), m, one_unit, U256{}).value() == U256{});
}

TEST_CASE("morpho health: overflow where the contract's mulDiv overflows") {
  const MarketState m = usdc_market();
  // collateral * price > 2^256 - 1: 2^128 collateral at a 2^128 price.
  const Position huge{U256{}, U256{1}, U256{1} << 128};
  const auto r = is_healthy(weth_usdc_params(), m, huge, U256{1} << 128);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == MorphoError::overflow);
  // Without debt the contract returns before computing anything.
  CHECK(is_healthy(weth_usdc_params(), m, Position{U256{}, U256{}, U256{1} << 128}, U256{1} << 128).value());
}

TEST_CASE("morpho liquidation incentive factor: min(1.15, 1 / (1 - 0.3 * (1 - lltv))) in WAD, rounded down") {
  // lltv 0.86: 1 - floor(0.3e18 * 0.14e18 / 1e18) = 0.958e18; floor(1e36 / 0.958e18) = 1,043,841,336,116,910,229
  // (1 / 0.958 = 1.0438413361169102296...).
  CHECK(liquidation_incentive_factor(860'000'000'000'000'000_u256) == 1'043'841'336'116'910'229_u256);
  // lltv 0.915: 1 - 0.3 * 0.085 = 0.9745; 1 / 0.9745 = 1.0261672652642380708...
  CHECK(liquidation_incentive_factor(915'000'000'000'000'000_u256) == 1'026'167'265'264'238'070_u256);
  // lltv 0.945: 1 - 0.3 * 0.055 = 0.9835; 1 / 0.9835 = 1.0167768174885612608...
  CHECK(liquidation_incentive_factor(945'000'000'000'000'000_u256) == 1'016'776'817'488'561'260_u256);
  // lltv 0.5: 1 - 0.15 = 0.85; 1 / 0.85 = 1.176... capped at 1.15.
  CHECK(liquidation_incentive_factor(500'000'000'000'000'000_u256) == 1'150'000'000'000'000'000_u256);
  // lltv 1 (and above, never enabled): factor 1.
  CHECK(liquidation_incentive_factor(1'000'000'000'000'000'000_u256) == 1'000'000'000'000'000'000_u256);
  CHECK(liquidation_incentive_factor(2'000'000'000'000'000'000_u256) == 1'000'000'000'000'000'000_u256);
}
