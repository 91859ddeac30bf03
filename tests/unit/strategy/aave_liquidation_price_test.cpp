// Liquidation prices: p* = (B - A) / (a - b) from strategy/aave/liquidation_price.hpp, worked by hand for each
// case (comments), and the exact integer boundary checked against account_data itself on both sides.

#include "strategy/aave/liquidation_price.hpp"
#include "tests/unit/strategy/aave_fixture.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace sluice;
using namespace sluice::aave;
using namespace sluice::aave::test;

namespace {

U256 health_at(MarketSnapshot m, const UserState& u, std::uint16_t id, const U256& price) {
  m.prices[id] = price;
  return account_data(m, u).value().health_factor;
}

}  // namespace

TEST_CASE("aave liquidation price: the issue's account crosses at $2,048.19") {
  const MarketSnapshot m = market();
  const UserState u = borrower(ether(10), usdc(17'000));
  const auto lp = liquidation_price(m, u, kWeth).value();
  REQUIRE(lp.has_value());
  // 17000e8 / (10 * 0.83) = 204819277108.433...
  CHECK(std::fabs(static_cast<double>(lp->price) - 204819277108.43373) < 1e-3);
  CHECK(lp->liquidatable_below);
  CHECK_FALSE(lp->emode_source);
  // Exact: HF < 1 iff round_half_up(8.3 p) <= 1.7e12 - 1, i.e. p < (1.7e12 - 0.5) / 8.3 = 204819277108.37.
  CHECK(lp->exact == U256{204'819'277'108ULL});
  CHECK(health_at(m, u, kWeth, lp->exact) < kWad);
  CHECK(health_at(m, u, kWeth, lp->exact + U256{1}) >= kWad);
}

TEST_CASE("aave liquidation price: an asset that is collateral and debt at once") {
  // 10 WETH collateral, 4 WETH and 10,000 USDC of debt: a = 8.3, b = 4, A = 0, B = 10000e8:
  // p* = 1e12 / 4.3 = 232558139534.88.
  UserState u = borrower(ether(10), usdc(10'000));
  u.config.bitmap |= U256{1} << (2 * kWeth);
  u.reserves[0].scaled_variable_debt = ether(4);
  const auto lp = liquidation_price(market(), u, kWeth).value();
  REQUIRE(lp.has_value());
  CHECK(std::fabs(static_cast<double>(lp->price) - 232558139534.88372) < 1e-3);
  CHECK(lp->liquidatable_below);
  CHECK(health_at(market(), u, kWeth, lp->exact) < kWad);
  CHECK(health_at(market(), u, kWeth, lp->exact + U256{1}) >= kWad);
}

TEST_CASE("aave liquidation price: a debt asset crosses from below") {
  // 20,000 USDC collateral (LT 85%), 5 WETH debt: A = 17000e8, a = 0, b = 5: p* = 3400e8, liquidatable above.
  MarketSnapshot m = market();
  UserState u;
  u.config.bitmap = (U256{1} << (2 * kUsdc + 1)) | (U256{1} << (2 * kWeth));
  u.reserves = {UserReserve{kWeth, U256{}, ether(5), {}}, UserReserve{kUsdc, usdc(20'000), U256{}, {}}};
  const auto lp = liquidation_price(m, u, kWeth).value();
  REQUIRE(lp.has_value());
  CHECK(std::fabs(static_cast<double>(lp->price) - 340000000000.0) < 1e-3);
  CHECK_FALSE(lp->liquidatable_below);
  // wadDiv(1.7e12, 5p) < 1e18 iff 1.7e30 + 2.5p < 5e18 p iff p > 340000000000.00000000017: smallest 340000000001.
  CHECK(lp->exact == U256{340'000'000'001ULL});
}

TEST_CASE("aave liquidation price: never crosses") {
  // No debt.
  CHECK_FALSE(liquidation_price(market(), borrower(ether(10), U256{}), kWeth).value().has_value());
  // Enough USDC collateral to cover the debt at any WETH price: p* = (10000e8 - 42500e8) / 8.3 < 0.
  UserState u = borrower(ether(10), usdc(10'000));
  u.config.bitmap |= U256{1} << (2 * kUsdc + 1);
  u.reserves[1].scaled_a_token = usdc(50'000);
  CHECK_FALSE(liquidation_price(market(), u, kWeth).value().has_value());
  // A reserve the user does not touch.
  MarketSnapshot m = market();
  m.reserves.push_back(reserve(2, "DAI", reserve_config(7500, 8000, 10500, 18, 1000, 0)));
  m.prices.push_back(kUsd);
  CHECK_FALSE(liquidation_price(m, borrower(ether(10), usdc(17'000)), 2).value().has_value());
}

TEST_CASE("aave liquidation price: an asset priced by the eMode source moves with the source") {
  MarketSnapshot m = market();
  m.emodes.push_back(EModeCategory{1, 9000, 9300, 10100, address_of(0xee), U256{2000} * kUsd, "ETH correlated"});
  UserState u = borrower(ether(10), usdc(17'000));
  u.emode_category = 1;
  const auto lp = liquidation_price(m, u, kWeth).value();
  REQUIRE(lp.has_value());
  CHECK(lp->emode_source);
  // eMode LT 93%: 17000e8 / 9.3 = 182795698924.73
  CHECK(std::fabs(static_cast<double>(lp->price) - 182795698924.73118) < 1e-3);
  MarketSnapshot at = m;
  at.emodes[0].price = lp->exact;
  CHECK(account_data(at, u).value().health_factor < kWad);
  at.emodes[0].price = lp->exact + U256{1};
  CHECK(account_data(at, u).value().health_factor >= kWad);
  // The WETH oracle price itself no longer matters to this account.
  CHECK(health_at(m, u, kWeth, U256{1}) == account_data(m, u).value().health_factor);
}
