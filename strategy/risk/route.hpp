#pragma once
/// Routing a sale of `amount_in` of one token for another across several Uniswap v2 pools of the same pair, the way
/// an aggregator splits it: every increment of the sale goes to the pool whose marginal price is best, so at the
/// optimum the marginal prices of all pools that receive a share are equal (and no idle pool offers more).
///
/// Method. For a constant-product pool with fee g = 997/1000, out(x) = g x R_out / (R_in + g x) and
/// out'(x) = g R_in R_out / (R_in + g x)^2. Equal marginals lambda on the active set A give the closed form
///   R_in,i + g x_i = s sqrt(g R_in,i R_out,i),   s = (g Q + sum_A R_in,i) / sum_A sqrt(g R_in,i R_out,i),
/// with A grown in decreasing order of initial marginal price while the next pool's out'(0) exceeds 1/s^2.
/// The closed form (in long double) is floored to integers, then repaired exactly: while the pool with the best
/// marginal at its next unit beats the pool with the worst marginal at its last unit (compared exactly on U256
/// with 1024-bit products), units move from the latter to the former, the amount found by bisection. The result is
/// the unit-by-unit greedy allocation (each raw unit to the best marginal), i.e. within one raw unit of the
/// continuous optimum per pool. Legs whose share would receive 0 out (the pair reverts) give their units to the
/// best pool, and if the best single pool alone returns more (possible by flooring, by at most one raw unit per
/// pool) the sale goes there whole. Outputs are get_amount_out of each leg, exactly what the pairs pay.
///
/// Scope: direct pools only (every pool must hold both tokens). Two-hop routes through a common quote token
/// (WETH -> USDT -> USDC) are not modelled; a caller can route A -> C and evaluate C -> B separately.

#include "chain/address.hpp"
#include "chain/error.hpp"
#include "chain/u256.hpp"
#include "strategy/risk/uniswap_v2.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace sluice::risk {

enum class RouteError {
  zero_amount = 1,   ///< nothing to sell
  no_pools,          ///< the pool list is empty
  pool_mismatch,     ///< a pool does not hold both token_in and token_out
  no_liquidity,      ///< no pool has both reserves non-zero, or none can pay a non-zero output
  overflow,          ///< amounts too large for the pools (uint112 reserves) or for U256 arithmetic
};
const char* describe(RouteError e) noexcept;
SLUICE_ERROR_CATEGORY(RouteError, "route")

/// One pool's share of a routed sale. Prices are whole `token_out` per whole `token_in`.
struct RouteLeg {
  std::size_t pool_index = 0;  ///< index in the input span
  Address pool;
  U256 amount_in;              ///< raw units sold into this pool (0 if the pool gets nothing)
  U256 amount_out;             ///< get_amount_out(amount_in) (0 if amount_in is 0)
  double spot_before = 0.0;    ///< mid price before the sale (no fee)
  double spot_after = 0.0;     ///< mid price after this leg's swap
  double marginal_before = 0.0;  ///< spot_before * 0.997: what the first unit sold fetches
  /// spot_after * 0.997: what a new sale's first unit would fetch. Not the quantity the split equalizes: that is
  /// d out / d x of this sale's own swap, g R_in R_out / (R_in + g x)^2, which differs from it by the factor
  /// (R_in + g x) / (R_in + x) because the fee paid by this sale stays in the pool.
  double marginal_after = 0.0;
  Pool before;                 ///< the pool as given
  Pool after;                  ///< the pool after the swap (= before if amount_in is 0)
};

struct Route {
  Address token_in, token_out;
  U256 amount_in;          ///< = sum of legs' amount_in
  U256 amount_out;         ///< = sum of legs' amount_out
  double average_price = 0.0;  ///< amount_out / amount_in in whole tokens
  std::vector<RouteLeg> legs;  ///< one per input pool, in input order
};

/// Splits the sale of `amount_in` of `token_in` across `pools` (see the file comment). Pools with a zero reserve
/// get nothing.
Result<Route> route_sale(std::span<const Pool> pools, const Address& token_in, const Address& token_out,
                         const U256& amount_in) noexcept;

/// Exact sign of out'_a(x_a) - out'_b(x_b), the continuous marginal outputs of two pools (raw units) at the given
/// amounts already sold into each: out'(x) = 997000 R_in R_out / (1000 R_in + 997 x)^2.
int compare_marginal(const PoolSide& a, const U256& x_a, const PoolSide& b, const U256& x_b) noexcept;

/// The continuous optimum (real-valued amounts per pool, raw units, same order as `sides`) that equalizes marginal
/// prices on the active pools; the closed form above, in long double. For tests and reports.
std::vector<long double> continuous_split(std::span<const PoolSide> sides, long double amount_in);

}  // namespace sluice::risk

SLUICE_ERROR_ENUM(sluice::risk::RouteError)
