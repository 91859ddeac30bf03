#pragma once
/// Internal to strategy/morpho (and its tests): liquidate_max_unhealthy in native 128-bit arithmetic.

#include "strategy/morpho/math.hpp"

#include <optional>

namespace sluice::morpho::detail {

/// liquidate_max_unhealthy's outcome, every step in 128-bit halves: for the common market, whose stored amounts,
/// oracle price and incentive factor fit in 128 bits, with no quotient past them. nullopt wherever that does not
/// hold or the contract would revert; liquidate_max_unhealthy's general code then decides (the same outcome, or
/// the contract's error). Never a value where the general code returns an error.
std::optional<LiquidationOutcome> narrow_max_unhealthy(const MarketState& accrued_state, const Position& position,
                                                       const U256& oracle_price, const U256& lif) noexcept;

}  // namespace sluice::morpho::detail
