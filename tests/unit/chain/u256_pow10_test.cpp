// divmod_pow10 (reciprocal division by 10^k) against divmod (Knuth's long division) and against the defining
// identity n = q 10^k + r, r < 10^k, on random operands of every width and at the edges.
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
