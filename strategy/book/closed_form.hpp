#pragma once
/// Closed-form liquidation prices the book reports (floating point: these are forecasts for reports and
/// planning, never the decision; the exact protocol math decides liquidatability).

#include "chain/u256.hpp"

#include <optional>

namespace sluice::book {

/// A U256 as the nearest-below double (exact up to 2^53, then relative error < 2^-52).
double to_double(const U256& v) noexcept;

/// Aave: with every other price fixed, the health factor as a function of one asset's price p is
/// HF(p) = (A + a p) / (B + b p), where A = sum over the other collateral of value x LT, a = collateral amount of
/// the asset x its LT (both in whole tokens, LT as a fraction), B = the other debt's value, b = debt amount of the
/// asset. Returns the p > 0 with HF(p) = 1, or nullopt when no positive price crosses (a == b, or the root is not
/// positive).
std::optional<double> aave_liquidation_price(double A, double a, double B, double b) noexcept;

/// Morpho Blue: the oracle price (1e36 scale, loan units per collateral unit) at which max borrow equals the
/// borrowed assets: borrowed * 1e36 / (collateral * lltv / 1e18). nullopt without collateral, debt or lltv.
std::optional<double> morpho_liquidation_oracle_price(const U256& borrowed, const U256& collateral,
                                                      const U256& lltv) noexcept;

/// Converts a Morpho oracle price to the collateral token's USD price: price / 1e36 x 10^collateral_decimals /
/// 10^loan_decimals x loan_usd.
double morpho_oracle_to_usd(double oracle_price, unsigned collateral_decimals, unsigned loan_decimals,
                            double loan_usd) noexcept;

}  // namespace sluice::book
