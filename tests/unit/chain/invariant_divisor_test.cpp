// InvariantDivisor128 against div_wide_128 (the hardware-division path, itself tested against U256 divmod in
// u256_pow10_test.cpp): the same quotient, and the same refusal when the quotient needs more than 128 bits.

#include "chain/invariant_divisor.hpp"
#include "tests/support/xorshift.hpp"

#include <doctest/doctest.h>

using namespace sluice;

namespace {

const uint128 kMax128 = ~uint128{0};

/// Whether the invariant divisor agrees with div_wide_128 on n / d.
bool same(const Wide128& n, uint128 d) {
  uint128 expected = 0, got = 0;
  const bool fits = div_wide_128(n, d, expected);
  const bool divided = InvariantDivisor128{d}.divide(n, got);
  return fits == divided && (!fits || got == expected);
}

}  // namespace

TEST_CASE("InvariantDivisor128: the 3-by-2 step on 8-bit digits, where its corrections are frequent") {
  // Quotient and remainder against plain integer division: every numerator (u2 u1 u0) with (u2 u1) < d for a few
  // divisors, then random divisors and numerators. With 8-bit digits the step's two corrections (taken about once
  // in 2^64 divisions with 64-bit digits) happen often.
  const auto divides = [](std::uint32_t d, std::uint32_t u) {
    const auto digit = [](std::uint32_t x, unsigned at) { return static_cast<std::uint8_t>(x >> at); };
    const auto v = static_cast<std::uint8_t>((0xFFFFFFu / d) - 0x100u);
    std::uint16_t r = 0;
    const auto q = detail::div_3by2<std::uint8_t, std::uint16_t>(digit(u, 16), digit(u, 8), digit(u, 0), digit(d, 8),
                                                                 digit(d, 0), v, r);
    return q == u / d && r == u % d;
  };
  for (const std::uint32_t d : {0x8000u, 0x8001u, 0x80FFu, 0xAAABu, 0xC000u, 0xFFFEu, 0xFFFFu}) {
    bool all = true;
    for (std::uint32_t u = 0; all && u < (d << 8); ++u) all = divides(d, u);
    CHECK_MESSAGE(all, "divisor " << d);
  }
  test::Xorshift64 next{0x5DEECE66DULL};
  for (int i = 0; i < 2'000'000; ++i) {
    const auto d = static_cast<std::uint32_t>(0x8000u | (next() & 0x7FFFu));
    const auto u = static_cast<std::uint32_t>(next() % (std::uint64_t{d} << 8));
    if (!divides(d, u)) FAIL("divisor " << d << ", numerator " << u);
  }
}

TEST_CASE("InvariantDivisor128: small cases worked by hand") {
  uint128 q = 0;
  CHECK(InvariantDivisor128{7}.divide(Wide128{0, 100}, q));
  CHECK(q == 14);
  CHECK(InvariantDivisor128{1}.divide(Wide128{0, kMax128}, q));
  CHECK(q == kMax128);
  CHECK_FALSE(InvariantDivisor128{1}.divide(Wide128{1, 0}, q));  // 2^128 / 1 needs 129 bits
  // (2^128 - 1) * 2^128 / 2^128 - 1 ... : n.hi = d - 1 is the largest high half that still divides.
  CHECK(InvariantDivisor128{kMax128}.divide(Wide128{kMax128 - 1, kMax128}, q));
  CHECK(q == kMax128);
  CHECK_FALSE(InvariantDivisor128{kMax128}.divide(Wide128{kMax128, 0}, q));
  // A RAY divisor, as a reserve index at its start: 5e26 * 1e27 + 1e27 / 2 over 1e27 is 5e26 (rounded down).
  const uint128 ray = uint128{1'000'000'000'000'000'000ULL} * 1'000'000'000ULL;
  const uint128 amount = uint128{500'000'000'000'000'000ULL} * 1'000'000'000ULL;
  CHECK(InvariantDivisor128{ray}.value() == ray);
  CHECK(InvariantDivisor128{ray}.divide(mul_wide_128(amount, ray), q));
  CHECK(q == amount);
}

TEST_CASE("InvariantDivisor128: the same quotients as div_wide_128 on random operands of every size") {
  test::Xorshift64 next{0x2545F4914F6CDD1DULL};
  const auto random128 = [&] { return ((uint128{next()} << 64) | next()) >> (next() % 128); };
  int divided = 0;
  for (int i = 0; i < 200'000; ++i) {
    uint128 d = random128();
    if (d == 0) d = 1;
    // A numerator below d * 2^128 most of the time (a quotient that fits), some just at or above it.
    Wide128 n{random128(), (uint128{next()} << 64) | next()};
    switch (next() % 4) {
      case 0: n.hi = n.hi % d; break;
      case 1: n.hi = d - 1 - (next() % 2 == 0 ? 0 : n.hi % d); break;
      case 2: n.hi = d - (next() % 2); break;  // the boundary: d refuses, d - 1 divides
      default: break;
    }
    uint128 unused;
    divided += div_wide_128(n, d, unused) ? 1 : 0;
    if (!same(n, d)) FAIL("differs at iteration " << i);
  }
  CHECK(divided > 100'000);
  // Divisors with few bits set, and every shift.
  for (unsigned bit = 0; bit < 128; ++bit) {
    const uint128 d = uint128{1} << bit;
    CHECK(same(Wide128{d - 1, kMax128}, d));
    CHECK(same(Wide128{0, kMax128}, d));
    CHECK(same(Wide128{d - 1, kMax128}, d + (d - 1)));
    CHECK(same(Wide128{d >> 1, 12345}, d | 1));
  }
}

TEST_CASE("InvariantDivisor128: the reciprocal by long division equals (2^192 - 1) / d - 2^64 by U256 divmod") {
  // Built at compile time too (the divisors RAY, WAD and 10,000 of fixed_point.cpp are).
  static_assert(InvariantDivisor128{10'000}.shift() == 114);
  static_assert(detail::reciprocal_3by2(uint128{1} << 127) == ~std::uint64_t{0});  // (2^192 - 1) / 2^127 - 2^64
  test::Xorshift64 next{0xC2B2AE3D27D4EB4FULL};
  const uint128 top = uint128{1} << 127;
  for (int i = 0; i < 20'000; ++i) {
    const uint128 d = i == 0 ? top : i == 1 ? kMax128 : i == 2 ? top + 1 : top | (uint128{next()} << 64) | next();
    const U256 all_ones_192{~std::uint64_t{0}, ~std::uint64_t{0}, ~std::uint64_t{0}, 0};
    const U256 q = divmod(all_ones_192, from128(d)).quotient;
    CHECK_MESSAGE(q.limbs[1] == 1, "quotient in [2^64, 2^65)");
    if (detail::reciprocal_3by2(d) != q.limbs[0]) FAIL("reciprocal differs at iteration " << i);
  }
}
