// Edge cases of chain/fixed_point: exact halves, rounding boundaries, the largest inputs that do not revert and the
// first ones that do. Small expected values follow by hand from the formulas quoted in fixed_point.hpp; every
// large one (marked "cast") was produced by `cast call` on tests/contracts/MathHarness.sol, i.e. by the real
// Aave v3 1.19.3 / Morpho Blue 1.0.0 libraries compiled with solc 0.8.19 and run on anvil. The random differential
// test against those libraries is tests/integration/fixed_point_diff_test.cpp.

#include "chain/fixed_point.hpp"
#include "tests/support/xorshift.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::literals;

namespace {
const U256 kMax = U256::max();
const std::optional<U256> kReverts = std::nullopt;
}  // namespace

TEST_CASE("fixed_point: constants") {
  CHECK(kWad == pow10(18));
  CHECK(kRay == pow10(27));
  CHECK(kHalfRay * 2 == kRay);
  CHECK(kHalfWad * 2 == kWad);
  CHECK(kHalfBps * 2 == kBpsScale);
}

TEST_CASE("fixed_point: wad_mul_half_up (Aave wadMul) rounds exact halves up and reverts past its guard") {
  CHECK(wad_mul_half_up(kHalfWad, 1) == U256{1});       // 0.5 wei rounds up
  CHECK(wad_mul_half_up(kHalfWad - 1, 1) == U256{0});   // just below half rounds down
  CHECK(wad_mul_half_up(3, kHalfWad) == U256{2});       // 1.5 -> 2
  CHECK(wad_mul_half_up(kWad, kWad) == kWad);
  CHECK(wad_mul_half_up(2'000'000'000'000'000'001ULL, 1'234'567'890'123'456'789ULL) ==
        U256{2'469'135'780'246'913'579ULL});  // cast
  // b == 0 never reverts, whatever a is; a == 0 with b == MAX does not either.
  CHECK(wad_mul_half_up(kMax, 0) == U256{0});
  CHECK(wad_mul_half_up(0, kMax) == U256{0});
  // Largest non-reverting a for b = 1 and b = 3, and the next one (cast).
  CHECK(wad_mul_half_up(kMax - kHalfWad, 1) == 115792089237316195423570985008687907853269984665640564039457_u256);
  CHECK(wad_mul_half_up(kMax - kHalfWad + 1, 1) == kReverts);
  CHECK(wad_mul_half_up(38597363079105398474523661669562635951089994888546854679819028002637709879978_u256, 3) ==
        115792089237316195423570985008687907853269984665640564039457_u256);
  CHECK(wad_mul_half_up(38597363079105398474523661669562635951089994888546854679819028002637709879979_u256, 3) ==
        kReverts);
  // The guard counts the half: MAX * 1 itself fits in 256 bits, yet the contract reverts.
  CHECK(wad_mul_half_up(kMax, 1) == kReverts);
}

TEST_CASE("fixed_point: ray_mul_half_up (Aave rayMul)") {
  CHECK(ray_mul_half_up(kHalfRay, 1) == U256{1});
  CHECK(ray_mul_half_up(kHalfRay - 1, 1) == U256{0});
  CHECK(ray_mul_half_up(kRay, kRay) == kRay);
  // A liquidity index times a scaled balance (cast).
  CHECK(ray_mul_half_up(1034567890123456789012345678_u256, 123456789012345678901_u256) ==
        127724429729919231724_u256);
  CHECK(ray_mul_half_up(kMax - kHalfRay, 1) == 115792089237316195423570985008687907853269984665640_u256);  // cast
  CHECK(ray_mul_half_up(kMax - kHalfRay + 1, 1) == kReverts);
  CHECK(ray_mul_half_up(115792089237316195423570985008687907853269984665640_u256, kRay) ==
        115792089237316195423570985008687907853269984665640_u256);  // cast
  CHECK(ray_mul_half_up(115792089237316195423570985008687907853269984665641_u256, kRay) == kReverts);
}

