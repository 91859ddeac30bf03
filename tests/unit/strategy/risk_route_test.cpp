// strategy/risk/route: splitting a sale across Uniswap v2 pools. The two-pool case is worked by hand below from the
// closed form in route.hpp; the other cases check the defining properties against brute force: the unit-by-unit
// greedy split (every raw unit to the pool with the best marginal), every single pool, and the continuous optimum.

#include "strategy/risk/route.hpp"

#include "strategy/risk/numeric.hpp"
#include "tests/unit/strategy/risk_test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using namespace sluice;
using namespace sluice::risk;
using namespace sluice::risk::test;

namespace {
std::vector<PoolSide> sides_of(const std::vector<Pool>& pools) {
  std::vector<PoolSide> sides;
  for (const Pool& p : pools) sides.push_back(*orient(p, kWeth));
  return sides;
}

/// Exchange optimality: no pool's next unit beats any pool's last unit (exact comparisons).
bool exchange_optimal(const std::vector<PoolSide>& sides, const Route& r) {
  for (std::size_t i = 0; i < sides.size(); ++i)
    for (std::size_t j = 0; j < sides.size(); ++j)
      if (i != j && !r.legs[j].amount_in.is_zero() &&
          compare_marginal(sides[i], r.legs[i].amount_in, sides[j], r.legs[j].amount_in - 1) > 0)
        return false;
  return true;
}

/// The properties every route must have: amounts add up, outputs are get_amount_out, no single pool does better.
void check_valid(const std::vector<Pool>& pools, const U256& q, const Route& r) {
  U256 in, out;
  for (std::size_t i = 0; i < pools.size(); ++i) {
    const RouteLeg& leg = r.legs[i];
    CHECK(leg.pool_index == i);
    in += leg.amount_in;
    out += leg.amount_out;
    if (leg.amount_in.is_zero()) {
      CHECK(leg.amount_out.is_zero());
      CHECK(leg.after == pools[i]);
      continue;
    }
    const auto swap = swap_exact_in(pools[i], kWeth, leg.amount_in);
    REQUIRE(swap.has_value());
    CHECK(leg.amount_out == swap->amount_out);
    CHECK(leg.after == swap->after);
  }
  CHECK(in == q);
  CHECK(out == r.amount_out);
  for (const Pool& p : pools) {
    const auto single = swap_exact_in(p, kWeth, q);
    if (single) CHECK(r.amount_out >= single->amount_out);
  }
}
}  // namespace

