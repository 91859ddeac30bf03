// strategy/risk/schedule: Almgren-Chriss trajectories (hand-worked kappa and holdings) and the per-block sale cap
// (hand-worked quadratic, then the exact boundary: the amount returned holds, one unit more crosses).

#include "strategy/risk/schedule.hpp"

#include "strategy/risk/numeric.hpp"
#include "tests/unit/strategy/risk_test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace sluice;
using namespace sluice::risk;
using namespace sluice::risk::test;

namespace {
U256 sum(const std::vector<U256>& xs) {
  U256 s;
  for (const U256& x : xs) s += x;
  return s;
}
/// Non-increasing up to the one unit that flooring the holdings can add to a later block.
bool non_increasing(const std::vector<U256>& xs) {
  for (std::size_t i = 1; i < xs.size(); ++i)
    if (xs[i] > xs[i - 1] + 1) return false;
  return true;
}
}  // namespace

TEST_CASE("schedule: risk-neutral Almgren-Chriss is the even split") {
  const AlmgrenChrissParams neutral{0.1, 0.05, 2.0, 0.0};
  CHECK(*ac_kappa(neutral) == 0.0);
  const auto even = ac_schedule(1000, 4, neutral);
  REQUIRE(even.has_value());
  CHECK(*even == std::vector<U256>{250, 250, 250, 250});
  // 10 over 3 blocks: holdings floor(10 * 2/3) = 6, floor(10/3) = 3 -> sales 4, 3, 3.
  CHECK(*ac_schedule(10, 3, neutral) == std::vector<U256>{4, 3, 3});
  // A big amount stays exact: sales differ by at most one wei and add up.
  const U256 x = 1234 * kEth + 7;
  const auto s = ac_schedule(x, 7, neutral);
  REQUIRE(s.has_value());
  CHECK(sum(*s) == x);
  for (const U256& a : *s) CHECK((a == x / 7 || a == x / 7 + 1));
  const auto h = ac_holdings(4, neutral);
  REQUIRE(h.has_value());
  CHECK(*h == std::vector<double>{1.0, 0.75, 0.5, 0.25, 0.0});
}

