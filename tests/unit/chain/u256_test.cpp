#include "chain/u256.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace sluice;
using namespace sluice::literals;

namespace {
U256 random_u256(std::mt19937_64& rng) {
  // Mix widths so that every limb count and the normalisation paths of the divider are exercised.
  U256 v{rng(), rng(), rng(), rng()};
  return v >> static_cast<unsigned>(rng() % 256);
}
}  // namespace

TEST_CASE("u256: literals, decimal and hex round trips") {
  constexpr U256 wad = 1'000'000'000'000'000'000_u256;
  static_assert(wad == U256{1'000'000'000'000'000'000ULL});
  CHECK(U256::max().to_dec() == "115792089237316195423570985008687907853269984665640564039457584007913129639935");
  CHECK(U256::max().to_hex() == "0x" + std::string(64, 'f'));
  CHECK(U256{}.to_hex() == "0x0");
  CHECK(U256{}.to_dec() == "0");
  CHECK(U256::from_dec("10000000000000000000").value().to_dec() == "10000000000000000000");
  CHECK(U256::from_hex("0x00ff").value() == 255_u256);
  CHECK(U256::from_dec("115792089237316195423570985008687907853269984665640564039457584007913129639936").error() ==
        U256Error::overflow);
  CHECK(U256::from_hex("0x1" + std::string(64, '0')).error() == U256Error::overflow);
  CHECK(U256::from_dec("12a").error() == U256Error::invalid_character);
  CHECK(U256::from_dec("").error() == U256Error::empty);
  CHECK((0xdeadbeefcafebabe0123456789abcdef_u256).to_hex() == "0xdeadbeefcafebabe0123456789abcdef");
}

TEST_CASE("u256: wrapping arithmetic matches EVM semantics") {
  CHECK(U256::max() + 1 == U256{});
  CHECK(U256{} - 1 == U256::max());
  CHECK((U256{1} << 255) * 2 == U256{});
  CHECK(U256{7} / U256{} == U256{});
  CHECK(U256{7} % U256{} == U256{});
  CHECK(!checked_add(U256::max(), 1).has_value());
  CHECK(!checked_sub(U256{1}, 2).has_value());
  CHECK(!checked_mul(U256{1} << 128, U256{1} << 128).has_value());
  CHECK(checked_mul(U256{1} << 127, U256{2}).value() == U256{1} << 128);
}

namespace {
/// A limb of a test operand: mostly the values where carries, borrows and equal prefixes happen.
std::uint64_t edge_limb(std::mt19937_64& rng, std::uint64_t other) {
  switch (rng() % 6) {
    case 0: return 0;
    case 1: return 1;
    case 2: return ~0ULL;
    case 3: return ~0ULL - 1;
    case 4: return other;  // the same limb as the other operand's
    default: return rng();
  }
}
}  // namespace

TEST_CASE("u256: +, - and <=> at run time (carry chains, 128-bit halves) agree with limb-by-limb references") {
  // The compile-time evaluation takes the limb loops.
  static_assert(U256::max() + U256{1} == U256{});
  static_assert(U256{} - U256{1} == U256::max());
  static_assert(U256{0, 0, 1, 0} > U256{~0ULL, ~0ULL, 0, 0});
  static_assert((U256{5} <=> U256{5}) == 0);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    U256 a, b;
    for (std::size_t k = 0; k < 4; ++k) a.limbs[k] = edge_limb(rng, 0), b.limbs[k] = edge_limb(rng, a.limbs[k]);
    U256 sum, difference;
    unsigned carry = 0, borrow = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const uint128 s = static_cast<uint128>(a.limbs[k]) + b.limbs[k] + carry;
      sum.limbs[k] = static_cast<std::uint64_t>(s);
      carry = static_cast<unsigned>(s >> 64);
      const uint128 d = static_cast<uint128>(a.limbs[k]) - b.limbs[k] - borrow;
      difference.limbs[k] = static_cast<std::uint64_t>(d);
      borrow = static_cast<unsigned>(d >> 64) & 1U;
    }
    int order = 0;
    for (std::size_t k = 4; k-- > 0 && order == 0;)
      order = a.limbs[k] < b.limbs[k] ? -1 : a.limbs[k] > b.limbs[k] ? 1 : 0;
    INFO("iteration " << i << ": a = " << a.to_hex() << ", b = " << b.to_hex());
    REQUIRE((a + b) == sum);
    REQUIRE((a - b) == difference);
    REQUIRE(((a <=> b) < 0) == (order < 0));
    REQUIRE(((a <=> b) > 0) == (order > 0));
    REQUIRE(((a <=> b) == 0) == (order == 0));
    REQUIRE((a < b) == (order < 0));
  }
}

TEST_CASE("u256: division identities hold on random operands") {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    const U256 n = random_u256(rng);
    const U256 d = random_u256(rng);
    if (d.is_zero()) continue;
    const DivResult qr = divmod(n, d);
    CHECK(qr.remainder < d);
    CHECK(qr.quotient * d + qr.remainder == n);
    CHECK(checked_mul(qr.quotient, d).has_value());
  }
}

TEST_CASE("u256: mul_div with a 512-bit intermediate, down and up") {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const U256 a = random_u256(rng), b = random_u256(rng), d = random_u256(rng);
    if (d.is_zero()) continue;
    const auto down = mul_div_down(a, b, d);
    const auto full = divmod(mul_full(a, b), d);
    REQUIRE(down.has_value() == full.has_value());
    if (!down) continue;
    // q*d + r == a*b checked in 512 bits.
    U512 back = mul_full(*down, d);
    uint128 carry = 0;
    for (int k = 0; k < 8; ++k) {
      const uint128 s = static_cast<uint128>(back.limbs[k]) + (k < 4 ? full->remainder.limbs[k] : 0) + carry;
      back.limbs[k] = static_cast<std::uint64_t>(s);
      carry = s >> 64;
    }
    CHECK(back == mul_full(a, b));
    const auto up = mul_div_up(a, b, d);
    if (up) CHECK(*up == *down + (full->remainder.is_zero() ? 0 : 1));
  }
  CHECK(mul_div_down(U256::max(), U256::max(), U256::max()).value() == U256::max());
  CHECK(!mul_div_down(U256::max(), 2, 1).has_value());
  CHECK(!mul_div_down(1, 1, 0).has_value());
  CHECK(mul_div_up(10, 10, 3).value() == 34);
}

TEST_CASE("u256: shifts and big-endian bytes") {
  const U256 x = 0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20_u256;
  CHECK(to_hex(x.to_be()) == "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  CHECK(U256::from_be(x.to_be()).value() == x);
  CHECK((x >> 8).to_hex() == "0x102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  CHECK((x << 8 >> 8) == (x & (U256::max() >> 8)));
  CHECK((x >> 64 << 64) == (x & ~U256{~0ULL}));
  CHECK(U256{0x1234}.to_be_trimmed() == Bytes{0x12, 0x34});
  CHECK(U256{}.to_be_trimmed().empty());
  CHECK(x.bit_length() == 249);
}
