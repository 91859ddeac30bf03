#include "keeper/daemon/strategy_options.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::keeper {

plan::Dispose dispose_of(config::DisposeMode mode) noexcept {
  switch (mode) {
    case config::DisposeMode::throttled: return plan::Dispose::throttled;
    case config::DisposeMode::immediate: return plan::Dispose::immediate;
    case config::DisposeMode::keep: return plan::Dispose::keep;
  }
  return plan::Dispose::throttled;
}

plan::PlannerConfig planner_config(const config::StrategyConfig& s) {
  plan::PlannerConfig out;
  out.min_profit_usd = s.min_profit_usd;
  out.max_collateral_sold_usd_per_block = s.max_collateral_sold_usd_per_block;
  out.max_price_impact_bps = static_cast<double>(s.max_price_impact_bps);
  out.max_in_flight = s.max_in_flight;
  out.dispose = dispose_of(s.dispose);
  out.throttle.max_impact_bps = static_cast<double>(s.max_price_impact_bps);
  return out;
}

plan::FeePolicy fee_policy(const config::StrategyConfig& s) {
  plan::FeePolicy out;
  // priority_fee_gwei is a non-negative number (config checks it); wei are whole, rounded to the nearest, and
  // kept inside uint64 (1.8e10 gwei per gas is far beyond any sane tip).
  const double wei = std::min(std::round(s.priority_fee_gwei * 1e9), 1.8e19);
  out.priority_fee = U256(static_cast<std::uint64_t>(wei));
  out.max_fee_share_of_profit = s.max_fee_share_of_profit;
  return out;
}

ExecutorOptions executor_options(const config::KeeperConfig& config, std::uint64_t chain_id, bool dry_run) {
  ExecutorOptions out;
  out.dry_run = dry_run;
  out.chain_id = chain_id;
  if (config.aave) out.aave_pool = config.aave->pool;
  if (config.morpho) out.morpho = config.morpho->morpho;
  if (config.uniswap_v2) out.router = config.uniswap_v2->router;
  if (const config::TokenConfig* weth = config.token("WETH")) out.wrapped_native = weth->address;
  out.fees = fee_policy(config.strategy);
  return out;
}

}  // namespace sluice::keeper
