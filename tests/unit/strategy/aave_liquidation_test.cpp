// LiquidationLogic.executeLiquidationCall's amounts and validation against hand computations of its formulas
// (integer arithmetic, shown in the comments): baseCollateral = debtPrice * debtToCover * collUnit /
// (collPrice * debtUnit), seized = percentMul(base, bonus), fee = percentMul(seized - percentDiv(seized, bonus),
// protocolFee). The devnet comparison is tests/integration/aave_math_diff_test.cpp.

#include "tests/unit/strategy/aave_fixture.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::aave;
using namespace sluice::aave::test;

namespace {
const LiquidationRequest kMaxWethForUsdc{kWeth, kUsdc, U256::max()};
}

TEST_CASE("aave liquidation: the issue's example, 50% close factor, 4.4625 WETH of which 0.02125 protocol fee") {
  const auto out = liquidation(market(), borrower(ether(10), usdc(17'000)), kMaxWethForUsdc).value();
  CHECK(out.health_factor_before == U256{976'470'588'235'294'118ULL});  // HF 0.976471 > 0.95
  CHECK(out.close_factor_bps == 5000);
  CHECK(out.debt_repaid == usdc(8'500));  // percentMul(17000e6, 5000)
  CHECK(out.liquidation_bonus_bps == 10500);
  // base = 1e8 * 8500e6 * 1e18 / (2000e8 * 1e6) = 4.25e18; percentMul(., 10500) = 4.4625e18;
  // bonus part 4.4625e18 - percentDiv(4.4625e18, 10500) = 0.2125e18; 10% of it = 0.02125e18.
  CHECK(out.protocol_fee == U256{21'250'000'000'000'000ULL});
  CHECK(out.collateral_to_liquidator == U256{4'441'250'000'000'000'000ULL});
  CHECK(out.collateral_to_liquidator + out.protocol_fee == U256{4'462'500'000'000'000'000ULL});
  CHECK(out.collateral_price == U256{2000} * kUsd);
  CHECK(out.debt_price == kUsd);

  // A smaller debtToCover is taken as is.
  const auto part = liquidation(market(), borrower(ether(10), usdc(17'000)), {kWeth, kUsdc, usdc(1'000)}).value();
  CHECK(part.debt_repaid == usdc(1'000));
  // base 0.5e18 -> 0.525e18 seized, fee percentMul(0.025e18, 1000) = 0.0025e18
  CHECK(part.protocol_fee == U256{2'500'000'000'000'000ULL});
  CHECK(part.collateral_to_liquidator == U256{522'500'000'000'000'000ULL});
}

TEST_CASE("aave liquidation: HF <= 0.95 opens the whole debt and the insufficient-collateral branch") {
  // 1 WETH at $1,000 against 1,000 USDC: HF = percentMul(1000e8, 8300) wadDiv 1000e8 = 0.83.
  MarketSnapshot m = market();
  m.prices[kWeth] = U256{1000} * kUsd;
  const auto out = liquidation(m, borrower(ether(1), usdc(1'000)), kMaxWethForUsdc).value();
  CHECK(out.health_factor_before == U256{830'000'000'000'000'000ULL});
  CHECK(out.close_factor_bps == 10000);
  // base = 1e18, with bonus 1.05e18 > 1e18 held: all the collateral goes, and the debt it pays for is
  // percentDiv(1000e8 * 1e18 * 1e6 / (1e8 * 1e18), 10500) = (1e13 + 5250) / 10500 = 952380952.88 -> 952380952.
  CHECK(out.debt_repaid == U256{952'380'952ULL});
  // fee = percentMul(1e18 - percentDiv(1e18, 10500), 1000) = percentMul(47619047619047619, 1000)
  //     = 4761904761904761.9 + 0.5 -> 4761904761904762
  CHECK(out.protocol_fee == U256{4'761'904'761'904'762ULL});
  CHECK(out.collateral_to_liquidator == U256{995'238'095'238'095'238ULL});
  CHECK(out.collateral_to_liquidator + out.protocol_fee == ether(1));
}

TEST_CASE("aave liquidation: exactly at HF 0.95 the close factor is 100%") {
  // LT 8300, 1 WETH at $1,000 and debt 873.684210 USDC would not land on 0.95 exactly; use LT 9500 and debt
  // equal to the collateral: percentMul(1000e8, 9500) wadDiv 1000e8 = 0.95e18.
  MarketSnapshot m = market();
  m.prices[kWeth] = U256{1000} * kUsd;
  m.reserves[kWeth].config.liquidation_threshold_bps = 9500;
  auto out = liquidation(m, borrower(ether(1), usdc(1'000)), {kWeth, kUsdc, usdc(600)}).value();
  CHECK(out.health_factor_before == U256{950'000'000'000'000'000ULL});
  CHECK(out.close_factor_bps == 10000);
  CHECK(out.debt_repaid == usdc(600));
  // One wei of debt more and HF drops below 0.95; one USDC less and it is above: 50%.
  out = liquidation(m, borrower(ether(1), usdc(999)), {kWeth, kUsdc, usdc(600)}).value();
  CHECK(out.health_factor_before > U256{950'000'000'000'000'000ULL});
  CHECK(out.close_factor_bps == 5000);
  CHECK(out.debt_repaid == U256{499'500'000ULL});  // percentMul(999e6, 5000)
}

TEST_CASE("aave liquidation: eMode bonus, and v3.0's price sources") {
  MarketSnapshot m = market();
  m.emodes.push_back(EModeCategory{1, 9000, 9300, 10100, Address{}, U256{}, "ETH correlated"});
  UserState u = borrower(ether(10), usdc(19'000));
  u.emode_category = 1;
  // No price source: WETH (in category 1) takes the category's bonus, both prices are the oracle's.
  // HF = percentMul(20000e8, 9300) wadDiv 19000e8 = 0.978947368421052632.
  auto out = liquidation(m, u, kMaxWethForUsdc).value();
  CHECK(out.health_factor_before == U256{978'947'368'421'052'632ULL});
  CHECK(out.liquidation_bonus_bps == 10100);
  CHECK(out.debt_repaid == usdc(9'500));
  // base 4.75e18, seized percentMul(., 10100) = 4.7975e18, fee percentMul(0.0475e18, 1000) = 0.00475e18
  CHECK(out.protocol_fee == U256{4'750'000'000'000'000ULL});
  CHECK(out.collateral_to_liquidator == U256{4'792'750'000'000'000'000ULL});

  // A price source at $2,000 with WETH's oracle at $1,900: the account math prices WETH with the source (USDC
  // keeps its own), and executeLiquidationCall in v3.0 takes the source's price for the debt asset too, as soon
  // as the user's category has a source, although USDC is not in the category. So the debt is valued at $2,000
  // per USDC and the 10 WETH cover far less than 9,500 USDC: the insufficient-collateral branch.
  m.prices[kWeth] = U256{1900} * kUsd;
  m.emodes[0].price_source = address_of(0xee);
  m.emodes[0].price = U256{2000} * kUsd;
  out = liquidation(m, u, kMaxWethForUsdc).value();
  CHECK(out.health_factor_before == U256{978'947'368'421'052'632ULL});
  CHECK(out.collateral_price == U256{2000} * kUsd);
  CHECK(out.debt_price == U256{2000} * kUsd);
  // debt needed = percentDiv(2000e8 * 10e18 * 1e6 / (2000e8 * 1e18), 10100) = percentDiv(10e6, 10100) = 9900990
  CHECK(out.debt_repaid == U256{9'900'990ULL});
  // fee = percentMul(10e18 - percentDiv(10e18, 10100), 1000) = percentMul(99009900990099010, 1000)
  CHECK(out.protocol_fee == U256{9'900'990'099'009'901ULL});
  CHECK(out.collateral_to_liquidator == U256{9'990'099'009'900'990'099ULL});

  // Collateral outside the category keeps the reserve's bonus and the oracle price; the debt still takes the
  // source's price.
  m.reserves[kWeth].config.emode_category = 0;
  u.reserves[0].scaled_a_token = ether(20);  // keep the account liquidatable without eMode's LT (LT 83%)
  u.reserves[1].scaled_variable_debt = usdc(40'000);
  out = liquidation(m, u, {kWeth, kUsdc, U256{1'000'000ULL}}).value();
  CHECK(out.liquidation_bonus_bps == 10500);
  CHECK(out.collateral_price == U256{1900} * kUsd);
  CHECK(out.debt_price == U256{2000} * kUsd);
}

TEST_CASE("aave liquidation: validation errors in the contract's order") {
  const UserState healthy = borrower(ether(10), usdc(10'000));
  CHECK(liquidation(market(), healthy, kMaxWethForUsdc).error() == AaveError::health_factor_not_below_threshold);
  const UserState lender = borrower(ether(10), U256{});
  CHECK(liquidation(market(), lender, kMaxWethForUsdc).error() == AaveError::health_factor_not_below_threshold);

  const UserState sick = borrower(ether(10), usdc(17'000));
  MarketSnapshot m = market();
  m.reserves[kUsdc].config.paused = true;
  CHECK(liquidation(m, sick, kMaxWethForUsdc).error() == AaveError::reserve_paused);
  m.reserves[kWeth].config.active = false;  // inactive is checked before paused
  CHECK(liquidation(m, sick, kMaxWethForUsdc).error() == AaveError::reserve_inactive);
  // Even a healthy account gets the reserve errors first.
  CHECK(liquidation(m, healthy, kMaxWethForUsdc).error() == AaveError::reserve_inactive);

  // USDC is not the user's collateral.
  CHECK(liquidation(market(), sick, {kUsdc, kUsdc, U256::max()}).error() ==
        AaveError::collateral_cannot_be_liquidated);
  // WETH is collateral but owes nothing in WETH.
  CHECK(liquidation(market(), sick, {kWeth, kWeth, U256::max()}).error() ==
        AaveError::specified_currency_not_borrowed);
  // A zero debtToCover burns zero variable debt tokens: INVALID_BURN_AMOUNT.
  CHECK(liquidation(market(), sick, {kWeth, kUsdc, U256{}}).error() == AaveError::invalid_burn_amount);
  CHECK(liquidation(market(), sick, {kWeth, 9, U256::max()}).error() == AaveError::unknown_reserve);
}

TEST_CASE("aave liquidation: stable and variable debt both count, and interest accrues") {
  MarketSnapshot m = market();
  m.reserves[kUsdc].current_variable_borrow_rate = kRay / U256{10};
  m.reserves[kUsdc].last_update_timestamp = kNow - 365ULL * 24 * 3600;
  UserState u = borrower(ether(10), usdc(10'000));
  // 6,000 USDC of stable debt at 10% since a year: rayMul(6000e6, 1.105162042821782412575504) = 6630972257
  u.reserves[1].stable_debt = StableDebt{usdc(6'000), kRay / U256{10}, kNow - 365ULL * 24 * 3600};
  const auto out = liquidation(m, u, kMaxWethForUsdc).value();
  // variable rayMul(10000e6, same factor) = 11051620428; total 17682592685 = 17682.592685e8 of debt against
  // percentMul(20000e8, 8300): HF = 0.938776360215639950 <= 0.95, so the whole debt can go.
  CHECK(out.health_factor_before == U256{938'776'360'215'639'950ULL});
  CHECK(out.close_factor_bps == 10000);
  CHECK(out.debt_repaid == U256{17'682'592'685ULL});
}
