#include "strategy/risk/uniswap_v2.hpp"

#include "strategy/risk/numeric.hpp"

#include <cmath>

namespace sluice::risk {

const char* describe(UniswapV2Error e) noexcept {
  switch (e) {
    case UniswapV2Error::insufficient_input_amount: return "insufficient input amount (amount in is zero)";
    case UniswapV2Error::insufficient_output_amount: return "insufficient output amount (amount out is zero)";
    case UniswapV2Error::insufficient_liquidity:
      return "insufficient liquidity (a reserve is zero or the amount out reaches the reserve)";
    case UniswapV2Error::overflow: return "overflow (uint256 arithmetic or a reserve above uint112)";
    case UniswapV2Error::token_not_in_pool: return "token is not one of the pool's two tokens";
  }
  return "unknown uniswap-v2 error";
}

Result<U256> get_amount_out(const U256& amount_in, const U256& reserve_in, const U256& reserve_out) noexcept {
  if (amount_in.is_zero()) return UniswapV2Error::insufficient_input_amount;
  if (reserve_in.is_zero() || reserve_out.is_zero()) return UniswapV2Error::insufficient_liquidity;
  // Same operations in the same order as the library, each with SafeMath's overflow check.
  const auto with_fee = checked_mul(amount_in, kFeeNumerator);
  if (!with_fee) return UniswapV2Error::overflow;
  const auto numerator = checked_mul(*with_fee, reserve_out);
  const auto scaled_reserve = checked_mul(reserve_in, kFeeDenominator);
  if (!numerator || !scaled_reserve) return UniswapV2Error::overflow;
  const auto denominator = checked_add(*scaled_reserve, *with_fee);
  if (!denominator) return UniswapV2Error::overflow;
  return *numerator / *denominator;
}

Result<U256> get_amount_in(const U256& amount_out, const U256& reserve_in, const U256& reserve_out) noexcept {
  if (amount_out.is_zero()) return UniswapV2Error::insufficient_output_amount;
  if (reserve_in.is_zero() || reserve_out.is_zero()) return UniswapV2Error::insufficient_liquidity;
  if (amount_out >= reserve_out) return UniswapV2Error::insufficient_liquidity;
  const auto product = checked_mul(reserve_in, amount_out);
  if (!product) return UniswapV2Error::overflow;
  const auto numerator = checked_mul(*product, kFeeDenominator);
  const auto denominator = checked_mul(reserve_out - amount_out, kFeeNumerator);
  if (!numerator || !denominator) return UniswapV2Error::overflow;
  const auto amount_in = checked_add(*numerator / *denominator, 1);
  if (!amount_in) return UniswapV2Error::overflow;
  return *amount_in;
}

Result<PoolSide> orient(const Pool& pool, const Address& token_in) noexcept {
  if (token_in == pool.token0) return PoolSide{pool.reserve0, pool.reserve1, pool.decimals0, pool.decimals1, true};
  if (token_in == pool.token1) return PoolSide{pool.reserve1, pool.reserve0, pool.decimals1, pool.decimals0, false};
  return UniswapV2Error::token_not_in_pool;
}

double spot_price(const PoolSide& side) noexcept {
  if (side.reserve_in.is_zero() || side.reserve_out.is_zero()) return 0.0;
  return to_units(side.reserve_out, side.decimals_out) / to_units(side.reserve_in, side.decimals_in);
}

double marginal_price(const PoolSide& side) noexcept {
  return spot_price(side) * static_cast<double>(kFeeNumerator) / static_cast<double>(kFeeDenominator);
}

Result<double> spot_price(const Pool& pool, const Address& base) noexcept {
  const auto side = orient(pool, base);
  if (!side) return side.error();
  return spot_price(*side);
}

Result<double> marginal_price(const Pool& pool, const Address& base) noexcept {
  const auto side = orient(pool, base);
  if (!side) return side.error();
  return marginal_price(*side);
}

std::optional<RawPrice> raw_price(double whole_price, std::uint8_t decimals_in, std::uint8_t decimals_out) noexcept {
  if (!(whole_price >= 0.0) || decimals_in > 77 || decimals_out > 77) return std::nullopt;
  constexpr double kScale = 1e18;
  const auto scaled = from_double(std::ceil(whole_price * kScale));
  if (!scaled) return std::nullopt;
  // whole_out / whole_in = (raw_out / 10^dec_out) / (raw_in / 10^dec_in)
  //   => raw_out / raw_in = whole_price * 10^dec_out / 10^dec_in = scaled * 10^dec_out / (1e18 * 10^dec_in).
  const auto num = checked_mul(*scaled, pow10(decimals_out));
  const auto den = checked_mul(pow10(18), pow10(decimals_in));
  if (!num || !den) return std::nullopt;
  return RawPrice{*num, *den};
}

bool mid_at_least(const U256& reserve_in, const U256& reserve_out, const RawPrice& threshold) noexcept {
  return compare_products(reserve_out, threshold.den, threshold.num, reserve_in) >= 0;
}

namespace {
/// UniswapV2Pair.swap's bookkeeping once the amounts are known: the pair sends `out`, receives `in`, and _update
/// stores the new balances as reserves (reverting above uint112).
Result<Swap> settle(const Pool& pool, const PoolSide& side, const U256& in, const U256& out) noexcept {
  if (out.is_zero()) return UniswapV2Error::insufficient_output_amount;
  if (out >= side.reserve_out) return UniswapV2Error::insufficient_liquidity;
  const auto new_in = checked_add(side.reserve_in, in);
  if (!new_in || *new_in > kMaxReserve) return UniswapV2Error::overflow;
  const U256 new_out = side.reserve_out - out;
  Swap s{in, out, pool};
  (side.zero_for_one ? s.after.reserve0 : s.after.reserve1) = *new_in;
  (side.zero_for_one ? s.after.reserve1 : s.after.reserve0) = new_out;
  return s;
}
}  // namespace

Result<Swap> swap_exact_in(const Pool& pool, const Address& token_in, const U256& amount_in) noexcept {
  const auto side = orient(pool, token_in);
  if (!side) return side.error();
  const auto out = get_amount_out(amount_in, side->reserve_in, side->reserve_out);
  if (!out) return out.error();
  return settle(pool, *side, amount_in, *out);
}

Result<Swap> swap_exact_out(const Pool& pool, const Address& token_in, const U256& amount_out) noexcept {
  const auto side = orient(pool, token_in);
  if (!side) return side.error();
  const auto in = get_amount_in(amount_out, side->reserve_in, side->reserve_out);
  if (!in) return in.error();
  return settle(pool, *side, *in, amount_out);
}

}  // namespace sluice::risk