TEST_CASE("schedule: Almgren-Chriss with risk aversion, worked by hand") {
  // eta = 0.1, gamma = 0 (eta~ = 0.1), sigma = 1, lambda = 0.02: cosh(kappa) = 1 + 0.02 * 1 / (2 * 0.1) = 1.1,
  // kappa = ln(1.1 + sqrt(0.21)) = 0.4435682544.
  const AlmgrenChrissParams p{0.1, 0.0, 1.0, 0.02};
  CHECK(*ac_kappa(p) == doctest::Approx(0.4435682544).epsilon(1e-10));
  // N = 2: x_1 / X = sinh(kappa) / sinh(2 kappa) = 1 / (2 cosh kappa) = 1 / 2.2 = 0.454545...
  // N = 3: sinh(3 kappa) = sinh(kappa) (4 cosh^2 kappa - 1) = 3.84 sinh(kappa), so
  //   x_1 / X = 2 cosh(kappa) / 3.84 = 2.2 / 3.84 and x_2 / X = 1 / 3.84.
  const auto h2 = ac_holdings(2, p);
  const auto h3 = ac_holdings(3, p);
  REQUIRE(h2.has_value());
  REQUIRE(h3.has_value());
  CHECK((*h2)[1] == doctest::Approx(1 / 2.2).epsilon(1e-14));
  CHECK((*h3)[1] == doctest::Approx(2.2 / 3.84).epsilon(1e-14));
  CHECK((*h3)[2] == doctest::Approx(1 / 3.84).epsilon(1e-14));
  // X = 3,840,000: holdings 3,840,000, 2,200,000, 1,000,000, 0 -> sales 1,640,000, 1,200,000, 1,000,000 (the
  // fractions carry 2^-53 of rounding, so each holding may come out one unit lower).
  const auto s = ac_schedule(3'840'000, 3, p);
  REQUIRE(s.has_value());
  CHECK(sum(*s) == U256{3'840'000});
  CHECK(((*s)[0] == U256{1'640'000} || (*s)[0] == U256{1'640'001}));
  CHECK(((*s)[2] == U256{1'000'000} || (*s)[2] == U256{999'999}));
  // eta~ = eta - gamma / 2: gamma = 0.1 with eta = 0.15 gives the same eta~ = 0.1 and hence the same kappa.
  CHECK(*ac_kappa({0.15, 0.1, 1.0, 0.02}) == doctest::Approx(*ac_kappa(p)).epsilon(1e-15));
}

TEST_CASE("schedule: more risk aversion front-loads, sums stay exact") {
  const U256 x = 500 * kEth + 3;
  U256 previous_first;
  for (const double lambda : {0.0, 0.001, 0.01, 0.1, 1.0, 1e6}) {
    const auto s = ac_schedule(x, 100, {0.1, 0.02, 1.0, lambda});
    REQUIRE(s.has_value());
    CHECK(s->size() == 100);
    CHECK(sum(*s) == x);
    CHECK(non_increasing(*s));
    CHECK((*s)[0] > previous_first);
    previous_first = (*s)[0];
  }
  // Huge kappa * N (would overflow sinh): everything in the first block, no NaN.
  const auto all_now = ac_schedule(x, 1000, {1e-9, 0.0, 1e3, 1e9});
  REQUIRE(all_now.has_value());
  CHECK((*all_now)[0] == x);
}

TEST_CASE("schedule: Almgren-Chriss errors") {
  CHECK(ac_schedule(1, 0, {}).error() == ScheduleError::zero_blocks);
  CHECK(ac_kappa({0.1, 0.2, 1.0, 1.0}).error() == ScheduleError::non_positive_eta);  // eta~ = 0
  CHECK(ac_kappa({0.0, 0.0, 1.0, 0.0}).error() == ScheduleError::non_positive_eta);
  CHECK(ac_kappa({0.1, 0.0, -1.0, 1.0}).error() == ScheduleError::invalid_parameter);
  CHECK(ac_kappa({0.1, 0.0, 1.0, std::nan("")}).error() == ScheduleError::invalid_parameter);
}

TEST_CASE("schedule: largest sale that keeps the pool price above a threshold") {
  // 1,000 ETH / 3,000,000 USDC, next cluster liquidates at 2,900 USDC/ETH. The mid after selling a ETH is
  // 1000 * 1000 * 3e6 / ((1e6 + 997 a)(1000 + a)) >= 2,900  <=>  997 a^2 + 1,997,000 a + 1e9 <= 3e12 / 2,900
  // = 1,034,482,758.6, whose positive root is a = 17.1209372 ETH (the quadratic formula).
  const PoolSide side = *orient(eth_usdc(1000, 3'000'000), kWeth);
  const auto cap = max_sale_above_price(side, 2900.0, 0.0);
  REQUIRE(cap.has_value());
  CHECK(to_units(*cap, 18) == doctest::Approx(17.1209371612).epsilon(1e-9));
  // Exact boundary, checked without the library's comparison: mid >= 2,900 <=> R_usdc * 1e12 >= 2,900 R_weth.
  const auto holds = [&](const U256& a) {
    const auto s = swap_exact_in(eth_usdc(1000, 3'000'000), kWeth, a);
    REQUIRE(s.has_value());
    return s->after.reserve0 * pow10(12) >= 2900 * s->after.reserve1;
  };
  CHECK(holds(*cap));
  CHECK_FALSE(holds(*cap + 1));
  // With a 50 bps margin the threshold is 2,914.5 and the root 14.5838891 ETH.
  const auto safer = max_sale_above_price(side, 2900.0, 50.0);
  REQUIRE(safer.has_value());
  CHECK(to_units(*safer, 18) == doctest::Approx(14.5838890729).epsilon(1e-9));
  CHECK(*safer < *cap);
  // Already at or below the threshold: nothing can be sold. Exactly at the mid: 0 too (any sale moves it).
  CHECK(max_sale_above_price(side, 3100.0, 0.0)->is_zero());
  CHECK(max_sale_above_price(side, 3000.0, 0.0)->is_zero());
  // No threshold: limited only by uint112 reserves.
  CHECK(*max_sale_above_price(side, 0.0, 0.0) == kMaxReserve - 1000 * kEth);
  CHECK(max_sale_above_price(side, -1.0, 0.0).error() == ScheduleError::invalid_threshold);
  CHECK(max_sale_above_price(side, 2900.0, std::nan("")).error() == ScheduleError::invalid_threshold);
  CHECK(max_sale_above_price(PoolSide{}, 2900.0, 0.0).error() == ScheduleError::no_liquidity);
}

TEST_CASE("schedule: the cap is exact across many pools and thresholds") {
  std::uint64_t state = 99;
  const auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int c = 0; c < 300; ++c) {
    const std::uint64_t eth = 1 + next() % 100'000;
    const Pool pool = eth_usdc(eth, eth * (1000 + next() % 4000));
    const PoolSide side = *orient(pool, kWeth);
    const double threshold = spot_price(side) * (0.5 + static_cast<double>(next() % 5000) / 10000.0);
    const auto cap = max_sale_above_price(side, threshold, 0.0);
    REQUIRE(cap.has_value());
    const auto t = raw_price(threshold, 18, 6);
    REQUIRE(t.has_value());
    const auto after = [&](const U256& a) {
      const auto out = get_amount_out(a, side.reserve_in, side.reserve_out);
      return mid_at_least(side.reserve_in + a, side.reserve_out - (out ? *out : U256{}), *t);
    };
    if (!cap->is_zero()) CHECK(after(*cap));
    CHECK_FALSE(after(*cap + 1));
  }
}
