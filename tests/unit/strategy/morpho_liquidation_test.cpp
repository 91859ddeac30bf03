// Morpho.liquidate by hand on the fixture of morpho_test_support.hpp (10,000e6 USDC borrowed as 1e16 shares,
// 20,000e6 supplied; WETH at 2e27; lltv 86%, so LIF = 1,043,841,336,116,910,229 = floor(1e18 / 0.958)).
// Shares convert at exactly 1e6 per unit: toSharesUp(a) = ceil(a * (1e16 + 1e6) / (1e10 + 1)) = a * 1e6.

#include "strategy/morpho/math.hpp"
#include "tests/unit/strategy/morpho_test_support.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::literals;
using namespace sluice::morpho;
using namespace sluice::morpho::test;

namespace {
/// 1 WETH against 1,800 USDC: max borrow 1,720e6 < 1,800e6, liquidatable.
const Position kUnhealthy{U256{}, usdc_shares(1'800'000'000), weth(1000)};
}  // namespace

TEST_CASE("morpho liquidate: by seized assets") {
  const auto r = liquidate(weth_usdc_params(), usdc_market(), kUnhealthy, weth_usdc_price(), weth(500), U256{});
  REQUIRE(r.has_value());
  // 0.5 WETH quoted: ceil(0.5e18 * 2e27 / 1e36) = 1,000e6; / LIF rounded up: ceil(1,000e6 * 1e18 / LIF) =
  // ceil(958,000,000.0000000004) = 958,000,001 units; shares 958,000,001e6; repaid assets back up: 958,000,001.
  CHECK(r->seized_assets == weth(500));
  CHECK(r->repaid_shares == usdc_shares(958'000'001));
  CHECK(r->repaid_assets == U256{958'000'001});
  CHECK(r->bad_debt_shares == U256{});
  CHECK(r->bad_debt_assets == U256{});
  CHECK(r->position_after.collateral == weth(500));
  CHECK(r->position_after.borrow_shares == usdc_shares(1'800'000'000) - usdc_shares(958'000'001));
  CHECK(r->state_after.total_borrow_assets == U256{10'000'000'000ULL - 958'000'001ULL});
  CHECK(r->state_after.total_borrow_shares == usdc_shares(10'000'000'000ULL - 958'000'001ULL));
  CHECK(r->state_after.total_supply_assets == usdc_market().total_supply_assets);
}

TEST_CASE("morpho liquidate: by repaid shares") {
  const auto r =
      liquidate(weth_usdc_params(), usdc_market(), kUnhealthy, weth_usdc_price(), U256{}, usdc_shares(900'000'000));
  REQUIRE(r.has_value());
  // 900e12 shares = 900e6 units (down); times LIF down: floor(900e6 * 1.043841336116910229) = 939,457,202;
  // in WETH: floor(939,457,202 * 1e36 / 2e27) = 469,728,601,000,000,000 wei.
  CHECK(r->seized_assets == 469'728'601'000'000'000_u256);
  CHECK(r->repaid_shares == usdc_shares(900'000'000));
  CHECK(r->repaid_assets == U256{900'000'000});
  CHECK(r->position_after.collateral == 530'271'399'000'000'000_u256);
  CHECK(r->position_after.borrow_shares == usdc_shares(900'000'000));
  CHECK(r->bad_debt_shares == U256{});
}

TEST_CASE("morpho liquidate: seizing all the collateral realises the rest as bad debt") {
  // 1 WETH against 2,000 USDC: seizing it all costs ceil(2,000e6 / 1.0438...) = 1,916,000,001 units of debt,
  // leaving 83,999,999e6 shares owed with no collateral: worth ceil(83,999,999e6 * (8,083,999,999 + 1) /
  // (8,083,999,999e6 + 1e6)) = 83,999,999 units, written off against borrow and supply totals.
  const Position p{U256{}, usdc_shares(2'000'000'000), weth(1000)};
  const auto r = liquidate(weth_usdc_params(), usdc_market(), p, weth_usdc_price(), weth(1000), U256{});
  REQUIRE(r.has_value());
  CHECK(r->repaid_shares == usdc_shares(1'916'000'001));
  CHECK(r->repaid_assets == U256{1'916'000'001});
  CHECK(r->bad_debt_shares == usdc_shares(83'999'999));
  CHECK(r->bad_debt_assets == U256{83'999'999});
  CHECK(r->position_after.collateral == U256{});
  CHECK(r->position_after.borrow_shares == U256{});
  CHECK(r->state_after.total_borrow_assets == U256{8'000'000'000ULL});
  CHECK(r->state_after.total_borrow_shares == usdc_shares(8'000'000'000ULL));
  CHECK(r->state_after.total_supply_assets == U256{20'000'000'000ULL - 83'999'999ULL});

  // liquidate_max takes the same branch: 1,916,000,001e6 shares fit in the 2,000e12 owed.
  const auto max = liquidate_max(weth_usdc_params(), usdc_market(), p, weth_usdc_price());
  REQUIRE(max.has_value());
  CHECK(max->seized_assets == weth(1000));
  CHECK(max->repaid_shares == r->repaid_shares);
  CHECK(max->bad_debt_assets == r->bad_debt_assets);
}

TEST_CASE("morpho liquidate: bad-debt assets are capped at the remaining total borrow") {
  // The position owes every share of a market whose assets are all but gone: after seizing, its remaining shares
  // round up to more assets than the total holds, and min(total, ...) applies. One share of 1 unit total: borrowed
  // rounds up to ceil(1e6 * 2 / 2e6) = 1; collateral 1 wei at price 1e36 (1 unit), lltv 86%: max borrow 0.
  MarketState m;
  m.total_supply_assets = U256{5};
  m.total_supply_shares = usdc_shares(5);
  m.total_borrow_assets = U256{1};
  m.total_borrow_shares = U256{1'000'000};
  m.last_update = 1;
  const Position p{U256{}, U256{1'000'000}, U256{1}};
  const U256 price = 1'000'000'000'000'000'000'000'000'000'000'000'000_u256;
  const auto r = liquidate(weth_usdc_params(), m, p, price, U256{1}, U256{});
  REQUIRE(r.has_value());
  // quoted ceil(1 * 1e36 / 1e36) = 1; / LIF up = 1; shares ceil(1 * (1e6 + 1e6) / 2) = 1e6: everything repaid,
  // repaid assets ceil(1e6 * 2 / 2e6) = 1, no shares left, so no bad debt.
  CHECK(r->repaid_shares == U256{1'000'000});
  CHECK(r->bad_debt_shares == U256{});

  // With 3e6 shares owing 1 unit in total: seizing the 1 wei repays toSharesUp(1, 1, 3e6) = ceil(1 * (3e6 + 1e6)
  // / 2) = 2e6 shares, repaid assets ceil(2e6 * 2 / 4e6) = 1, so the total falls to zeroFloorSub(1, 1) = 0; the
  // 1e6 shares left are worth toAssetsUp(1e6, 0, 1e6) = ceil(1e6 * 1 / 2e6) = 1 > 0 = total: capped to 0.
  m.total_borrow_shares = U256{3'000'000};
  const Position all{U256{}, U256{3'000'000}, U256{1}};
  const auto capped = liquidate(weth_usdc_params(), m, all, price, U256{1}, U256{});
  REQUIRE(capped.has_value());
  CHECK(capped->repaid_shares == U256{2'000'000});
  CHECK(capped->repaid_assets == U256{1});
  CHECK(capped->bad_debt_shares == U256{1'000'000});
  CHECK(capped->bad_debt_assets == U256{});
  CHECK(capped->state_after.total_borrow_assets == U256{});
  CHECK(capped->state_after.total_borrow_shares == U256{});
  CHECK(capped->state_after.total_supply_assets == U256{5});
}

TEST_CASE("morpho liquidate_max: repays all shares when seizing everything would cost more than owed") {
  // 1 WETH against 1,800 USDC: seizing it all would cost 1,916,000,001e6 shares > 1,800e12 owed, so all shares
  // are repaid: floor(1,800e6 * LIF) = 1,878,914,405 units of collateral value, floor(1,878,914,405 * 1e36 / 2e27)
  // = 939,457,202,500,000,000 wei seized, 60,542,797,500,000,000 left and no bad debt.
  const auto r = liquidate_max(weth_usdc_params(), usdc_market(), kUnhealthy, weth_usdc_price());
  REQUIRE(r.has_value());
  CHECK(r->repaid_shares == usdc_shares(1'800'000'000));
  CHECK(r->repaid_assets == U256{1'800'000'000});
  CHECK(r->seized_assets == 939'457'202'500'000'000_u256);
  CHECK(r->position_after.collateral == 60'542'797'500'000'000_u256);
  CHECK(r->position_after.borrow_shares == U256{});
  CHECK(r->bad_debt_shares == U256{});
  // The other branch is indeed refused by the contract's arithmetic.
  const auto all = liquidate(weth_usdc_params(), usdc_market(), kUnhealthy, weth_usdc_price(), weth(1000), U256{});
  REQUIRE_FALSE(all.has_value());
  CHECK(all.error() == MorphoError::insufficient_borrow);
}

TEST_CASE("morpho liquidate_max and liquidate_max_unhealthy: the rule played with liquidate() itself") {
  // The rule: liquidate() seizing all the collateral, unless the contract refuses it for insufficient borrow
  // shares; then liquidate() repaying all the shares. Both branches (all collateral seized with bad debt; all
  // shares repaid) and the error of debt without collateral, over a sweep of debts: wherever is_healthy says
  // false, liquidate_max, liquidate_max_unhealthy and the rule agree field for field.
  const auto params = weth_usdc_params();
  const auto lif = liquidation_incentive_factor(params.lltv);
  std::size_t compared = 0, bad_debt = 0;
  for (std::uint64_t usdc = 1'000'000'000; usdc <= 3'000'000'000; usdc += 37'000'000) {
    for (const auto& collateral : {weth(1000), weth(1), U256{}}) {
      const Position p{U256{}, usdc_shares(usdc), collateral};
      const auto healthy = is_healthy(params, usdc_market(), p, weth_usdc_price());
      REQUIRE(healthy.has_value());
      if (*healthy) continue;
      auto full = liquidate(params, usdc_market(), p, weth_usdc_price(), collateral, U256{});
      if (collateral.is_zero() || (!full && full.error() == MorphoError::insufficient_borrow))
        full = liquidate(params, usdc_market(), p, weth_usdc_price(), U256{}, p.borrow_shares);
      const auto max = liquidate_max(params, usdc_market(), p, weth_usdc_price());
      const auto known = liquidate_max_unhealthy(usdc_market(), p, weth_usdc_price(), lif);
      REQUIRE(full.has_value() == known.has_value());
      REQUIRE(full.has_value() == max.has_value());
      ++compared;
      if (!full) {
        CHECK(full.error() == known.error());
        CHECK(full.error() == max.error());
        continue;
      }
      bad_debt += full->bad_debt_assets.is_zero() ? 0 : 1;
      for (const auto* r : {&*known, &*max}) {
        CHECK(full->seized_assets == r->seized_assets);
        CHECK(full->repaid_shares == r->repaid_shares);
        CHECK(full->repaid_assets == r->repaid_assets);
        CHECK(full->bad_debt_shares == r->bad_debt_shares);
        CHECK(full->bad_debt_assets == r->bad_debt_assets);
        CHECK(full->position_after.collateral == r->position_after.collateral);
        CHECK(full->position_after.borrow_shares == r->position_after.borrow_shares);
        CHECK(full->state_after.total_borrow_assets == r->state_after.total_borrow_assets);
        CHECK(full->state_after.total_borrow_shares == r->state_after.total_borrow_shares);
        CHECK(full->state_after.total_supply_assets == r->state_after.total_supply_assets);
      }
    }
  }
  CHECK(compared > 100);
  CHECK(bad_debt > 10);  // the seize-all branch was exercised, not only repay-all
}

TEST_CASE("morpho liquidate_max: debt without collateral (a state Morpho never produces) has no full liquidation") {
  // Repaying all 100e6 shares would seize floor(floor(100 * LIF) * 1e36 / 2e27) = 104 * 5e8 = 52,000,000,000 wei
  // of a position holding none; seizing all its (zero) collateral is the inconsistent input (0, 0).
  const Position p{U256{}, usdc_shares(100), U256{}};
  const auto r = liquidate_max(weth_usdc_params(), usdc_market(), p, weth_usdc_price());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == MorphoError::insufficient_collateral);
}

TEST_CASE("morpho liquidate: errors in the contract's order") {
  const MarketParams params = weth_usdc_params();
  const MarketState m = usdc_market();
  const U256 price = weth_usdc_price();
  auto error_of = [](const Result<LiquidationOutcome>& r) { return r ? boost::system::error_code{} : r.error(); };

  CHECK(error_of(liquidate(params, m, kUnhealthy, price, U256{}, U256{})) == MorphoError::inconsistent_input);
  CHECK(error_of(liquidate(params, m, kUnhealthy, price, U256{1}, U256{1})) == MorphoError::inconsistent_input);
  const Position healthy{U256{}, usdc_shares(1'720'000'000), weth(1000)};
  CHECK(error_of(liquidate(params, m, healthy, price, U256{1}, U256{})) == MorphoError::healthy_position);
  CHECK(error_of(liquidate_max(params, m, healthy, price)) == MorphoError::healthy_position);
  CHECK(error_of(liquidate(params, m, kUnhealthy, price, weth(1001), U256{})) == MorphoError::insufficient_borrow);
  // 1.001 WETH seized while only 1,800e12 shares are owed: borrow underflows first (1,917e12 > 1,800e12);
  // a small position with much debt instead underflows its collateral.
  const Position thin{U256{}, usdc_shares(5'000'000'000), weth(1000)};
  CHECK(error_of(liquidate(params, m, thin, price, weth(1001), U256{})) == MorphoError::insufficient_collateral);
  CHECK(error_of(liquidate(params, m, kUnhealthy, price, U256{}, usdc_shares(1'800'000'001))) ==
        MorphoError::insufficient_borrow);
  CHECK(error_of(liquidate(params, m, kUnhealthy, U256{}, U256{}, U256{1})) == MorphoError::zero_price);
  // Seizing at a zero price is what the contract allows: nothing repaid for the collateral.
  const auto free = liquidate(params, m, kUnhealthy, U256{}, weth(1), U256{});
  REQUIRE(free.has_value());
  CHECK(free->repaid_shares == U256{});
  // uint128 cast of the seized assets.
  const Position big{U256{}, usdc_shares(1'800'000'000), (U256{1} << 128) - U256{1}};
  CHECK(error_of(liquidate(params, m, big, U256{1}, U256{1} << 128, U256{})) == MorphoError::overflow);
}
