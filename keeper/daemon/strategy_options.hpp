#pragma once
/// From the config's [strategy] (and [aave], [morpho], [uniswap_v2]) to what the planner and the executor take.

#include "config/keeper_config.hpp"
#include "keeper/exec/executor.hpp"
#include "strategy/plan/fees.hpp"
#include "strategy/plan/planner.hpp"

#include <cstdint>

namespace sluice::keeper {

plan::Dispose dispose_of(config::DisposeMode mode) noexcept;

/// min profit, throttle caps, max in flight, disposal (the throttle plan's own margins keep their defaults).
plan::PlannerConfig planner_config(const config::StrategyConfig& strategy);

/// Tip (priority_fee_gwei in wei) and the gas spend cap (max_fee_share_of_profit).
plan::FeePolicy fee_policy(const config::StrategyConfig& strategy);

/// Contract addresses (zero for what is not configured), fees, dry run, the node's chain id.
ExecutorOptions executor_options(const config::KeeperConfig& config, std::uint64_t chain_id, bool dry_run);

}  // namespace sluice::keeper