TEST_CASE("route: two pools of different depth, worked by hand") {
  // A: 1,000 ETH / 3,000,000 USDC (mid 3,000); B: 250 ETH / 760,000 USDC (mid 3,040). Sell Q = 50 ETH.
  // In whole tokens with g = 0.997: sqrt(g R_in R_out) = sqrt(2.991e9) = 54,690.04 (A) and
  // sqrt(1.8943e8) = 13,763.40 (B); B joins at once (its first unit fetches more than A's). The level is
  // s = (g Q + R_A + R_B) / (54,690.04 + 13,763.40) = 1,299.85 / 68,453.44 = 0.0189888, so
  // x_A = (s 54,690.04 - 1,000) / g = 38.6158 ETH and x_B = (s 13,763.40 - 250) / g = 11.3842 ETH, both with the
  // marginal g R_in R_out / (R_in + g x)^2 = 1 / s^2 = 2,773.34 USDC/ETH; outputs 111,217.88 + 33,005.77 =
  // 144,223.65 USDC against 142,448.92 from A alone and 126,349.84 from B alone.
  const std::vector<Pool> pools{eth_usdc(1000, 3'000'000, 0xa1), eth_usdc(250, 760'000, 0xb2)};
  const U256 q = 50 * kEth;
  const auto r = route_sale(pools, kWeth, kUsdcToken, q);
  REQUIRE(r.has_value());
  check_valid(pools, q, *r);
  CHECK(to_units(r->legs[0].amount_in, 18) == doctest::Approx(38.6157657782).epsilon(1e-10));
  CHECK(to_units(r->legs[1].amount_in, 18) == doctest::Approx(11.3842342218).epsilon(1e-10));
  CHECK(to_units(r->amount_out, 6) == doctest::Approx(144'223.651149).epsilon(1e-10));
  CHECK(r->average_price == doctest::Approx(144'223.651149 / 50).epsilon(1e-10));
  CHECK(r->legs[0].spot_before == doctest::Approx(3000.0));
  CHECK(r->legs[1].spot_before == doctest::Approx(3040.0));
  // Marginal prices equal within one unit: moving one wei either way would not help.
  const auto sides = sides_of(pools);
  CHECK(exchange_optimal(sides, *r));
  CHECK(compare_marginal(sides[0], r->legs[0].amount_in + 1, sides[1], r->legs[1].amount_in - 1) < 0);
  CHECK(compare_marginal(sides[1], r->legs[1].amount_in + 1, sides[0], r->legs[0].amount_in - 1) < 0);
  // Both pools are left at nearly the same mid (they differ only by the fee kept on different amounts).
  CHECK(r->legs[0].spot_after == doctest::Approx(r->legs[1].spot_after).epsilon(1e-3));
}

TEST_CASE("route: equals the unit-by-unit greedy split on small pools") {
  // Brute force: hand out Q raw units one at a time, each to the pool whose next unit has the best marginal.
  std::uint64_t state = 42;
  const auto next = [&](std::uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  int compared = 0;
  for (int c = 0; c < 150; ++c) {
    std::vector<Pool> pools;
    const std::size_t n = 2 + next(3);
    for (std::size_t i = 0; i < n; ++i)
      pools.push_back(Pool{addr(static_cast<std::uint8_t>(i)), kUsdcToken, kWeth, 3000 + next(300'000),
                           1000 + next(100'000), 6, 18});
    const U256 q = 1 + next(4000);
    const auto sides = sides_of(pools);
    std::vector<U256> greedy(n);
    for (U256 u; u < q; u += 1) {
      std::size_t best = 0;
      for (std::size_t i = 1; i < n; ++i)
        if (compare_marginal(sides[i], greedy[i], sides[best], greedy[best]) > 0) best = i;
      greedy[best] += 1;
    }
    const auto r = route_sale(pools, kWeth, kUsdcToken, q);
    REQUIRE(r.has_value());
    check_valid(pools, q, *r);
    std::vector<U256> got;
    for (const RouteLeg& leg : r->legs) got.push_back(leg.amount_in);
    const bool single = std::count_if(got.begin(), got.end(), [](const U256& x) { return !x.is_zero(); }) == 1;
    if (got == greedy) ++compared;
    else CHECK((single || exchange_optimal(sides, *r)));  // a tie between marginals, or the single-pool fallback
  }
  CHECK(compared > 120);
}

TEST_CASE("route: realistic pools: exact optimality and closeness to the continuous optimum") {
  std::uint64_t state = 7;
  const auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int c = 0; c < 200; ++c) {
    std::vector<Pool> pools;
    const std::size_t n = 1 + next() % 4;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t eth = 10 + next() % 50'000;
      const std::uint64_t price = 2500 + next() % 1000;  // USDC per ETH
      pools.push_back(eth_usdc(eth, eth * price, static_cast<std::uint8_t>(i)));
    }
    const U256 q = U256{next() >> 1} * (1 + next() % 100'000);  // up to ~1e24 wei
    const auto r = route_sale(pools, kWeth, kUsdcToken, q);
    REQUIRE(r.has_value());
    check_valid(pools, q, *r);
    const auto sides = sides_of(pools);
    CHECK(exchange_optimal(sides, *r));
    const auto cont = continuous_split(sides, static_cast<long double>(to_double(q)));
    for (std::size_t i = 0; i < n; ++i)
      CHECK(std::abs(static_cast<double>(cont[i]) - to_double(r->legs[i].amount_in)) <= 1e-12 * to_double(q) + 2);
  }
}

TEST_CASE("route: errors and degenerate pools") {
  const std::vector<Pool> pools{eth_usdc(1000, 3'000'000)};
  CHECK(route_sale(pools, kWeth, kUsdcToken, 0).error() == RouteError::zero_amount);
  CHECK(route_sale({}, kWeth, kUsdcToken, kEth).error() == RouteError::no_pools);
  CHECK(route_sale(pools, kWeth, addr(1), kEth).error() == RouteError::pool_mismatch);
  CHECK(route_sale(pools, kWeth, kWeth, kEth).error() == RouteError::pool_mismatch);
  CHECK(route_sale(pools, kWeth, kUsdcToken, 1).error() == RouteError::no_liquidity);  // 1 wei pays 0 USDC
  CHECK(route_sale(pools, kWeth, kUsdcToken, kMaxReserve).error() == RouteError::overflow);
  const std::vector<Pool> empty{Pool{addr(2), kUsdcToken, kWeth, 0, 0, 6, 18}};
  CHECK(route_sale(empty, kWeth, kUsdcToken, kEth).error() == RouteError::no_liquidity);
  // An empty pool next to a live one gets nothing; the live one takes it all.
  const std::vector<Pool> mixed{empty[0], pools[0]};
  const auto r = route_sale(mixed, kWeth, kUsdcToken, 10 * kEth);
  REQUIRE(r.has_value());
  CHECK(r->legs[0].amount_in.is_zero());
  CHECK(r->amount_out == U256{29'614'741'031ULL});  // the hand-worked sale of risk_uniswap_v2_test.cpp
  // Selling USDC for WETH routes the other way through the same pools.
  const auto back = route_sale(pools, kUsdcToken, kWeth, 30'000 * kUsdc);
  REQUIRE(back.has_value());
  CHECK(back->average_price == doctest::Approx(1.0 / 3000).epsilon(0.02));
}
