// GenericLogic.calculateUserAccountData against hand computations of its formulas (integer arithmetic, shown in
// the comments): value = balance * price / 10^decimals, avgLT = sum(value * LT) / total collateral,
// HF = percentMul(collateral, avgLT) wadDiv debt. The devnet comparison for every borrower is
// tests/integration/aave_math_diff_test.cpp.

#include "tests/unit/strategy/aave_fixture.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::aave;
using namespace sluice::aave::test;

TEST_CASE("aave account data: the issue's example, 10 WETH at $2,000 against $17,000 of USDC") {
  const auto data = account_data(market(), borrower(ether(10), usdc(17'000))).value();
  CHECK(data.total_collateral_base == U256{2'000'000'000'000ULL});  // 10e18 * 2000e8 / 1e18
  CHECK(data.total_debt_base == U256{1'700'000'000'000ULL});        // 17000e6 * 1e8 / 1e6
  CHECK(data.avg_ltv_bps == U256{8050});
  CHECK(data.avg_liquidation_threshold_bps == U256{8300});
  // percentMul(2e12, 8300) = 1.66e12; wadDiv: (1.66e12 * 1e18 + 0.85e12) / 1.7e12 = 976470588235294117.647 + 0.5
  // -> 976470588235294118, i.e. HF 0.976471.
  CHECK(data.health_factor == U256{976'470'588'235'294'118ULL});
  CHECK_FALSE(data.has_zero_ltv_collateral);
}

TEST_CASE("aave account data: an empty configuration and a debt-free account") {
  const auto empty = account_data(market(), UserState{}).value();
  CHECK(empty.total_collateral_base == U256{});
  CHECK(empty.total_debt_base == U256{});
  CHECK(empty.avg_liquidation_threshold_bps == U256{});
  CHECK(empty.health_factor == U256::max());

  const auto lender = account_data(market(), borrower(ether(3), U256{})).value();
  CHECK(lender.total_collateral_base == U256{600'000'000'000ULL});
  CHECK(lender.total_debt_base == U256{});
  CHECK(lender.health_factor == U256::max());
}

TEST_CASE("aave account data: weighted averages truncate, LT 0 is not collateral, LTV 0 is flagged") {
  MarketSnapshot m = market();
  UserState u = borrower(ether(1), usdc(100));
  // USDC also as collateral: 333.333333 USDC = 33333333300 base; WETH 2000e8 = 200000000000.
  u.config.bitmap |= U256{1} << (2 * kUsdc + 1);
  u.reserves[1].scaled_a_token = U256{333'333'333ULL};
  auto data = account_data(m, u).value();
  CHECK(data.total_collateral_base == U256{233'333'333'300ULL});
  // (200000000000 * 8050 + 33333333300 * 7500) / 233333333300 = 7971.428... -> 7971
  CHECK(data.avg_ltv_bps == U256{7971});
  // (200000000000 * 8300 + 33333333300 * 8500) / 233333333300 = 8328.57... -> 8328
  CHECK(data.avg_liquidation_threshold_bps == U256{8328});
  // percentMul(233333333300, 8328) = 194319999972.24 -> 194319999972; wadDiv by 100e8 -> 19.4319999972
  CHECK(data.health_factor == U256::from_dec("19431999997200000000").value());

  // LTV 0 on USDC: still collateral for the threshold, excluded from avgLtv, flagged.
  m.reserves[kUsdc].config.ltv_bps = 0;
  data = account_data(m, u).value();
  CHECK(data.has_zero_ltv_collateral);
  CHECK(data.avg_ltv_bps == U256{6900});  // 200000000000 * 8050 / 233333333300 = 6900.000000986 -> 6900
  CHECK(data.avg_liquidation_threshold_bps == U256{8328});

  // LT 0 on USDC: not collateral at all.
  m.reserves[kUsdc].config.liquidation_threshold_bps = 0;
  data = account_data(m, u).value();
  CHECK(data.total_collateral_base == U256{200'000'000'000ULL});
  CHECK(data.avg_liquidation_threshold_bps == U256{8300});
  CHECK_FALSE(data.has_zero_ltv_collateral);
}

TEST_CASE("aave account data: interest accrues to the snapshot's timestamp") {
  MarketSnapshot m = market();
  m.reserves[kUsdc].current_variable_borrow_rate = kRay / U256{10};  // 10% a year
  m.reserves[kUsdc].last_update_timestamp = kNow - 365ULL * 24 * 3600;
  m.reserves[kWeth].current_liquidity_rate = kRay / U256{50};  // 2% a year
  m.reserves[kWeth].last_update_timestamp = kNow - 365ULL * 24 * 3600;
  const auto data = account_data(m, borrower(ether(10), usdc(17'000))).value();
  // Collateral: 10 WETH * 1.02 = 20400e8. Debt: 17000e6 rayMul 1.105162042821782412575504 = 18787754727.97..
  // -> 18787754728 (6 decimals) * 1e8 / 1e6 = 1878775472800.
  CHECK(data.total_collateral_base == U256{2'040'000'000'000ULL});
  CHECK(data.total_debt_base == U256{1'878'775'472'800ULL});
}

TEST_CASE("aave account data: eMode LTV/LT and the category's price source for assets in the category") {
  MarketSnapshot m = market();
  m.emodes.push_back(EModeCategory{1, 9000, 9300, 10100, Address{}, U256{}, "ETH correlated"});
  UserState u = borrower(ether(10), usdc(17'000));
  u.emode_category = 1;
  auto data = account_data(m, u).value();
  CHECK(data.avg_ltv_bps == U256{9000});
  CHECK(data.avg_liquidation_threshold_bps == U256{9300});
  // percentMul(2e12, 9300) = 1.86e12; wadDiv 1.7e12 = 1.094117647058823529.41 -> ...529
  CHECK(data.health_factor == U256{1'094'117'647'058'823'529ULL});

  // A price source: WETH (in the category) takes its price, USDC (not in it) keeps the oracle's.
  m.emodes[0].price_source = address_of(0xee);
  m.emodes[0].price = U256{2100} * kUsd;
  data = account_data(m, u).value();
  CHECK(data.total_collateral_base == U256{2'100'000'000'000ULL});
  CHECK(data.total_debt_base == U256{1'700'000'000'000ULL});
  CHECK(account_price(m, u, kWeth).value() == U256{2100} * kUsd);
  CHECK(account_price(m, u, kUsdc).value() == kUsd);
  // Without eMode the user sees the oracle price.
  u.emode_category = 0;
  CHECK(account_price(m, u, kWeth).value() == U256{2000} * kUsd);

  u.emode_category = 2;
  CHECK(account_data(m, u).error() == AaveError::unknown_emode_category);
}

TEST_CASE("aave account data: failures the contract would revert with") {
  MarketSnapshot m = market();
  m.prices[kUsdc] = U256{};
  CHECK(account_data(m, borrower(ether(1), usdc(1))).error() == AaveError::missing_price);
  // A price so large that balance * price overflows.
  m = market();
  m.prices[kWeth] = U256::max();
  CHECK(account_data(m, borrower(ether(1), usdc(1))).error() == AaveError::overflow);
  CHECK(account_price(market(), UserState{}, 7).error() == AaveError::unknown_reserve);
  // Bits of reserves beyond the list are ignored, as the contract loops to reservesCount only.
  UserState u = borrower(ether(1), U256{});
  u.config.bitmap |= U256{3} << 20;
  CHECK(account_data(market(), u).value().total_collateral_base == U256{200'000'000'000ULL});
}
