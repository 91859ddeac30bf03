#pragma once
/// EIP-1559 fee arithmetic for the executor, pure: the next block's base fee (exact, EIP-1559's integer formula),
/// a bound on the base fee a few blocks ahead, the fee policy (tip, max fee, cap by a share of the expected
/// profit), replacement bumps and gas-limit margins. https://eips.ethereum.org/EIPS/eip-1559
#include "chain/error.hpp"
#include "chain/u256.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace sluice::plan {

enum class FeeError {
  unaffordable = 1,  ///< the profit cap leaves less than the projected base fee plus the tip
  invalid_policy,    ///< share outside (0, 1], zero inclusion blocks
};
const char* describe(FeeError e) noexcept;
SLUICE_ERROR_CATEGORY(FeeError, "fees")

/// Base fee (wei per gas) of the block after a parent with this base fee, gas used and gas limit: EIP-1559's
/// integer formula with elasticity multiplier 2 and BASE_FEE_MAX_CHANGE_DENOMINATOR 8, bit-exact with the node.
U256 next_base_fee(const U256& parent_base_fee, std::uint64_t parent_gas_used, std::uint64_t parent_gas_limit);

/// The highest base fee `blocks` blocks after one at `base_fee` (every block full: +12.5% each, rounded up).
U256 max_base_fee_after(const U256& base_fee, std::uint32_t blocks);

/// The executor's fee policy ([strategy] priority_fee_gwei, max_fee_share_of_profit).
struct FeePolicy {
  U256 priority_fee;                     ///< wei per gas (tip)
  std::uint32_t inclusion_blocks = 3;    ///< max fee covers the base fee rising for this many full blocks
  double max_fee_share_of_profit = 0.5;  ///< gas_limit x max fee <= this share of the expected profit
};

/// EIP-1559 fee fields of one transaction, wei per gas.
struct Fees {
  U256 max_fee_per_gas;
  U256 max_priority_fee_per_gas;
  friend bool operator==(const Fees&, const Fees&) = default;
};

/// Fees for a transaction with `gas_limit`, expected to earn `profit_wei` (native units; zero: no cap, for
/// approvals, disposals and cancels). max fee = max_base_fee_after(next_base, inclusion_blocks) + tip, lowered to
/// the profit cap when that binds; `unaffordable` when the cap is below next_base + tip.
Result<Fees> choose_fees(const U256& next_base_fee, std::uint64_t gas_limit, const U256& profit_wei,
                         const FeePolicy& policy);

/// The tip the policy bids: the configured tip, or more when recent blocks were won with more: `outbid_bps` above
/// the highest reward (any percentile) in `recent_rewards` (eth_feeHistory's `reward`, one row per block), rounded
/// up. Liquidations are races: a tip below what the last blocks' competitive transactions paid lands after them.
/// Rewards equal to one of `own_tips` (the tips the keeper itself paid lately) are ignored, so that the keeper
/// never outbids itself block after block (a 10% ratchet per block).
U256 policy_tip(const U256& configured, const std::vector<std::vector<U256>>& recent_rewards,
                const std::vector<U256>& own_tips = {}, std::uint32_t outbid_bps = 1000);

/// A replacement's fees: both fields at least `bump_bps` (default 12.5%) above the old ones, rounded up, and at
/// least `floor` (the fees the policy would choose now). Nodes refuse a replacement below +10% (geth) / +12.5%.
Fees bump(const Fees& old, const Fees& floor, std::uint32_t bump_bps = 1250);

/// Worst-case cost of a transaction: gas_limit x max_fee_per_gas (wei).
U256 max_cost(const Fees& fees, std::uint64_t gas_limit);

/// The gas limit sent: the node's estimate plus `margin_bps` (default 25%), rounded up; estimates of Aave and
/// Morpho liquidations can come short (the state moves between estimate and inclusion; 63/64 rule).
std::uint64_t gas_limit_with_margin(std::uint64_t estimate, std::uint32_t margin_bps = 2500);

}  // namespace sluice::plan

SLUICE_ERROR_ENUM(sluice::plan::FeeError)