TEST_CASE("fixed_point: wad_div_half_up and ray_div_half_up (Aave wadDiv, rayDiv)") {
  CHECK(wad_div_half_up(1, kWad * 2) == U256{1});      // 0.5 rounds up
  CHECK(wad_div_half_up(1, kWad * 2 + 1) == U256{0});  // just below half
  CHECK(wad_div_half_up(1, 3) == U256{333'333'333'333'333'333ULL});
  CHECK(wad_div_half_up(2, 3) == U256{666'666'666'666'666'667ULL});
  CHECK(wad_div_half_up(0, 1) == U256{0});
  CHECK(wad_div_half_up(0, 0) == kReverts);
  CHECK(wad_div_half_up(kWad, 0) == kReverts);
  // Largest a for b = 1 is MAX / WAD; for b = MAX the guard allows only a <= (MAX - MAX/2) / WAD (cast).
  CHECK(wad_div_half_up(kMax / kWad, 1) ==
        115792089237316195423570985008687907853269984665640564039457000000000000000000_u256);
  CHECK(wad_div_half_up(kMax / kWad + 1, 1) == kReverts);
  CHECK(wad_div_half_up(57896044618658097711785492504343953926634992332820282019728_u256, kMax) == U256{0});
  CHECK(wad_div_half_up(57896044618658097711785492504343953926634992332820282019729_u256, kMax) == kReverts);

  CHECK(ray_div_half_up(1, kRay * 2) == U256{1});
  CHECK(ray_div_half_up(1, kRay * 2 + 1) == U256{0});
  CHECK(ray_div_half_up(123456789012345678901_u256, 1034567890123456789012345678_u256) ==
        119331742451056899853_u256);  // cast
  CHECK(ray_div_half_up(kMax / kRay, 1) ==
        115792089237316195423570985008687907853269984665640000000000000000000000000000_u256);  // cast
  CHECK(ray_div_half_up(kMax / kRay + 1, 1) == kReverts);
  CHECK(ray_div_half_up(kRay, 0) == kReverts);
}

TEST_CASE("fixed_point: ray_div_half_up_128 gives ray_div_half_up's quotient whenever it fits in 128 bits") {
  const auto same = [](uint128 a, uint128 b) {
    uint128 q = 0;
    const bool narrow = ray_div_half_up_128(a, b, q);
    const auto wide = ray_div_half_up(U256{static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(a >> 64), 0, 0},
                                      U256{static_cast<std::uint64_t>(b), static_cast<std::uint64_t>(b >> 64), 0, 0});
    const bool fits = wide && (wide->limbs[2] | wide->limbs[3]) == 0;
    if (narrow != fits) return false;
    return !narrow || from128(q) == *wide;
  };
  const uint128 max = ~static_cast<uint128>(0);
  uint128 q = 7;
  CHECK_FALSE(ray_div_half_up_128(1, 0, q));
  CHECK(ray_div_half_up_128(1, static_cast<uint128>(2'000'000'000'000'000'000ULL) * 1'000'000'000ULL, q));
  CHECK(q == 1);  // 0.5 rounds up
  CHECK(ray_div_half_up_128(1, static_cast<uint128>(2'000'000'000'000'000'000ULL) * 1'000'000'000ULL + 1, q));
  CHECK(q == 0);  // just below half
  CHECK(same(max, max));
  CHECK(same(max, 1));           // the quotient needs 218 bits: refused by the narrow path, not by rayDiv
  CHECK_FALSE(ray_div_half_up_128(max, 1, q));
  // Around the 128-bit quotient boundary for b = RAY: a = 2^128 - 1 gives a quotient of exactly a.
  const uint128 ray = static_cast<uint128>(1'000'000'000'000'000'000ULL) * 1'000'000'000ULL;
  CHECK(same(max, ray));
  CHECK(same(max, ray - 1));
  CHECK(same(max - 1, ray - 1));
  // Random operands over every size of dividend and divisor (xorshift; fixed seed).
  test::Xorshift64 next{88172645463325252ULL};
  for (int i = 0; i < 20'000; ++i) {
    const uint128 a = ((static_cast<uint128>(next()) << 64) | next()) >> (next() % 128);
    const uint128 b = ((static_cast<uint128>(next()) << 64) | next()) >> (next() % 128);
    if (!same(a, b)) FAIL("ray_div_half_up_128 differs at iteration " << i);
  }
}

TEST_CASE("fixed_point: ray_to_wad_half_up and wad_to_ray (Aave rayToWad, wadToRay)") {
  CHECK(ray_to_wad_half_up(500'000'000) == U256{1});
  CHECK(ray_to_wad_half_up(499'999'999) == U256{0});
  CHECK(ray_to_wad_half_up(1'234'567'891'500'000'000ULL) == U256{1'234'567'892});  // cast
  CHECK(ray_to_wad_half_up(1'234'567'891'499'999'999ULL) == U256{1'234'567'891});  // cast
  // MAX ends in ...913129639935: remainder 129639935 < 0.5e9 rounds down (cast).
  CHECK(ray_to_wad_half_up(kMax) == 115792089237316195423570985008687907853269984665640564039457584007913_u256);

  CHECK(wad_to_ray(1) == U256{1'000'000'000});
  CHECK(wad_to_ray(kMax / kWadRayRatio) ==
        115792089237316195423570985008687907853269984665640564039457584007913000000000_u256);  // cast
  CHECK(wad_to_ray(kMax / kWadRayRatio + 1) == kReverts);
}

TEST_CASE("fixed_point: bps_mul_half_up and bps_div_half_up (Aave percentMul, percentDiv)") {
  CHECK(bps_mul_half_up(10'000, 5'000) == U256{5'000});
  CHECK(bps_mul_half_up(1, 5'000) == U256{1});  // 0.5 rounds up
  CHECK(bps_mul_half_up(1, 4'999) == U256{0});
  CHECK(bps_mul_half_up(123'456'789, 8'250) == U256{101'851'851});  // 82.50% (cast)
  CHECK(bps_mul_half_up(kMax, 0) == U256{0});
  CHECK(bps_mul_half_up(kMax - kHalfBps, 1) ==
        11579208923731619542357098500868790785326998466564056403945758400791312963_u256);  // cast
  CHECK(bps_mul_half_up(kMax - kHalfBps + 1, 1) == kReverts);

  CHECK(bps_div_half_up(1, 20'000) == U256{1});  // 0.5 rounds up
  CHECK(bps_div_half_up(1, 20'001) == U256{0});
  CHECK(bps_div_half_up(123'456'789, 8'250) == U256{149'644'593});  // cast
  CHECK(bps_div_half_up(1, 0) == kReverts);
  CHECK(bps_div_half_up(kMax / kBpsScale, 1) ==
        115792089237316195423570985008687907853269984665640564039457584007913129630000_u256);  // cast
  CHECK(bps_div_half_up(kMax / kBpsScale + 1, 1) == kReverts);
}

TEST_CASE("fixed_point: checked_mul_div_down/up (Morpho mulDivDown, mulDivUp) revert where the 256-bit product does") {
  const U256 two_128 = U256{1} << 128;
  CHECK(checked_mul_div_down(7, 1, 2) == U256{3});
  CHECK(checked_mul_div_up(7, 1, 2) == U256{4});
  CHECK(checked_mul_div_up(6, 1, 2) == U256{3});
  CHECK(checked_mul_div_up(0, 0, 1) == U256{0});
  CHECK(checked_mul_div_down(1, 1, 0) == kReverts);
  CHECK(checked_mul_div_up(0, 0, 0) == kReverts);  // d - 1 underflows before anything is multiplied
  // (2^128 - 1)(2^128 + 1) = 2^256 - 1 fits; 2^128 * 2^128 does not, although the quotient by 2^128 would (cast).
  CHECK(checked_mul_div_down(two_128 - 1, two_128 + 1, 1) == kMax);
  CHECK(checked_mul_div_down(two_128, two_128, two_128) == kReverts);
  CHECK(mul_div_down(two_128, two_128, two_128) == two_128);  // the 512-bit version in u256.hpp does not revert
  // MAX / 2 rounded up fits, but MAX + (2 - 1) overflows first (cast).
  CHECK(checked_mul_div_up(kMax, 1, 2) == kReverts);
  CHECK(checked_mul_div_up(kMax - 1, 1, 2) ==
        57896044618658097711785492504343953926634992332820282019728792003956564819967_u256);
}

TEST_CASE("fixed_point: checked_mul_div_down/up by an invariant divisor equal them by the same U256 divisor") {
  test::Xorshift64 next{0xD1B54A32D192ED03ULL};
  // Operands of every size up to 256 bits (the native path needs both below 2^128), divisors up to 128 bits.
  const auto operand = [&] { return U256{next(), next(), next(), next()} >> static_cast<unsigned>(next() % 257); };
  int native = 0;
  for (int i = 0; i < 40'000; ++i) {
    const U256 x = operand(), y = operand();
    U256 d = U256{next(), next(), 0, 0} >> static_cast<unsigned>(next() % 128);
    if (d.is_zero()) d = U256{1};
    const InvariantDivisor128 invariant{to128(d)};
    native += x.bit_length() <= 128 && y.bit_length() <= 128 ? 1 : 0;
    if (checked_mul_div_down(x, y, invariant) != checked_mul_div_down(x, y, d) ||
        checked_mul_div_up(x, y, invariant) != checked_mul_div_up(x, y, d))
      FAIL("differs at iteration " << i << ": " << x.to_dec() << " * " << y.to_dec() << " / " << d.to_dec());
  }
  CHECK(native > 5'000);
  // ORACLE_PRICE_SCALE, as Morpho divides by it: a quotient just below and at 2^128, and a product past 2^256.
  const U256 scale = U256{kWad} * U256{kWad};
  const InvariantDivisor128 oracle_scale{to128(scale)};
  const U256 two_128 = U256{1} << 128;
  CHECK(checked_mul_div_down(two_128 - 1, scale, oracle_scale) == two_128 - 1);
  CHECK(checked_mul_div_up(two_128 - 1, scale + 1, oracle_scale) == checked_mul_div_up(two_128 - 1, scale + 1, scale));
  CHECK(checked_mul_div_down(kMax, 2, oracle_scale) == kReverts);
}

TEST_CASE("fixed_point: wad_mul_down, wad_div_down, wad_div_up (Morpho wMulDown, wDivDown, wDivUp)") {
  CHECK(wad_mul_down(1, kWad - 1) == U256{0});
  CHECK(wad_mul_down(kWad, kWad) == kWad);
  CHECK(wad_mul_down(kMax, 1) == kMax / kWad);
  CHECK(wad_mul_down(kMax, 2) == kReverts);
  CHECK(wad_div_down(1, 3) == U256{333'333'333'333'333'333ULL});
  CHECK(wad_div_up(1, 3) == U256{333'333'333'333'333'334ULL});
  CHECK(wad_div_up(3, 3) == kWad);
  CHECK(wad_div_down(1, 0) == kReverts);
  CHECK(wad_div_up(1, 0) == kReverts);
  CHECK(wad_div_down(kMax / kWad, 1) ==
        115792089237316195423570985008687907853269984665640564039457000000000000000000_u256);  // cast
  CHECK(wad_div_down(kMax / kWad + 1, 1) == kReverts);
  // wDivUp(x, 3) needs x * WAD + 2 <= MAX (cast).
  CHECK(wad_div_up((kMax - 2) / kWad, 3) ==
        38597363079105398474523661669562635951089994888546854679819000000000000000000_u256);
  CHECK(wad_div_up((kMax - 2) / kWad + 1, 3) == kReverts);
}

TEST_CASE("fixed_point: wad_mul_down of 128-bit operands equals the 512-bit mul_div_down by WAD") {
  // The native path (both operands below 2^128) against the general one, on every operand size and the edges.
  const auto same = [](const U256& x, const U256& y) { return wad_mul_down(x, y) == mul_div_down(x, y, kWad); };
  const U256 max128 = (U256{1} << 128) - U256{1};
  CHECK(same(max128, max128));
  CHECK(same(max128, kWad));
  CHECK(same(max128, kWad - U256{1}));
  CHECK(same(kWad - U256{1}, U256{1}));
  CHECK(same(U256{0}, max128));
  test::Xorshift64 next{0x9FB21C651E98DF25ULL};
  for (int i = 0; i < 100'000; ++i) {
    const auto random = [&] { return from128(((uint128{next()} << 64) | next()) >> (next() % 128)); };
    const U256 x = random(), y = i % 2 == 0 ? random() : kWad * U256{next() % 3} + random() % kWad;
    if (!same(x, y)) FAIL("wad_mul_down differs at iteration " << i);
  }
}

TEST_CASE("fixed_point: wad_taylor_compounded (Morpho wTaylorCompounded)") {
  CHECK(wad_taylor_compounded(0, 1'000'000) == U256{0});
  CHECK(wad_taylor_compounded(kWad, 0) == U256{0});
  // 1 wad: 1 + 1/2 + 1/6 = 1.666... wad, each term rounded down.
  CHECK(wad_taylor_compounded(kWad, 1) == U256{1'666'666'666'666'666'666ULL});
  // A 5% APR per-second rate over a year: e^0.05 - 1 ~ 0.05127 (cast).
  CHECK(wad_taylor_compounded(1'585'489'599, 31'536'000) == U256{51'270'833'327'093'113ULL});
  // The third term t^2/2 * t overflows first: the largest t where it does not, and the next (cast).
  CHECK(wad_taylor_compounded(61409603769848963534992179338008_u256, 1) ==
        38597363079107284044241246654988388999988456044626929912737_u256);
  CHECK(wad_taylor_compounded(61409603769848963534992179338009_u256, 1) == kReverts);
  CHECK(wad_taylor_compounded((U256{1} << 128) - 1, 1) == kReverts);  // cast
  CHECK(wad_taylor_compounded(kMax, 2) == kReverts);                  // x * n itself overflows
}

TEST_CASE("fixed_point: share conversions with virtual shares (Morpho SharesMathLib)") {
  // An empty market converts at 1e6 shares per asset.
  CHECK(to_shares_down(1, 0, 0) == U256{1'000'000});
  CHECK(to_assets_down(1'000'000, 0, 0) == U256{1});
  CHECK(to_assets_down(1, 0, 0) == U256{0});
  CHECK(to_assets_up(1, 0, 0) == U256{1});
  CHECK(to_shares_up(0, 0, 0) == U256{0});
  // A market with 123456.789... assets and 1.2e29 shares (cast).
  CHECK(to_assets_down(1'000'000'000'000'000'000'000'000_u256, 123456789012345678901234_u256,
                       120000000000000000000000000000_u256) == U256{1'028'806'575'102'880'657ULL});
  CHECK(to_assets_up(1'000'000'000'000'000'000'000'000_u256, 123456789012345678901234_u256,
                     120000000000000000000000000000_u256) == U256{1'028'806'575'102'880'658ULL});
  // Totals plus their virtual amounts are checked additions (cast).
  CHECK(to_shares_up(1, 0, kMax - kVirtualShares) == kMax);
  CHECK(to_shares_up(1, 0, kMax - kVirtualShares + 1) == kReverts);
  CHECK(to_shares_down(1, kMax - 1, 0) == U256{0});
  CHECK(to_shares_down(1, kMax, 0) == kReverts);
  CHECK(to_assets_down(1, kMax, 0) == kReverts);
  CHECK(to_assets_up(1, 0, kMax) == kReverts);
}

TEST_CASE("fixed_point: share conversions equal SharesMathLib's formula, written out, on random operands") {
  // The formula with the contract's checks and nothing else: checked additions, the 256-bit product checked, an
  // exact division. The conversions take native 128-bit paths when they can; they must give the same answer.
  const auto formula = [](const U256& amount, const U256& numerator_total, const U256& numerator_virtual,
                          const U256& denominator_total, const U256& denominator_virtual,
                          bool up) -> std::optional<U256> {
    const auto numerator = checked_add(numerator_total, numerator_virtual);
    const auto denominator = checked_add(denominator_total, denominator_virtual);
    if (!numerator || !denominator) return std::nullopt;
    const U512 product = mul_full(amount, *numerator);
    if ((product.limbs[4] | product.limbs[5] | product.limbs[6] | product.limbs[7]) != 0) return std::nullopt;
    const U256 low{product.limbs[0], product.limbs[1], product.limbs[2], product.limbs[3]};
    if (!up) return low / *denominator;
    const auto rounded = checked_add(low, *denominator - U256{1});
    if (!rounded) return std::nullopt;
    return *rounded / *denominator;
  };
  test::Xorshift64 next{0x9E3779B97F4A7C15ULL};
  // Every size up to 256 bits, with extra weight on the 128-bit boundary (where the native path must step aside).
  const auto operand = [&] {
    const U256 full{next(), next(), next(), next()};
    switch (next() % 4) {
      case 0: return (U256{1} << 128) - U256{next() % 2'000'000};
      case 1: return full >> static_cast<unsigned>(128 + next() % 129);
      default: return full >> static_cast<unsigned>(next() % 257);
    }
  };
  int narrow = 0;
  for (int i = 0; i < 40'000; ++i) {
    const U256 amount = operand(), assets = operand(), shares = operand();
    const bool fit = amount.bit_length() <= 128 && assets.bit_length() <= 128 && shares.bit_length() <= 128;
    narrow += fit ? 1 : 0;
    const auto to_shares = [&](bool up) { return formula(amount, shares, kVirtualShares, assets, kVirtualAssets, up); };
    const auto to_assets = [&](bool up) { return formula(amount, assets, kVirtualAssets, shares, kVirtualShares, up); };
    if (to_shares_down(amount, assets, shares) != to_shares(false) ||
        to_shares_up(amount, assets, shares) != to_shares(true) ||
        to_assets_down(amount, assets, shares) != to_assets(false) ||
        to_assets_up(amount, assets, shares) != to_assets(true))
      FAIL("share conversion differs at iteration " << i << ": " << amount.to_dec() << " " << assets.to_dec() << " "
                                                    << shares.to_dec());
  }
  CHECK(narrow > 5'000);  // the native path was exercised
}

TEST_CASE("fixed_point: saturating_sub (Morpho zeroFloorSub)") {
  CHECK(saturating_sub(5, 3) == U256{2});
  CHECK(saturating_sub(3, 5) == U256{0});
  CHECK(saturating_sub(kMax, 0) == kMax);
  CHECK(saturating_sub(0, kMax) == U256{0});
  CHECK(saturating_sub(7, 7) == U256{0});
}

namespace {
const uint128 kRay128 = to128(kRay);
const uint128 kMax128 = ~uint128{0};
}  // namespace

TEST_CASE("ray_mul_half_up_128 and bps_mul_half_up_128: the U256 functions' results whenever they fit") {
  const auto same_ray = [](uint128 a, uint128 b) {
    const auto wide = ray_mul_half_up(from128(a), from128(b));
    uint128 q = 0;
    const bool narrow = ray_mul_half_up_128(a, b, q);
    return narrow == (wide && fits128(*wide)) && (!narrow || q == to128(*wide));
  };
  const auto same_bps = [](uint128 value, std::uint64_t bps) {
    const auto wide = bps_mul_half_up(from128(value), U256{bps});
    uint128 q = 0;
    const bool narrow = bps_mul_half_up_128(value, bps, q);
    return narrow == (wide && fits128(*wide)) && (!narrow || q == to128(*wide));
  };
  uint128 q = 0;
  // Half up: 0.5 RAY x 1 rounds to 1, just below rounds to 0; 5,000 bps of 1 is 0.5: 1; of 3 is 1.5: 2.
  CHECK(ray_mul_half_up_128(kRay128 / 2, 1, q));
  CHECK(q == 1);
  CHECK(ray_mul_half_up_128(kRay128 / 2 - 1, 1, q));
  CHECK(q == 0);
  CHECK(bps_mul_half_up_128(1, 5'000, q));
  CHECK(q == 1);
  CHECK(bps_mul_half_up_128(3, 5'000, q));
  CHECK(q == 2);
  CHECK(bps_mul_half_up_128(kMax128, 10'000, q));
  CHECK(q == kMax128);
  CHECK_FALSE(bps_mul_half_up_128(kMax128, 10'001, q));  // 2^128 x 1.0001 leaves 128 bits
  CHECK(same_ray(kMax128, kRay128));
  CHECK(same_ray(kMax128, kRay128 + 1));
  CHECK(same_ray(kMax128, kMax128));
  test::Xorshift64 next{0xDA942042E4DD58B5ULL};
  const auto random128 = [&] { return ((uint128{next()} << 64) | next()) >> (next() % 128); };
  int fitted = 0;
  for (int i = 0; i < 200'000; ++i) {
    const uint128 a = random128(), b = i % 2 == 0 ? kRay128 + random128() % (3 * kRay128) : random128();
    uint128 unused;
    fitted += ray_mul_half_up_128(a, b, unused) ? 1 : 0;
    if (!same_ray(a, b)) FAIL("ray_mul differs at iteration " << i);
    const std::uint64_t bps = i % 3 == 0 ? next() % 10'001 : next() >> (next() % 64);
    if (!same_bps(a, bps)) FAIL("bps_mul differs at iteration " << i);
  }
  CHECK(fitted > 100'000);
}
