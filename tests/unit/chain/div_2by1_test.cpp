// The 2-by-1 division step of the power-of-ten divisions (chain/div_2by1.hpp) against plain integer division.

#include "chain/div_2by1.hpp"

#include "tests/support/xorshift.hpp"

#include <doctest/doctest.h>

using namespace sluice;

TEST_CASE("div_2by1: the 2-by-1 step on 8-bit digits, every numerator of every normalized divisor") {
  // Quotient and remainder against plain division for all (u1 u0) with u1 < d: with 8-bit digits both corrections
  // happen often (about once in 2^64 divisions with 64-bit digits, 2^128 with 128-bit ones).
  std::uint64_t checked = 0;
  for (std::uint32_t d = 0x80; d <= 0xFF; ++d) {
    const auto v = static_cast<std::uint8_t>(0xFFFFu / d - 0x100u);
    bool all = true;
    for (std::uint32_t u = 0; all && u < (d << 8); ++u, ++checked) {
      std::uint8_t r = 0;
      const auto q = detail::div_2by1<std::uint8_t>(static_cast<std::uint8_t>(u >> 8), static_cast<std::uint8_t>(u),
                                                    static_cast<std::uint8_t>(d), v, r);
      all = q == u / d && r == u % d;
    }
    CHECK_MESSAGE(all, "divisor " << d);
  }
  CHECK(checked == 6'275'072);  // sum of 256 d for d in 128..255
}

TEST_CASE("div_2by1: 64-bit digits against the hardware division") {
  test::Xorshift64 next{0x9E3779B97F4A7C15ULL};
  for (int i = 0; i < 200'000; ++i) {
    const std::uint64_t d = next() | (std::uint64_t{1} << 63);
    const auto v = static_cast<std::uint64_t>(((static_cast<uint128>(~d) << 64) | ~std::uint64_t{0}) / d);
    const std::uint64_t u1 = i % 3 == 0 ? d - 1 : next() % d, u0 = next();
    const uint128 u = (static_cast<uint128>(u1) << 64) | u0;
    std::uint64_t r = 0;
    const std::uint64_t q = detail::div_2by1<std::uint64_t>(u1, u0, d, v, r);
    if (q != u / d || r != u % d) FAIL("differs at iteration " << i);
  }
}
