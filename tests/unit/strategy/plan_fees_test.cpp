// EIP-1559 fee arithmetic: next_base_fee against the spec's formula (vectors worked by hand from
// https://eips.ethereum.org/EIPS/eip-1559 and go-ethereum's consensus/misc/eip1559 TestCalcBaseFee), the bound a
// few blocks ahead, the fee policy, bumps and gas margins.

#include "strategy/plan/fees.hpp"

#include <doctest/doctest.h>

using sluice::U256;
using namespace sluice::plan;

TEST_CASE("fees: next_base_fee matches go-ethereum's TestCalcBaseFee vectors") {
  // go-ethereum consensus/misc/eip1559/eip1559_test.go: InitialBaseFee 1 gwei, gas limit 20M (target 10M).
  CHECK(next_base_fee(U256{1'000'000'000}, 10'000'000, 20'000'000) == U256{1'000'000'000});
  CHECK(next_base_fee(U256{1'000'000'000}, 9'000'000, 20'000'000) == U256{987'500'000});
  CHECK(next_base_fee(U256{1'000'000'000}, 11'000'000, 20'000'000) == U256{1'012'500'000});
}

TEST_CASE("fees: next_base_fee worked from the EIP-1559 formula") {
  // Full block: +1/8. Empty: -1/8.
  CHECK(next_base_fee(U256{1'000'000'000}, 30'000'000, 30'000'000) == U256{1'125'000'000});
  CHECK(next_base_fee(U256{1'000'000'000}, 0, 30'000'000) == U256{875'000'000});
  // 1e9 x 5e6 / 15e6 / 8 = 41,666,666.67, floored.
  CHECK(next_base_fee(U256{1'000'000'000}, 20'000'000, 30'000'000) == U256{1'041'666'666});
  // 1e9 x 5e6 / 15e6 / 8 floored, subtracted.
  CHECK(next_base_fee(U256{1'000'000'000}, 10'000'000, 30'000'000) == U256{958'333'334});
  // Above target the increase is at least 1 wei; below target a rounded-down decrease may be 0.
  CHECK(next_base_fee(U256{7}, 30'000'000, 30'000'000) == U256{8});
  CHECK(next_base_fee(U256{7}, 15'000'001, 30'000'000) == U256{8});
  CHECK(next_base_fee(U256{7}, 0, 30'000'000) == U256{7});
  CHECK(next_base_fee(U256{8}, 0, 30'000'000) == U256{7});
  CHECK(next_base_fee(U256{0}, 30'000'000, 30'000'000) == U256{1});
  // Odd gas limit: target = floor(limit / 2).
  CHECK(next_base_fee(U256{800}, 15, 31) == U256{800});
  // No division by zero on a degenerate limit.
  CHECK(next_base_fee(U256{800}, 0, 1) == U256{800});
}

TEST_CASE("fees: max_base_fee_after bounds every full-block sequence") {
  CHECK(max_base_fee_after(U256{1'000'000'000}, 0) == U256{1'000'000'000});
  CHECK(max_base_fee_after(U256{1'000'000'000}, 1) == U256{1'125'000'000});
  CHECK(max_base_fee_after(U256{1'000'000'000}, 2) == U256{1'265'625'000});
  // ceil(9 / 8) = 2 where the chain adds floor(9/8) = 1: the bound rounds up.
  CHECK(max_base_fee_after(U256{9}, 1) == U256{11});
  U256 exact{123'456'789};
  for (int i = 0; i < 20; ++i) exact = next_base_fee(exact, 30'000'000, 30'000'000);
  CHECK(max_base_fee_after(U256{123'456'789}, 20) >= exact);
  CHECK(max_base_fee_after(U256::max(), 3) == U256::max());
}

TEST_CASE("fees: choose_fees covers the inclusion window and caps by the profit share") {
  FeePolicy policy;
  policy.priority_fee = U256{2'000'000'000};
  policy.inclusion_blocks = 2;
  policy.max_fee_share_of_profit = 0.5;
  // No profit cap: 1.265625 gwei after 2 full blocks + 2 gwei tip.
  auto f = choose_fees(U256{1'000'000'000}, 400'000, U256{}, policy);
  REQUIRE(f.has_value());
  CHECK(f->max_fee_per_gas == U256{3'265'625'000});
  CHECK(f->max_priority_fee_per_gas == U256{2'000'000'000});
  // Profit 0.002 ETH: half is 1e15 wei over 400k gas = 2.5 gwei per gas, below base + tip (3 gwei).
  auto low = choose_fees(U256{1'000'000'000}, 400'000, U256{2'000'000'000'000'000}, policy);
  REQUIRE_FALSE(low.has_value());
  CHECK(low.error() == FeeError::unaffordable);
  // Profit 0.0028 ETH: cap 1.4e15 / 4e5 = 3.5 gwei >= 3.265625: no change; 0.0025 ETH: cap 3.125 gwei binds.
  auto high = choose_fees(U256{1'000'000'000}, 400'000, U256{2'800'000'000'000'000}, policy);
  REQUIRE(high.has_value());
  CHECK(high->max_fee_per_gas == U256{3'265'625'000});
  auto capped = choose_fees(U256{1'000'000'000}, 400'000, U256{2'500'000'000'000'000}, policy);
  REQUIRE(capped.has_value());
  CHECK(capped->max_fee_per_gas == U256{3'125'000'000});
  CHECK(capped->max_priority_fee_per_gas == U256{2'000'000'000});
  // Exactly base + tip is still affordable: 3 gwei x 4e5 = 1.2e15 = half of 2.4e15.
  CHECK(choose_fees(U256{1'000'000'000}, 400'000, U256{2'400'000'000'000'000}, policy)->max_fee_per_gas ==
        U256{3'000'000'000});
}

TEST_CASE("fees: choose_fees rejects invalid policies") {
  FeePolicy p;
  p.max_fee_share_of_profit = 0.0;
  CHECK(choose_fees(U256{1}, 1, U256{}, p).error() == FeeError::invalid_policy);
  p.max_fee_share_of_profit = 1.5;
  CHECK(choose_fees(U256{1}, 1, U256{}, p).error() == FeeError::invalid_policy);
  p.max_fee_share_of_profit = std::numeric_limits<double>::quiet_NaN();
  CHECK(choose_fees(U256{1}, 1, U256{}, p).error() == FeeError::invalid_policy);
  p.max_fee_share_of_profit = 1.0;
  p.inclusion_blocks = 0;
  CHECK(choose_fees(U256{1}, 1, U256{}, p).error() == FeeError::invalid_policy);
}

TEST_CASE("fees: bump raises both fields by at least 12.5%, rounded up, and respects the floor") {
  const Fees old{U256{1'000'000'001}, U256{100'000'001}};
  const Fees b = bump(old, Fees{});
  // ceil(1,000,000,001 x 1.125) = 1,125,000,001.125 -> 1,125,000,002.
  CHECK(b.max_fee_per_gas == U256{1'125'000'002});
  CHECK(b.max_priority_fee_per_gas == U256{112'500'002});
  CHECK(b.max_fee_per_gas * U256{8} >= old.max_fee_per_gas * U256{9});
  CHECK(b.max_priority_fee_per_gas * U256{8} >= old.max_priority_fee_per_gas * U256{9});
  // A higher floor (the policy's fees now) wins.
  const Fees floor{U256{5'000'000'000}, U256{200'000'000}};
  CHECK(bump(old, floor) == floor);
  // The tip never exceeds the max fee.
  const Fees odd = bump(Fees{U256{10}, U256{10}}, Fees{U256{0}, U256{50}});
  CHECK(odd.max_priority_fee_per_gas == U256{50});
  CHECK(odd.max_fee_per_gas == U256{50});
  // Other bump sizes: +10% of 7 = 7.7 -> 8.
  CHECK(bump(Fees{U256{7}, U256{7}}, Fees{}, 1000).max_fee_per_gas == U256{8});
  CHECK(bump(Fees{U256::max(), U256{1}}, Fees{}).max_fee_per_gas == U256::max());
}

TEST_CASE("fees: max_cost and gas_limit_with_margin") {
  CHECK(max_cost(Fees{U256{3'000'000'000}, U256{1}}, 400'000) == U256{1'200'000'000'000'000});
  CHECK(max_cost(Fees{U256::max(), U256{1}}, 2) == U256::max());
  CHECK(gas_limit_with_margin(400'000) == 500'000);
  CHECK(gas_limit_with_margin(400'001) == 500'002);  // 500,001.25 rounded up
  CHECK(gas_limit_with_margin(100, 0) == 100);
  CHECK(gas_limit_with_margin(std::numeric_limits<std::uint64_t>::max()) == std::numeric_limits<std::uint64_t>::max());
}

TEST_CASE("fees: policy_tip outbids the recent blocks' highest reward, never below the configured tip") {
  const U256 gwei{1'000'000'000};
  // No history, or empty rewards (idle blocks): the configured tip.
  CHECK(policy_tip(gwei, {}) == gwei);
  CHECK(policy_tip(gwei, {{U256{}, U256{}}}) == gwei);
  // Rewards of 2 and 3 gwei in the last blocks: 3 gwei + 10% = 3.3 gwei.
  CHECK(policy_tip(gwei, {{U256{2} * gwei, U256{2} * gwei}, {U256{2} * gwei, U256{3} * gwei}}) ==
        U256{3'300'000'000ULL});
  // A configured tip above the market's stays.
  CHECK(policy_tip(U256{5} * gwei, {{U256{3} * gwei}}) == U256{5} * gwei);
  // Rounded up: 7 wei + 10% = 7.7 -> 8.
  CHECK(policy_tip(U256{1}, {{U256{7}}}) == U256{8});
  CHECK(policy_tip(U256{1}, {{U256{7}}}, {}, 0) == U256{7});
  // Our own tips (3.3 gwei in the last blocks) are not outbid again: the rival's 3 gwei sets the bid.
  const U256 own{3'300'000'000ULL};
  CHECK(policy_tip(gwei, {{own, own}, {U256{3} * gwei, own}}, {own}) == own);
  CHECK(policy_tip(gwei, {{own, own}}, {own}) == gwei);
}
