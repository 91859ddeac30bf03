#pragma once
/// Sale schedules for the executor's throttle: the Almgren-Chriss optimal liquidation trajectory over blocks, and
/// the largest sale a pool can absorb in one block without its price falling below a threshold (the next
/// cluster's liquidation price).
///
/// Almgren & Chriss, "Optimal execution of portfolio transactions", J. Risk 3 (2000), section 3 (discrete time,
/// tau = 1 block): selling X over N blocks with linear permanent impact gamma and temporary impact eta (price
/// per unit of sale rate), volatility sigma per block (price units) and risk aversion lambda, the optimal holdings
/// are x_k = X sinh(kappa (N - k)) / sinh(kappa N), k = 0..N, where
///   cosh(kappa) = 1 + lambda sigma^2 / (2 eta~),   eta~ = eta - gamma / 2  (must be > 0).
/// lambda = 0 gives kappa = 0 and the straight line x_k = X (N - k) / N (the even split); larger lambda
/// front-loads. Units only need to be consistent (e.g. amounts in whole tokens, prices in USD).

#include "chain/error.hpp"
#include "chain/u256.hpp"
#include "strategy/risk/uniswap_v2.hpp"

#include <cstdint>
#include <vector>

namespace sluice::risk {

enum class ScheduleError {
  zero_blocks = 1,    ///< N = 0
  invalid_parameter,  ///< a negative, NaN or infinite parameter
  non_positive_eta,   ///< eta - gamma/2 <= 0: the discrete model has no solution (AC 2000, eq. for eta~)
  invalid_threshold,  ///< a negative, NaN or unrepresentable threshold price or margin
  no_liquidity,       ///< a pool reserve is zero
};
const char* describe(ScheduleError e) noexcept;
SLUICE_ERROR_CATEGORY(ScheduleError, "schedule")

struct AlmgrenChrissParams {
  double eta = 0.0;     ///< temporary impact: price change per unit of sale per block
  double gamma = 0.0;   ///< permanent impact: price change per unit sold
  double sigma = 0.0;   ///< price volatility per block (price units per sqrt(block))
  double lambda = 0.0;  ///< risk aversion (0: risk-neutral)
};

/// kappa of the discrete-time solution: acosh(1 + lambda sigma^2 / (2 (eta - gamma/2))).
Result<double> ac_kappa(const AlmgrenChrissParams& params) noexcept;

/// Fraction of the position still held after block k, x_k / X, for k = 0..N (N + 1 values, 1 down to 0);
/// computed as e^{-kappa k} (1 - e^{-2 kappa (N - k)}) / (1 - e^{-2 kappa N}) so large kappa N cannot overflow.
Result<std::vector<double>> ac_holdings(std::uint32_t blocks, const AlmgrenChrissParams& params) noexcept;

/// The amount to sell in each of `blocks` blocks (N values), integers summing exactly to `total`: the holdings
/// floor(total * x_k / X) are made non-increasing and the sales are their differences. lambda = 0 (or kappa = 0)
/// uses exact integer division, so the even split differs by at most one unit between blocks.
Result<std::vector<U256>> ac_schedule(const U256& total, std::uint32_t blocks,
                                      const AlmgrenChrissParams& params) noexcept;

/// The largest amount of `in` that can be sold into the pool in one swap (raw units) such that the pool's mid
/// price afterwards, R_out' / R_in' in whole tokens, is still >= threshold * (1 + margin_bps / 10^4).
/// Closed form from the constant-product curve with fee (a quadratic in the amount), then an exact search with
/// get_amount_out so that the answer holds and one unit more would cross. 0 when the price is already below;
/// at most the amount that keeps R_in' within uint112.
Result<U256> max_sale_above_price(const PoolSide& side, double threshold_price, double margin_bps) noexcept;

}  // namespace sluice::risk

SLUICE_ERROR_ENUM(sluice::risk::ScheduleError)
