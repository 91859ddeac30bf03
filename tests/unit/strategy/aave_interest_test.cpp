// MathUtils interest and ReserveLogic normalized income/debt. Devnet values: `scripts/devnet up --borrowers 40
// --seed 7`, then `cast rpc evm_increaseTime 2592000` and `cast rpc evm_mine` (block 102, timestamp 1798202621);
// at that block `cast call <pool> getReserveData(USDC)` gave the rates and timestamp below, and
// getReserveNormalizedVariableDebt / getReserveNormalizedIncome the expected indexes. Other expected values are
// hand computations of the MathUtils formulas (integer arithmetic, shown in the comments).

#include "chain/fixed_point.hpp"
#include "strategy/aave/math.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::aave;

namespace {
constexpr std::uint64_t kYear = 365ULL * 24 * 3600;
U256 dec(const char* s) { return U256::from_dec(s).value(); }

Reserve devnet_usdc() {
  Reserve r;
  r.liquidity_index = kRay;
  r.variable_borrow_index = kRay;
  r.current_liquidity_rate = dec("5499630820291318367562081");
  r.current_variable_borrow_rate = dec("16479887960022055907954492");
  r.last_update_timestamp = 1795610081;
  return r;
}
}  // namespace

TEST_CASE("aave interest: linear interest is RAY + rate * dt / 365 days") {
  const U256 five_percent = kRay / U256{20};
  CHECK(linear_interest(five_percent, 0, kYear).value() == kRay + five_percent);
  CHECK(linear_interest(five_percent, 100, 100 + kYear / 2).value() == kRay + five_percent / U256{2});
  CHECK(linear_interest(five_percent, 7, 7).value() == kRay);
  // 1 second at 5%: 5e25 / 31536000 = 1585489599188229325.2... truncated.
  CHECK(linear_interest(five_percent, 0, 1).value() == kRay + U256{1585489599188229325ULL});
  // A timestamp before the last update underflows on chain.
  CHECK(linear_interest(five_percent, 10, 9).error() == AaveError::overflow);
}

TEST_CASE("aave interest: compounded interest, 3-term binomial with the exp < 3 cases") {
  const U256 ten_percent = kRay / U256{10};
  CHECK(compounded_interest(ten_percent, 5, 5).value() == kRay);  // exp == 0
  // exp == 1: only the linear term, 1e26 / 31536000 = 3170979198376458.65 -> ...458.
  CHECK(compounded_interest(ten_percent, 0, 1).value() == dec("1000000003170979198376458650"));
  // exp == 2 (expMinusTwo = 0, no third term): RAY + floor(2e26 / SPY) + 2 * 1 * floor(1e25 / SPY^2) / 2
  // = 1e27 + 6341958396752917300 + 10055109076 (SPY = 31536000).
  CHECK(compounded_interest(ten_percent, 0, 2).value() == dec("1000000006341958406808026376"));
  // One year at 10%: 1 + 0.1 + 0.005 + 0.000166.. = 1.105162042821782412575504000 (e^0.1 = 1.10517...).
  CHECK(compounded_interest(ten_percent, 0, kYear).value() == dec("1105162042821782412575504000"));
  CHECK(compounded_interest(ten_percent, 2, 1).error() == AaveError::overflow);
  // rate * rate overflows rayMul's guard.
  CHECK(compounded_interest(U256::max(), 0, 10).error() == AaveError::overflow);
}

TEST_CASE("aave interest: normalized income and debt equal the devnet pool's at a block") {
  const Reserve usdc = devnet_usdc();
  const std::uint64_t block_102 = 1798202621;
  CHECK(normalized_debt(usdc, block_102).value() == dec("1001355711261439929481610070"));
  CHECK(normalized_income(usdc, block_102).value() == dec("1000452118622743469511689478"));
  // At the update's own timestamp the stored indexes come back untouched, whatever the rates.
  Reserve updated = usdc;
  updated.liquidity_index = dec("1000000000000000000000000123");
  updated.variable_borrow_index = dec("1000000000000000000000000456");
  CHECK(normalized_income(updated, usdc.last_update_timestamp).value() == updated.liquidity_index);
  CHECK(normalized_debt(updated, usdc.last_update_timestamp).value() == updated.variable_borrow_index);
  // Otherwise the accrued factor rayMul the stored index: 1.001355711... * (1 + 456e-27).
  CHECK(normalized_debt(updated, block_102).value() ==
        ray_mul_half_up(dec("1001355711261439929481610070"), updated.variable_borrow_index).value());
}

TEST_CASE("aave interest: stable debt balance compounds the user's rate since their last update") {
  // Same rate and elapsed time as the devnet USDC reserve: rayMul(1000e6, 1.001355711261439929481610070e27)
  // = 1001355711.26 -> 1001355711.
  const StableDebt debt{U256{1'000'000'000ULL}, dec("16479887960022055907954492"), 1795610081};
  CHECK(stable_debt_balance(debt, 1798202621).value() == U256{1'001'355'711ULL});
  CHECK(stable_debt_balance(debt, 1795610081).value() == U256{1'000'000'000ULL});
  CHECK(stable_debt_balance(StableDebt{U256{}, kRay, 0}, 1798202621).value() == U256{});
}
