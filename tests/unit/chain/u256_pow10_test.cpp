// divmod_pow10 (reciprocal division by 10^k) against divmod (Knuth's long division) and against the defining
// identity n = q 10^k + r, r < 10^k, on random operands of every width and at the edges; the 128-bit product and
// the 256-by-128-bit division against the U256 ones.
#include "chain/u256_pow10.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace sluice;

namespace {

U256 random_width(std::mt19937_64& rng) {
  U256 v{rng(), rng(), rng(), rng()};
  return v >> static_cast<unsigned>(rng() % 256);
}

void check_one(const U256& n, unsigned k) {
  const U256 d = pow10(k);
  const DivResult fast = divmod_pow10(n, k);
  const DivResult slow = divmod(n, d);
  CHECK(fast.quotient == slow.quotient);
  CHECK(fast.remainder == slow.remainder);
  CHECK(fast.remainder < d);
  CHECK(quotient_pow10(n, k) == slow.quotient);
  CHECK(fast.quotient * d + fast.remainder == n);
}

}  // namespace

TEST_CASE("u256 pow10: divmod_pow10 equals divmod on random operands, every k in 0..30") {
  std::mt19937_64 rng(0x9010);
  for (int i = 0; i < 40'000; ++i) check_one(random_width(rng), static_cast<unsigned>(rng() % 31));
}

TEST_CASE("u256 pow10: quotient_pow10 of a 256-bit value in 128-bit halves equals divmod, every k in 0..30") {
  // Products of two 128-bit operands plus a half (as the WAD / RAY / bps multiplications make), every width of
  // them, and the edges of the three-step path (n >> k just below and at 2^192).
  std::mt19937_64 rng(0x5192);
  const auto check = [](const Wide128& n, unsigned k) {
    const U256 whole{static_cast<std::uint64_t>(n.lo), static_cast<std::uint64_t>(n.lo >> 64),
                     static_cast<std::uint64_t>(n.hi), static_cast<std::uint64_t>(n.hi >> 64)};
    INFO("n = " << whole.to_hex() << ", k = " << k);
    REQUIRE(quotient_pow10(n, k) == divmod(whole, pow10(k)).quotient);
  };
  for (int i = 0; i < 100'000; ++i) {
    const U256 a = random_width(rng) >> 128, b = random_width(rng) >> 128;
    Wide128 n = mul_wide_128(to128(a), to128(b));
    const uint128 half = to128(random_width(rng) >> 128);
    n.lo += half;
    n.hi += n.lo < half ? 1 : 0;
    check(n, static_cast<unsigned>(rng() % 31));
  }
  for (unsigned k = 0; k <= 30; ++k) {
    for (const uint128 top : {uint128{0}, uint128{1}, ~uint128{0}}) {
      const uint128 at_192 = k < 64 ? uint128{1} << (64 + k) : 0;  // n.hi at which n >> k reaches 2^192
      for (const uint128 hi : {at_192 - 1, at_192, at_192 + 1, ~uint128{0}, uint128{0}}) check(Wide128{hi, top}, k);
    }
  }
}

TEST_CASE("u256 pow10: checked_mul_fast equals checked_mul (the full product) on operands of every width") {
  std::mt19937_64 rng(0x3128);
  for (int i = 0; i < 40'000; ++i) {
    const U256 a = random_width(rng), b = random_width(rng);
    const U512 p = mul_full(a, b);
    const auto c = checked_mul_fast(a, b);
    const bool fits = (p.limbs[4] | p.limbs[5] | p.limbs[6] | p.limbs[7]) == 0;
    REQUIRE(c.has_value() == fits);
    if (fits) CHECK(*c == U256{p.limbs[0], p.limbs[1], p.limbs[2], p.limbs[3]});
  }
  const U256 m = (U256{1} << 128) - U256{1};
  CHECK(checked_mul_fast(m, m).value() == U256::max() - (U256{1} << 129) + U256{2});  // (2^128 - 1)^2
  CHECK(checked_mul_fast(m, U256{1} << 128) == checked_mul(m, U256{1} << 128));  // one operand past 128 bits
  CHECK(!checked_mul_fast(U256{1} << 128, U256{1} << 128).has_value());
}

TEST_CASE("u256 pow10: edges (0, 10^k - 1, 10^k, multiples, 2^128 and 2^256 boundaries, max)") {
  for (unsigned k = 0; k <= 30; ++k) {
    const U256 d = pow10(k);
    for (const U256& n : {U256{}, U256{1}, d - U256{1}, d, d + U256{1}, d * U256{7}, d * U256{7} - U256{1},
                          (U256{1} << 128) - U256{1}, U256{1} << 128, (U256{1} << 192) + U256{5},
                          U256::max(), U256::max() - d, U256::max() / d * d, U256::max() / d * d - U256{1}})
      check_one(n, k);
  }
}

namespace {

U256 from_halves(uint128 hi, uint128 lo) {
  return U256{static_cast<std::uint64_t>(lo), static_cast<std::uint64_t>(lo >> 64), static_cast<std::uint64_t>(hi),
              static_cast<std::uint64_t>(hi >> 64)};
}

/// A 128-bit value of random width, or an edge: 0, 1, 2^64 +- 1, 2^127, 2^128 - 1.
uint128 random128(std::mt19937_64& rng) {
  static const uint128 kEdges[] = {0, 1, (static_cast<uint128>(1) << 64) - 1, static_cast<uint128>(1) << 64,
                                   (static_cast<uint128>(1) << 64) + 1, static_cast<uint128>(1) << 127, ~uint128{0}};
  if (rng() % 8 == 0) return kEdges[rng() % std::size(kEdges)];
  const uint128 v = (static_cast<uint128>(rng()) << 64) | rng();
  return v >> (rng() % 128);
}

}  // namespace

TEST_CASE("u256 wide: mul_wide_128 and div_wide_128 equal the U256 product and divmod") {
  std::mt19937_64 rng(20261206);
  std::size_t divided = 0, two_digit_divisors = 0, one_digit_divisors = 0;
  for (int i = 0; i < 200'000; ++i) {
    const uint128 a = random128(rng), b = random128(rng);
    const Wide128 p = mul_wide_128(a, b);
    REQUIRE(from_halves(p.hi, p.lo) == from_halves(0, a) * from_halves(0, b));
    // Dividends: a product (as the fixed-point helpers make them), or a random high half below the divisor.
    const uint128 d = random128(rng);
    Wide128 n = rng() % 2 ? p : Wide128{d == 0 ? 0 : random128(rng) % d, random128(rng)};
    if (rng() % 16 == 0 && d != 0) n = Wide128{d - 1, ~uint128{0}};  // the largest dividend with a 128-bit quotient
    uint128 q = 0;
    const bool fits = div_wide_128(n, d, q);
    CHECK(fits == (d != 0 && n.hi < d));
    if (!fits) continue;
    const auto expected = divmod(from_halves(n.hi, n.lo), from_halves(0, d));
    INFO("n = ", from_halves(n.hi, n.lo).to_dec(), ", d = ", from_halves(0, d).to_dec());
    REQUIRE(fits128(expected.quotient));
    CHECK(q == to128(expected.quotient));
    ++divided;
    two_digit_divisors += (d >> 64) != 0 && n.hi != 0 ? 1 : 0;
    one_digit_divisors += (d >> 64) == 0 && n.hi != 0 ? 1 : 0;
  }
  CHECK(divided > 50'000);
  CHECK(two_digit_divisors > 10'000);  // Knuth's two-digit path, not only the native 128-bit division
  CHECK(one_digit_divisors > 10'000);  // two hardware steps by a 64-bit divisor, with a high half
}

TEST_CASE("u256 wide: div_u64 and div_128 equal the U256 divmod (one and two hardware divisions)") {
  std::mt19937_64 rng(20261207);
  std::size_t two_steps = 0;
  for (int i = 0; i < 200'000; ++i) {
    const uint128 n = random128(rng);
    std::uint64_t d = rng() >> (rng() % 64);
    if (d == 0) d = 1;
    if (i % 1000 == 0) d = ~std::uint64_t{0};
    const auto expected = divmod(from_halves(0, n), from_halves(0, d));
    INFO("n = ", from_halves(0, n).to_dec(), ", d = ", d);
    CHECK(div_u64(n, d) == to128(expected.quotient));
    CHECK(div_128(n, d) == to128(expected.quotient));
    two_steps += static_cast<std::uint64_t>(n >> 64) >= d ? 1 : 0;
    const uint128 wide = random128(rng) | 1;  // a divisor of any width
    CHECK(div_128(n, wide) == to128(divmod(from_halves(0, n), from_halves(0, wide)).quotient));
  }
  CHECK(two_steps > 10'000);  // the quotient's high half, not only one division
  CHECK(div_u64(0, 7) == 0);
  CHECK(div_u64(~uint128{0}, 1) == ~uint128{0});
  CHECK(div_u64(~uint128{0}, 10'000) == ~uint128{0} / 10'000);
}
