// strategy/risk/uniswap_v2: UniswapV2Library.getAmountOut/getAmountIn and the pair's reserve update. Expected values
// are worked by hand in the comments from the library's formulas (v2-periphery UniswapV2Library.sol):
//   getAmountOut(in, R_in, R_out) = floor(997 in R_out / (1000 R_in + 997 in))
//   getAmountIn(out, R_in, R_out) = floor(1000 R_in out / (997 (R_out - out))) + 1
// and the invariant UniswapV2Pair.swap enforces: (1000 b_in - 3 in) * 1000 b_out >= R_in R_out 1000^2.

#include "strategy/risk/uniswap_v2.hpp"

#include "strategy/risk/numeric.hpp"
#include "tests/support/xorshift.hpp"
#include "tests/unit/strategy/risk_test_support.hpp"

#include <doctest/doctest.h>

#include <cstdint>

using namespace sluice;
using namespace sluice::risk;
using namespace sluice::literals;

namespace {
using namespace sluice::risk::test;
const Address kPair = addr(0xaa);

/// 1,000 WETH / 3,000,000 USDC.
Pool eth_usdc() { return risk::test::eth_usdc(1000, 3'000'000); }

/// The pair's K check for a swap of `in` (raw, fee-bearing side) that pays `out`.
bool k_holds(const U256& r_in, const U256& r_out, const U256& in, const U256& out) {
  const U256 in_adjusted = (r_in + in) * 1000 - in * 3;
  const U256 out_adjusted = (r_out - out) * 1000;
  return compare_products({in_adjusted, out_adjusted}, {r_in, r_out, 1000 * 1000}) >= 0;
}
}  // namespace

