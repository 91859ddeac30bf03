#include "strategy/plan/fees.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sluice::plan {

namespace {

constexpr std::uint64_t kElasticityMultiplier = 2;
constexpr std::uint64_t kBaseFeeMaxChangeDenominator = 8;
constexpr std::uint64_t kBps = 10'000;

/// ceil(value x (10000 + bps) / 10000), saturating at U256 max.
U256 scale_up_bps(const U256& value, std::uint32_t bps) {
  return mul_div_up(value, U256{kBps + bps}, U256{kBps}).value_or(U256::max());
}

U256 saturating_add(const U256& a, const U256& b) { return checked_add(a, b).value_or(U256::max()); }

}  // namespace

const char* describe(FeeError e) noexcept {
  switch (e) {
    case FeeError::unaffordable: return "the profit cap is below the projected base fee plus the tip";
    case FeeError::invalid_policy: return "invalid fee policy (share outside (0, 1] or zero inclusion blocks)";
  }
  return "unknown fee error";
}

U256 next_base_fee(const U256& parent_base_fee, std::uint64_t parent_gas_used, std::uint64_t parent_gas_limit) {
  const std::uint64_t target = parent_gas_limit / kElasticityMultiplier;
  // A zero target cannot occur on a valid chain (gas limit >= 5000); keep the fee rather than divide by zero.
  if (target == 0 || parent_gas_used == target) return parent_base_fee;
  const U256 denominator = U256{target} * U256{kBaseFeeMaxChangeDenominator};
  if (parent_gas_used > target) {
    const U256 delta = mul_div_down(parent_base_fee, U256{parent_gas_used - target}, denominator).value_or(U256::max());
    return saturating_add(parent_base_fee, std::max(delta, U256{1}));
  }
  // delta <= parent_base_fee / 8, so the subtraction cannot underflow.
  const U256 delta = *mul_div_down(parent_base_fee, U256{target - parent_gas_used}, denominator);
  return parent_base_fee - delta;
}

U256 max_base_fee_after(const U256& base_fee, std::uint32_t blocks) {
  // A full block raises the fee by max(floor(b / 8), 1); ceil(b / 8) (at least 1) bounds it from above.
  U256 fee = base_fee;
  for (std::uint32_t i = 0; i < blocks && fee != U256::max(); ++i) {
    const U256 eighth = mul_div_up(fee, U256{1}, U256{kBaseFeeMaxChangeDenominator}).value_or(U256::max());
    fee = saturating_add(fee, std::max(eighth, U256{1}));
  }
  return fee;
}

Result<Fees> choose_fees(const U256& next_base, std::uint64_t gas_limit, const U256& profit_wei,
                         const FeePolicy& policy) {
  const double share = policy.max_fee_share_of_profit;
  if (!(share > 0.0 && share <= 1.0) || policy.inclusion_blocks == 0) return FeeError::invalid_policy;
  Fees fees;
  fees.max_priority_fee_per_gas = policy.priority_fee;
  fees.max_fee_per_gas = saturating_add(max_base_fee_after(next_base, policy.inclusion_blocks), policy.priority_fee);
  if (profit_wei.is_zero() || gas_limit == 0) return fees;
  // The share as parts per million (exact for the shares one writes in a config: 0.5, 0.25, 0.1).
  const auto share_ppm = static_cast<std::uint64_t>(std::llround(share * 1e6));
  const U256 budget = *mul_div_down(profit_wei, U256{share_ppm}, U256{1'000'000});
  const U256 cap = budget / U256{gas_limit};
  if (fees.max_fee_per_gas <= cap) return fees;
  if (cap < saturating_add(next_base, policy.priority_fee)) return FeeError::unaffordable;
  fees.max_fee_per_gas = cap;
  return fees;
}

Fees bump(const Fees& old, const Fees& floor, std::uint32_t bump_bps) {
  Fees out;
  out.max_fee_per_gas = std::max(scale_up_bps(old.max_fee_per_gas, bump_bps), floor.max_fee_per_gas);
  out.max_priority_fee_per_gas =
      std::max(scale_up_bps(old.max_priority_fee_per_gas, bump_bps), floor.max_priority_fee_per_gas);
  // A node refuses a tip above the max fee.
  out.max_fee_per_gas = std::max(out.max_fee_per_gas, out.max_priority_fee_per_gas);
  return out;
}

U256 max_cost(const Fees& fees, std::uint64_t gas_limit) {
  return checked_mul(fees.max_fee_per_gas, U256{gas_limit}).value_or(U256::max());
}

std::uint64_t gas_limit_with_margin(std::uint64_t estimate, std::uint32_t margin_bps) {
  const U256 with_margin = scale_up_bps(U256{estimate}, margin_bps);
  return with_margin.to_uint64().value_or(std::numeric_limits<std::uint64_t>::max());
}

U256 policy_tip(const U256& configured, const std::vector<std::vector<U256>>& recent_rewards,
                const std::vector<U256>& own_tips, std::uint32_t outbid_bps) {
  U256 highest;
  for (const auto& block : recent_rewards)
    for (const U256& reward : block)
      if (std::find(own_tips.begin(), own_tips.end(), reward) == own_tips.end()) highest = std::max(highest, reward);
  if (highest.is_zero()) return configured;
  const auto outbid = mul_div_up(highest, U256{10'000ULL + outbid_bps}, U256{10'000});
  return std::max(configured, outbid.value_or(highest));
}

}  // namespace sluice::plan
