#pragma once
/// The oracle price at which a Morpho Blue position becomes liquidatable, exact to the unit of the oracle's
/// 1e36-scaled price, and its conversion to a USD price of the collateral token for reports.

#include "strategy/morpho/math.hpp"

#include <optional>

namespace sluice::morpho {

/// The largest oracle price (1e36 scale, loan units per collateral unit) at which `_isHealthy` is false: the
/// position is liquidatable at this price and every lower one, healthy at every higher one. Unhealthy means
/// borrowed (toAssetsUp) > collateral.mulDivDown(price, 1e36).wMulDown(lltv); the crossing is solved in closed form
/// on integers and then checked (and corrected) against is_healthy on both sides, so it is exact.
/// - std::nullopt: no borrow shares, healthy at every price;
/// - U256::max(): unhealthy at every price at which the contract computes health at all (no collateral, lltv 0,
///   or a crossing beyond the prices where collateral * price overflows and the contract reverts).
/// MorphoError::overflow if the borrowed assets themselves overflow.
Result<std::optional<U256>> liquidation_price(const MarketParams& params, const MarketState& state,
                                              const Position& position) noexcept;

/// The USD price of one whole collateral token implied by an oracle price, given the loan token's USD price and
/// both tokens' decimals: oracle_price / 1e36 * 10^collateral_decimals / 10^loan_decimals * loan_token_usd.
/// In double (about 16 significant digits): for display, sorting and distances in %, never for a decision.
double collateral_usd_price(const U256& oracle_price, double loan_token_usd, unsigned loan_decimals,
                            unsigned collateral_decimals) noexcept;

}  // namespace sluice::morpho
