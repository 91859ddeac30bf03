// RayDivisor against ray_div_half_up (U256 arithmetic, tested against Aave's WadRayMath vectors in
// fixed_point_test.cpp).

#include "chain/ray_divisor.hpp"

#include "chain/fixed_point.hpp"
#include "tests/support/xorshift.hpp"

#include <doctest/doctest.h>

using namespace sluice;

namespace {

const uint128 kMax128 = ~uint128{0};
const uint128 kRay128 = to128(kRay);

/// Whether RayDivisor{b} agrees with ray_div_half_up on a: the same quotient when it fits in 128 bits and b has
/// the fast path (b >= 2^89), a refusal otherwise.
bool same(uint128 a, uint128 b) {
  const auto wide = ray_div_half_up(from128(a), from128(b));
  const bool fits = wide && fits128(*wide);
  uint128 q = 0;
  const bool divided = RayDivisor{b}.divide(a, q);
  const bool fast = (b >> 89) != 0;
  return divided == (fits && fast) && (!divided || q == to128(*wide));
}

}  // namespace

TEST_CASE("RayDivisor: cases worked by hand") {
  uint128 q = 7;
  // An index of exactly RAY: rayDiv is the identity (a x RAY + RAY / 2 over RAY rounds down).
  CHECK(RayDivisor{kRay128}.value() == kRay128);
  CHECK(RayDivisor{kRay128}.divide(12345, q));
  CHECK(q == 12345);
  CHECK(RayDivisor{kRay128}.divide(kMax128, q));
  CHECK(q == kMax128);
  // An index of 2 RAY: 1 / 2 = 0.5 rounds up, 3 / 2 = 1.5 rounds up, 0 stays 0.
  const RayDivisor two{2 * kRay128};
  CHECK(two.divide(1, q));
  CHECK(q == 1);
  CHECK(two.divide(3, q));
  CHECK(q == 2);
  CHECK(two.divide(0, q));
  CHECK(q == 0);
  // Index 2 RAY + 1: 1 x RAY + (RAY + 0) over 2 RAY + 1 is just below 1.
  CHECK(RayDivisor{2 * kRay128 + 1}.divide(1, q));
  CHECK(q == 0);
  // No fast path: a zero index, and one below 2^89 (about 0.62 RAY); q is left as it was.
  q = 7;
  CHECK_FALSE(RayDivisor{0}.divide(1, q));
  CHECK_FALSE(RayDivisor{(uint128{1} << 89) - 1}.divide(1, q));
  CHECK(q == 7);
  // The smallest index with one: 2^89; the quotient of a = 2^128 - 1 then needs more than 128 bits.
  CHECK(same(1, uint128{1} << 89));
  CHECK_FALSE(RayDivisor{uint128{1} << 89}.divide(kMax128, q));
}

TEST_CASE("RayDivisor: the same quotients as ray_div_half_up on random and boundary operands") {
  test::Xorshift64 next{0x2545F4914F6CDD1DULL};
  const auto random128 = [&] { return ((uint128{next()} << 64) | next()) >> (next() % 128); };
  int divided = 0;
  for (int i = 0; i < 200'000; ++i) {
    // Indexes as reserves have them (RAY to a few RAY), then any divisor from 2^88 up; amounts of every size.
    uint128 b = i % 2 == 0 ? kRay128 + random128() % (4 * kRay128) : ((uint128{next()} << 64) | next()) >> (next() % 41);
    if (b == 0) b = 1;
    const uint128 a = i % 7 == 0 ? kMax128 - (next() % 3) : random128();
    uint128 unused;
    divided += RayDivisor{b}.divide(a, unused) ? 1 : 0;
    if (!same(a, b)) FAIL("differs at iteration " << i);
  }
  CHECK(divided > 100'000);
  // Every divisor bit length that has a fast path (and the one below), at both ends of each, against amounts at
  // the 128-bit quotient boundary: a x RAY / b just below and just above 2^128.
  for (unsigned bits = 89; bits <= 128; ++bits) {
    const uint128 low = uint128{1} << (bits - 1);
    for (const uint128 b : {low, low + 1, low + (low - 1), low | (low >> 1)}) {
      CHECK(same(kMax128, b));
      CHECK(same(1, b));
      CHECK(same(b, b));
      CHECK(same(b >> 1, b));
      // The largest a whose quotient fits: floor(((2^128 - 1) x b + ...) / RAY), and its neighbours.
      const auto edge = mul_div_down(from128(kMax128), from128(b), kRay);
      if (edge && fits128(*edge))
        for (uint128 delta = 0; delta < 3; ++delta) {
          CHECK(same(to128(*edge) - delta, b));
          if (to128(*edge) + delta >= to128(*edge)) CHECK(same(to128(*edge) + delta, b));
        }
    }
  }
}