TEST_CASE("uniswap_v2: selling 10 ETH into 1,000 ETH / 3,000,000 USDC") {
  // out = floor(997 * 10e18 * 3e12 / (1000 * 1000e18 + 997 * 10e18))
  //     = floor(2.991e34 / 1.00997e24) = floor(29,910,000,000,000 * 1000 / 1,009,970)
  //     = 29,614,741,031 raw = 29,614.741031 USDC (remainder 9.2093e23 of the 1.00997e24 divisor).
  const auto out = get_amount_out(10 * kEth, 1000 * kEth, 3'000'000 * kUsdc);
  REQUIRE(out.has_value());
  CHECK(*out == U256{29'614'741'031ULL});
  // Average price 2,961.4741031 USDC/ETH against a 3,000 mid: 1.28% lost (0.3% fee, 0.99% along the curve).

  const auto swap = swap_exact_in(eth_usdc(), kWeth, 10 * kEth);
  REQUIRE(swap.has_value());
  CHECK(swap->amount_out == *out);
  CHECK(swap->after.reserve1 == 1010 * kEth);                                // token1 = WETH: all of `in` enters
  CHECK(swap->after.reserve0 == 3'000'000 * kUsdc - U256{29'614'741'031ULL});  // token0 = USDC pays out
  CHECK(k_holds(1000 * kEth, 3'000'000 * kUsdc, 10 * kEth, *out));
  CHECK_FALSE(k_holds(1000 * kEth, 3'000'000 * kUsdc, 10 * kEth, *out + 1));  // getAmountOut is the maximum
  // Mid after: (3,000,000 - 29,614.741031) / 1,010 = 2,940.9755039... USDC/ETH.
  CHECK(*spot_price(swap->after, kWeth) == doctest::Approx(2940.9755039297).epsilon(1e-12));
}

TEST_CASE("uniswap_v2: getAmountIn for the same output and the round trip") {
  // in = floor(1000 * 1000e18 * 29,614,741,031 / (997 * (3e12 - 29,614,741,031))) + 1 = 9,999,999,999,689,029,866:
  // 310,970,134 wei under 10 ETH, because getAmountOut floored away 0.91 of a raw USDC unit.
  const auto in = get_amount_in(U256{29'614'741'031ULL}, 1000 * kEth, 3'000'000 * kUsdc);
  REQUIRE(in.has_value());
  CHECK(*in == 9'999'999'999'689'029'866_u256);
  // One more raw USDC costs more than the 10 ETH sold: 10,000,000,000,030,066,108 wei.
  CHECK(*get_amount_in(U256{29'614'741'032ULL}, 1000 * kEth, 3'000'000 * kUsdc) == 10'000'000'000'030'066'108_u256);

  const auto swap = swap_exact_out(eth_usdc(), kWeth, U256{29'614'741'031ULL});
  REQUIRE(swap.has_value());
  CHECK(swap->amount_in == *in);

  // Round trip over a deterministic spread of amounts and reserves (LCG, fixed seed): out(in(y)) >= y and
  // in(out(x)) <= x, and the pair accepts each pair of amounts.
  std::uint64_t state = 0x5eed;
  const auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  int checked = 0;
  for (int i = 0; i < 2000; ++i) {
    const U256 r_in = U256{next() >> 8} * (next() % 1000 + 1), r_out = U256{next() >> 4} * (next() % 100 + 1);
    const U256 x = U256{next() >> (next() % 60)} + 1;
    const auto y = get_amount_out(x, r_in, r_out);
    REQUIRE(y.has_value());
    CHECK(k_holds(r_in, r_out, x, *y));
    if (y->is_zero()) continue;
    const auto back = get_amount_in(*y, r_in, r_out);
    REQUIRE(back.has_value());
    CHECK(*back <= x);
    CHECK(*get_amount_out(*back, r_in, r_out) >= *y);
    ++checked;
  }
  CHECK(checked > 1500);
}

TEST_CASE("uniswap_v2: reverts as values") {
  CHECK(get_amount_out(0, 1, 1).error() == UniswapV2Error::insufficient_input_amount);
  CHECK(get_amount_out(1, 0, 1).error() == UniswapV2Error::insufficient_liquidity);
  CHECK(get_amount_out(1, 1, 0).error() == UniswapV2Error::insufficient_liquidity);
  CHECK(get_amount_in(0, 1, 1).error() == UniswapV2Error::insufficient_output_amount);
  CHECK(get_amount_in(5, 10, 5).error() == UniswapV2Error::insufficient_liquidity);  // out == reserve
  CHECK(get_amount_in(6, 10, 5).error() == UniswapV2Error::insufficient_liquidity);  // out > reserve
  CHECK(get_amount_out(U256::max() / 997 + 1, 1, 1).error() == UniswapV2Error::overflow);  // in * 997
  CHECK(get_amount_out(U256{1} << 200, 1, U256{1} << 100).error() == UniswapV2Error::overflow);  // * R_out
  // A sale that yields nothing: the pair reverts with INSUFFICIENT_OUTPUT_AMOUNT.
  CHECK(swap_exact_in(eth_usdc(), kWeth, 1).error() == UniswapV2Error::insufficient_output_amount);
  // Reserves above uint112 revert with OVERFLOW.
  CHECK(swap_exact_in(eth_usdc(), kWeth, kMaxReserve).error() == UniswapV2Error::overflow);
  CHECK(swap_exact_in(eth_usdc(), addr(1), kEth).error() == UniswapV2Error::token_not_in_pool);
  CHECK(spot_price(eth_usdc(), addr(1)).error() == UniswapV2Error::token_not_in_pool);
}

TEST_CASE("uniswap_v2: spot and marginal prices in both directions with decimals") {
  const Pool p = eth_usdc();
  CHECK(*spot_price(p, kWeth) == doctest::Approx(3000.0).epsilon(1e-15));
  CHECK(*spot_price(p, kUsdcToken) == doctest::Approx(1.0 / 3000.0).epsilon(1e-15));
  CHECK(*marginal_price(p, kWeth) == doctest::Approx(2991.0).epsilon(1e-15));  // 3000 * 0.997
  // The marginal price is the slope of getAmountOut at 0: 1e-6 ETH fetches just under 0.002991 USDC,
  // 997e12 * 3e12 / (1e24 + 997e12) = 2991 / 1.000000000997 = 2990.999997 -> 2,990 raw; 1e-3 ETH fetches
  // 997e15 * 3e12 / (1e24 + 997e15) = 2,991,000 / 1.000000997 = 2,990,997.02 -> 2,990,997 raw.
  CHECK(*get_amount_out(pow10(12), 1000 * kEth, 3'000'000 * kUsdc) == U256{2990});
  CHECK(*get_amount_out(pow10(15), 1000 * kEth, 3'000'000 * kUsdc) == U256{2'990'997});
  const auto side = orient(p, kWeth);
  REQUIRE(side.has_value());
  CHECK(side->reserve_in == 1000 * kEth);
  CHECK_FALSE(side->zero_for_one);
}

TEST_CASE("uniswap_v2: raw_price and mid_at_least compare exactly") {
  // 3,000 USDC/ETH in raw units is 3000 * 10^6 / 10^18 = 3e-9 raw USDC per wei.
  const auto t = raw_price(3000.0, 18, 6);
  REQUIRE(t.has_value());
  CHECK(mid_at_least(1000 * kEth, 3'000'000 * kUsdc, *t));
  CHECK_FALSE(mid_at_least(1000 * kEth, 3'000'000 * kUsdc - 1, *t));
  CHECK_FALSE(mid_at_least(1000 * kEth + 1, 3'000'000 * kUsdc, *t));
  CHECK_FALSE(raw_price(-1.0, 18, 6));
  CHECK_FALSE(raw_price(1e300, 18, 6));
}

TEST_CASE("uniswap_v2: numeric helpers") {
  CHECK(to_double(U256{1} << 200) == 0x1p200);
  CHECK(to_double(U256{123456789}) == 123456789.0);
  CHECK(to_units(1500 * kUsdc, 6) == 1500.0);
  CHECK(*from_double(0x1p200) == U256{1} << 200);
  CHECK(*from_double(12.9) == U256{12});
  CHECK_FALSE(from_double(-1.0));
  CHECK_FALSE(from_double(0x1p256));
  // (2^255)^4 vs (2^255)^3 * (2^255 + 1): needs the full 1024 bits.
  const U256 big = U256{1} << 255;
  CHECK(compare_products({big, big, big, big}, {big, big, big, big + 1}) < 0);
  CHECK(compare_products({big, 6}, {3, big, 2}) == 0);
  CHECK(compare_products({7}, {6}) > 0);
}

TEST_CASE("compare_products: two factors a side (the 128- and 64-bit paths) agree with the general product") {
  // A third factor of 1 sends the same comparison through the general 1024-bit products.
  sluice::test::Xorshift64 next{0x9E3779B97F4A7C15ULL};
  // Factors of every size up to 2^128 (and just above: the general path), with equal products made on purpose.
  const auto factor = [&] {
    const unsigned bits = static_cast<unsigned>(next() % 130);
    U256 f{next(), next(), next() & 3, 0};
    return f >> (130 - bits);
  };
  int equal = 0;
  for (int i = 0; i < 20'000; ++i) {
    const U256 a = factor(), b = factor();
    U256 c = factor(), d = factor();
    if (i % 5 == 0) c = b, d = a;                       // the same product
    if (i % 7 == 0 && !a.is_zero()) c = a, d = b + 1;   // one factor apart
    const int fast = compare_products({a, b}, {c, d});
    const int general = compare_products({a, b, 1}, {c, d, 1});
    if (fast != general) FAIL("compare_products differs at iteration " << i);
    // The four-argument form (one 64 x 64-bit product a side when every factor fits in 64 bits).
    if (compare_products(a, b, c, d) != general) FAIL("compare_products(a, b, c, d) differs at iteration " << i);
    equal += fast == 0 ? 1 : 0;
  }
  CHECK(equal >= 3'000);  // every fifth pair, less those the seventh overrides
  const U256 top = (U256{1} << 128) - U256{1};
  CHECK(compare_products({top, top}, {top, top}) == 0);
  CHECK(compare_products({top, top - 1}, {top, top}) < 0);
  CHECK(compare_products({top, U256{1} << 127}, {U256{1} << 127, top}) == 0);
  const U256 top64{~0ULL};
  CHECK(compare_products(top64, top64, top64, top64) == 0);
  CHECK(compare_products(top64, top64 - 1, top64, top64) < 0);
  CHECK(compare_products(top64, top64, top64 - 1, top64) > 0);
  CHECK(compare_products(top64, top64, top64 + 1, top64) < 0);  // a factor past 64 bits: the general path
}
