#pragma once
/// Internal to strategy/morpho: the four-argument Morpho._isHealthy, shared by is_healthy and liquidate.

#include "strategy/morpho/math.hpp"

namespace sluice::morpho::detail {

/// maxBorrow >= borrowed at `oracle_price`, computed even without debt (as liquidate does, so it may revert).
Result<bool> healthy_at_price(const MarketParams& params, const MarketState& state, const Position& position,
                              const U256& oracle_price) noexcept;

}  // namespace sluice::morpho::detail
