#pragma once
/// Uniswap v2 constant-product math on U256, exact to the wei: UniswapV2Library.getAmountOut/getAmountIn (0.3% fee
/// as 997/1000) and the reserve update UniswapV2Pair.swap performs, plus spot and marginal prices as doubles for
/// reports. Pure; every revert of the contracts is an error value.
/// Reference: v2-periphery/contracts/libraries/UniswapV2Library.sol and v2-core/contracts/UniswapV2Pair.sol.

#include "chain/address.hpp"
#include "chain/error.hpp"
#include "chain/u256.hpp"

#include <cstdint>
#include <optional>

namespace sluice::risk {

enum class UniswapV2Error {
  insufficient_input_amount = 1,  ///< amountIn == 0 (UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT)
  insufficient_output_amount,     ///< amountOut == 0 (INSUFFICIENT_OUTPUT_AMOUNT, library and pair)
  insufficient_liquidity,         ///< a zero reserve, or amountOut >= reserveOut (INSUFFICIENT_LIQUIDITY)
  overflow,                       ///< a SafeMath overflow (ds-math-*-overflow) or a reserve above uint112 (OVERFLOW)
  token_not_in_pool,              ///< the token is neither token0 nor token1 of the pool
};
const char* describe(UniswapV2Error e) noexcept;
SLUICE_ERROR_CATEGORY(UniswapV2Error, "uniswap-v2")

/// Fee factor of every v2 pair: 997/1000 of the input counts toward the invariant.
inline constexpr std::uint64_t kFeeNumerator = 997;
inline constexpr std::uint64_t kFeeDenominator = 1000;
/// Reserves are uint112 in UniswapV2Pair; a swap that would exceed this reverts with "UniswapV2: OVERFLOW".
inline const U256 kMaxReserve = (U256{1} << 112) - 1;

/// UniswapV2Library.getAmountOut: floor(997 in R_out / (1000 R_in + 997 in)), raw token units.
Result<U256> get_amount_out(const U256& amount_in, const U256& reserve_in, const U256& reserve_out) noexcept;
/// UniswapV2Library.getAmountIn: floor(1000 R_in out / (997 (R_out - out))) + 1, raw token units. Fails with
/// insufficient_liquidity when out >= R_out (the library reverts: subtraction underflow or division by zero).
Result<U256> get_amount_in(const U256& amount_out, const U256& reserve_in, const U256& reserve_out) noexcept;

/// A v2 pair as read from chain: getReserves() and the two tokens (token0 < token1 by address in the factory).
struct Pool {
  Address address;              ///< the pair contract
  Address token0, token1;
  U256 reserve0, reserve1;      ///< raw units (uint112 on chain)
  std::uint8_t decimals0 = 18;  ///< ERC-20 decimals of token0, for prices in whole tokens
  std::uint8_t decimals1 = 18;
  friend bool operator==(const Pool&, const Pool&) = default;
};

/// A pool seen from one side of a trade: `in` is the token sold into the pool, `out` the token received.
struct PoolSide {
  U256 reserve_in, reserve_out;
  std::uint8_t decimals_in = 18, decimals_out = 18;
  bool zero_for_one = true;  ///< token_in is token0
};
/// Orients `pool` for selling `token_in`; token_not_in_pool otherwise.
Result<PoolSide> orient(const Pool& pool, const Address& token_in) noexcept;

/// Price of one whole `in` token in whole `out` tokens at the reserves, without fee (the pool's mid price):
/// (R_out / 10^dec_out) / (R_in / 10^dec_in). 0 if a reserve is zero.
double spot_price(const PoolSide& side) noexcept;
/// What an infinitesimal sale of `in` fetches, in whole `out` per whole `in`: spot price times 997/1000
/// (d getAmountOut / d amountIn at 0).
double marginal_price(const PoolSide& side) noexcept;
/// Spot price of `base` in the other token of the pool (whole tokens, no fee).
Result<double> spot_price(const Pool& pool, const Address& base) noexcept;
/// Marginal sale price of `base` in the other token (whole tokens, with the fee).
Result<double> marginal_price(const Pool& pool, const Address& base) noexcept;

/// An exact price threshold in raw units: `num / den` raw units of `out` per raw unit of `in`.
struct RawPrice {
  U256 num, den;
};
/// The raw-unit threshold for a price given in whole `out` per whole `in` (a double, e.g. a liquidation price),
/// rounded up at 18 significant decimals so a check against it never admits a price below `whole_price`.
/// nullopt for a negative, NaN or absurdly large price.
std::optional<RawPrice> raw_price(double whole_price, std::uint8_t decimals_in, std::uint8_t decimals_out) noexcept;
/// Whether the pool's mid price R_out / R_in is at least `threshold`, exactly (no rounding).
bool mid_at_least(const U256& reserve_in, const U256& reserve_out, const RawPrice& threshold) noexcept;

/// A swap and the pool it leaves behind.
struct Swap {
  U256 amount_in;   ///< raw units of the token sold, all of which enters the reserve (the fee stays in the pool)
  U256 amount_out;  ///< raw units received
  Pool after;       ///< reserves after the swap (what getReserves returns next)
};
/// Sells exactly `amount_in` of `token_in` (Router02.swapExactTokensForTokens on one pair).
Result<Swap> swap_exact_in(const Pool& pool, const Address& token_in, const U256& amount_in) noexcept;
/// Buys exactly `amount_out` of the other token, paying get_amount_in (Router02.swapTokensForExactTokens on one pair).
Result<Swap> swap_exact_out(const Pool& pool, const Address& token_in, const U256& amount_out) noexcept;

}  // namespace sluice::risk

SLUICE_ERROR_ENUM(sluice::risk::UniswapV2Error)
