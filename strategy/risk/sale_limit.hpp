#pragma once
/// The largest sale routed across several pools (route.hpp) that leaves every pool receiving a share at or above
/// its own price threshold: what the throttle allows per block, against the next cluster's liquidation price or
/// against a cap on its own impact. Exact on U256: the answer holds, and the route of one unit more leaves some
/// leg below its threshold (the route's allocations grow with the total, so the check is monotone).

#include "chain/address.hpp"
#include "chain/error.hpp"
#include "chain/u256.hpp"
#include "strategy/risk/route.hpp"
#include "strategy/risk/uniswap_v2.hpp"

#include <span>

namespace sluice::risk {

/// Whether every leg of `route` that sold something left its pool's mid price R_out / R_in at or above
/// `thresholds[leg.pool_index]` (raw units; one threshold per pool of the route's input).
bool route_stays_above(const Route& route, std::span<const RawPrice> thresholds) noexcept;

/// The largest total in [0, upper_bound] whose route across `pools` stays above the thresholds (bisection on the
/// total; `upper_bound` should be a sound bound, e.g. the sum of each pool's max_sale_above_price). Errors are the
/// route's for a malformed pool list; a total the pools cannot take (overflow, no output) counts as not holding.
Result<U256> max_routed_sale(std::span<const Pool> pools, const Address& token_in, const Address& token_out,
                             std::span<const RawPrice> thresholds, const U256& upper_bound) noexcept;

}  // namespace sluice::risk
