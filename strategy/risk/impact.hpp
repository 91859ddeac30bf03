#pragma once
/// Market impact of selling collateral, split into the part that lasts (and so moves prices an oracle reads) and
/// the part that does not.
///
/// Model.
/// - On chain (Uniswap v2 pools, from a `Route`): a constant-product pool has no resilience: the price a sale
///   leaves stays until someone trades it back. The whole pool move is therefore *permanent* (until an outside
///   arbitrage, which the off-chain venue term stands for) and the on-chain temporary part is zero. The seller's
///   execution cost is measured two ways: slippage against the pre-trade marginal price (best pool's mid times
///   0.997, i.e. excluding the fee) and cost against the pre-trade mid (fee included).
///   The pools' mid price is the one arbitrage between them reaches with no outside flow (fees ignored): moving
///   each pool along its curve to a common price p with no net token_in gives sqrt(p) = sum sqrt(R_in R_out) /
///   sum R_in.
/// - Off chain (optional venue term, square-root law): peak impact I = Y sigma_daily sqrt(Q / V_daily) as a
///   fraction of price (Y ~ 0.5-1, sigma and V daily; Toth et al. 2011, Bouchaud et al. "Trades, Quotes and
///   Prices" ch. 12). The average fill of a metaorder under the square-root law is 2/3 of the peak (the mean of
///   sqrt(q/V) over q in [0, Q]), so the seller's cost is (2/3) I Q P. After the metaorder the impact decays to a
///   permanent fraction phi of the peak (configured; empirical values are near 2/3); temporary = (1 - phi) I.
/// - Combined: the permanent moves compound, 1 - (1 - pool move)(1 - phi I): this is what moves the oracle (see
///   oracle_coupling.hpp for how the oracle follows). Each term is for the quantity sold on its own venue.

#include "chain/error.hpp"
#include "strategy/risk/route.hpp"

#include <optional>

namespace sluice::risk {

enum class ImpactError {
  invalid_parameter = 1,  ///< a negative, NaN or infinite parameter, or a zero daily volume with a sale
  empty_route,            ///< a route that sold nothing
};
const char* describe(ImpactError e) noexcept;
SLUICE_ERROR_CATEGORY(ImpactError, "impact")

/// Whole `out` per whole `in` the pools settle at once arbitrage equalizes them (fees ignored, no outside flow).
/// 0 if no pool has both reserves.
double arbitrage_price(std::span<const PoolSide> sides) noexcept;

/// Impact of an on-chain sale. Prices in whole token_out per whole token_in; bps are 1e-4 of the price before.
struct OnchainImpact {
  double mid_before = 0.0;       ///< arbitrage_price of the pools before
  double mid_after = 0.0;        ///< arbitrage_price of the pools after (what the market is left at)
  double marginal_before = 0.0;  ///< best pool's marginal price before (mid * 0.997): the first unit's price
  double average_price = 0.0;    ///< route.average_price
  double slippage_bps = 0.0;     ///< (marginal_before - average) / marginal_before
  double cost_vs_mid_bps = 0.0;  ///< (mid_before - average) / mid_before: slippage plus the 0.3% fee
  double slippage_usd = 0.0;     ///< (marginal_before Q - out) in USD: the value the price walk cost
  double cost_vs_mid_usd = 0.0;  ///< (mid_before Q - out) in USD
  double permanent_bps = 0.0;    ///< (mid_before - mid_after) / mid_before: the pool move, permanent
};
/// `usd_per_out`: USD price of one whole token_out (1 for USDC).
Result<OnchainImpact> onchain_impact(const Route& route, double usd_per_out) noexcept;

/// Square-root-law parameters of an off-chain venue.
struct SqrtLawParams {
  double y = 1.0;                       ///< Y, the order-one prefactor
  double sigma_daily = 0.0;             ///< daily volatility of returns (0.05 = 5%)
  double volume_daily = 0.0;            ///< daily volume V in whole tokens of the asset sold
  double permanent_fraction = 2.0 / 3;  ///< phi: share of the peak impact that remains after the sale
};

/// Impact of selling on the off-chain venue; fractions of the pre-trade price.
struct VenueImpact {
  double peak = 0.0;          ///< I = Y sigma sqrt(Q / V): price move at the end of the sale
  double permanent = 0.0;     ///< phi I: what remains (moves the oracle)
  double temporary = 0.0;     ///< (1 - phi) I: decays after the sale
  double average_cost = 0.0;  ///< (2/3) I: the seller's average shortfall against the arrival price
  double cost_usd = 0.0;      ///< average_cost * Q * price_usd
};
/// `quantity`: whole tokens sold on the venue; `price_usd`: arrival price of one whole token.
Result<VenueImpact> sqrt_law_impact(const SqrtLawParams& params, double quantity, double price_usd) noexcept;

/// Both venues together.
struct SaleImpact {
  double permanent = 0.0;  ///< fraction the market price falls for good: 1 - (1 - pool move)(1 - phi I)
  double temporary = 0.0;  ///< fraction that decays after the sale (the venue's (1 - phi) I; 0 on chain)
  double cost_usd = 0.0;   ///< cost_vs_mid_usd + the venue's cost_usd
  /// The market price the oracle follows after the sale, from the price before it.
  double permanent_price(double price_before) const noexcept { return price_before * (1.0 - permanent); }
};
SaleImpact combine(const std::optional<OnchainImpact>& onchain, const std::optional<VenueImpact>& venue) noexcept;

}  // namespace sluice::risk

SLUICE_ERROR_ENUM(sluice::risk::ImpactError)
