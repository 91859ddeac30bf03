#pragma once
/// Fixed-point arithmetic on 256-bit integers, bit-exact with the Solidity libraries lending protocols use, so
/// that health factors, interest and share conversions computed off chain equal the chain's to the last wei.
///
/// Units: WAD = 1e18 (18-decimal fixed point), RAY = 1e27 (27 decimals), bps = basis points, 1e4 = 100.00%.
/// Every function that can revert on chain returns std::optional: nullopt exactly when the contract reverts
/// (overflow check, Solidity 0.8 checked arithmetic panic or division by zero), never for any other input.
///
/// Two rounding families exist on chain and are not interchangeable:
///  - "half up" (Aave v3 WadRayMath / PercentageMath, aave-v3-core 1.19.3): adds half the divisor before dividing.
///    The overflow guards are written in assembly and reject a little more than a true 256-bit overflow would
///    (the half term counts), which is reproduced here.
///  - "down"/"up" (Morpho Blue MathLib / SharesMathLib, morpho-blue 1.0.0): Solidity checked arithmetic, so the
///    256-bit product x * y itself must not overflow. This differs from `mul_div_down`/`mul_div_up` in
///    chain/u256.hpp, which use a 512-bit intermediate and succeed where Morpho reverts.

#include "chain/invariant_divisor.hpp"
#include "chain/u256.hpp"

#include <optional>

namespace sluice {

inline constexpr U256 kWad{1'000'000'000'000'000'000ULL};  ///< 1e18
/// WAD as an invariant divisor built at compile time (its normalizing shift a constant).
inline constexpr InvariantDivisor128 kWadDivisor{1'000'000'000'000'000'000ULL};
inline constexpr U256 kHalfWad{500'000'000'000'000'000ULL};
inline constexpr U256 kWadRayRatio{1'000'000'000ULL};  ///< 1e9: RAY / WAD
inline constexpr U256 kRay = kWad * kWadRayRatio;      ///< 1e27
inline constexpr U256 kHalfRay = kRay >> 1;
inline constexpr U256 kBpsScale{10'000ULL};            ///< Aave PERCENTAGE_FACTOR: 1e4 bps = 100.00%
inline constexpr U256 kHalfBps{5'000ULL};

// ---------------------------------------------------------------------------------------------------------------
// Half-up rounding (Aave v3)
// ---------------------------------------------------------------------------------------------------------------

/// (a * b + HALF_WAD) / WAD for two wads: Aave WadRayMath.wadMul.
/// Reverts (nullopt) iff b != 0 and a > (2^256 - 1 - HALF_WAD) / b, i.e. iff a * b + HALF_WAD overflows.
std::optional<U256> wad_mul_half_up(const U256& a, const U256& b) noexcept;

/// (a * WAD + b / 2) / b for two wads, a / b rounded half up: Aave WadRayMath.wadDiv.
/// Reverts (nullopt) iff b == 0 or a > (2^256 - 1 - b / 2) / WAD.
std::optional<U256> wad_div_half_up(const U256& a, const U256& b) noexcept;

/// (a * b + HALF_RAY) / RAY for two rays: Aave WadRayMath.rayMul.
/// Reverts (nullopt) iff b != 0 and a > (2^256 - 1 - HALF_RAY) / b.
std::optional<U256> ray_mul_half_up(const U256& a, const U256& b) noexcept;

/// (a * RAY + b / 2) / b for two rays: Aave WadRayMath.rayDiv.
/// Reverts (nullopt) iff b == 0 or a > (2^256 - 1 - b / 2) / RAY.
std::optional<U256> ray_div_half_up(const U256& a, const U256& b) noexcept;

/// ray_div_half_up on 128-bit operands (balances against an index), in native 128-bit halves: true with the same
/// quotient whenever that quotient fits in 128 bits (then a * RAY + b / 2 < 2^256 and the guard cannot fire);
/// false when b == 0 or the quotient needs more than 128 bits.
bool ray_div_half_up_128(uint128 a, uint128 b, uint128& quotient) noexcept;
/// ray_mul_half_up on 128-bit operands (a balance by an index): true with the same product whenever it fits in
/// 128 bits (the guard cannot fire then), false otherwise. By RAY as a compile-time InvariantDivisor128: no
/// hardware division.
bool ray_mul_half_up_128(uint128 a, uint128 b, uint128& product) noexcept;
/// bps_mul_half_up (PercentageMath.percentMul) of a 128-bit value by `bps`: true with the same result whenever it
/// fits in 128 bits (always for bps <= 10,000), false otherwise.
bool bps_mul_half_up_128(uint128 value, std::uint64_t bps, uint128& product) noexcept;

/// A ray converted to a wad, a remainder of 0.5e9 or more rounding up: Aave WadRayMath.rayToWad. Never reverts.
U256 ray_to_wad_half_up(const U256& a) noexcept;

/// A wad converted to a ray (a * 1e9): Aave WadRayMath.wadToRay. Reverts (nullopt) iff a * 1e9 overflows.
std::optional<U256> wad_to_ray(const U256& a) noexcept;

/// (value * bps + 5000) / 1e4, i.e. `value` times a percentage in bps: Aave PercentageMath.percentMul.
/// Reverts (nullopt) iff bps != 0 and value > (2^256 - 1 - 5000) / bps.
std::optional<U256> bps_mul_half_up(const U256& value, const U256& bps) noexcept;

/// (value * 1e4 + bps / 2) / bps, i.e. `value` divided by a percentage in bps: Aave PercentageMath.percentDiv.
/// Reverts (nullopt) iff bps == 0 or value > (2^256 - 1 - bps / 2) / 1e4.
std::optional<U256> bps_div_half_up(const U256& value, const U256& bps) noexcept;

// ---------------------------------------------------------------------------------------------------------------
// Directed rounding with Solidity checked arithmetic (Morpho Blue)
// ---------------------------------------------------------------------------------------------------------------

/// floor(x * y / d) where x * y must fit in 256 bits: Morpho MathLib.mulDivDown.
/// Reverts (nullopt) iff x * y overflows or d == 0.
std::optional<U256> checked_mul_div_down(const U256& x, const U256& y, const U256& d) noexcept;

/// (x * y + (d - 1)) / d, i.e. ceil(x * y / d) where x * y + d - 1 must fit in 256 bits: Morpho MathLib.mulDivUp.
/// Reverts (nullopt) iff d == 0, x * y overflows, or x * y + (d - 1) overflows.
std::optional<U256> checked_mul_div_up(const U256& x, const U256& y, const U256& d) noexcept;

/// The same two with a divisor fixed in advance (ORACLE_PRICE_SCALE, say): the same results, without a hardware
/// division when x and y fit in 128 bits.
std::optional<U256> checked_mul_div_down(const U256& x, const U256& y, const InvariantDivisor128& d) noexcept;
std::optional<U256> checked_mul_div_up(const U256& x, const U256& y, const InvariantDivisor128& d) noexcept;

/// floor(x * y / WAD) for two wads: Morpho MathLib.wMulDown. Reverts iff x * y overflows.
std::optional<U256> wad_mul_down(const U256& x, const U256& y) noexcept;

/// floor(x * WAD / y) for two wads: Morpho MathLib.wDivDown. Reverts iff y == 0 or x * WAD overflows.
std::optional<U256> wad_div_down(const U256& x, const U256& y) noexcept;

/// ceil(x * WAD / y) for two wads: Morpho MathLib.wDivUp. Reverts iff y == 0 or x * WAD + y - 1 overflows.
std::optional<U256> wad_div_up(const U256& x, const U256& y) noexcept;

/// e^(x*n) - 1 in wad, approximated by the first three Taylor terms t + t^2/2 + t^3/6 with t = x * n (each
/// term rounded down): Morpho MathLib.wTaylorCompounded, used to compound a per-second borrow rate `x` (wad)
/// over `n` seconds. Reverts (nullopt) iff x * n, t * t, (t^2/2) * t or the final sum overflows.
std::optional<U256> wad_taylor_compounded(const U256& x, const U256& n) noexcept;

/// Virtual shares and assets added to the totals of every share conversion, against share-price manipulation
/// (OpenZeppelin's ERC-4626 inflation-attack mitigation): Morpho SharesMathLib.VIRTUAL_SHARES / VIRTUAL_ASSETS.
inline constexpr U256 kVirtualShares{1'000'000ULL};
inline constexpr U256 kVirtualAssets{1ULL};

/// assets * (total_shares + 1e6) / (total_assets + 1), rounded down: Morpho SharesMathLib.toSharesDown.
/// Reverts (nullopt) iff a total plus its virtual amount or the product overflows.
std::optional<U256> to_shares_down(const U256& assets, const U256& total_assets, const U256& total_shares) noexcept;
/// As to_shares_down, rounded up: Morpho SharesMathLib.toSharesUp.
std::optional<U256> to_shares_up(const U256& assets, const U256& total_assets, const U256& total_shares) noexcept;
/// shares * (total_assets + 1) / (total_shares + 1e6), rounded down: Morpho SharesMathLib.toAssetsDown.
std::optional<U256> to_assets_down(const U256& shares, const U256& total_assets, const U256& total_shares) noexcept;
/// As to_assets_down, rounded up: Morpho SharesMathLib.toAssetsUp.
std::optional<U256> to_assets_up(const U256& shares, const U256& total_assets, const U256& total_shares) noexcept;

/// max(0, x - y): Morpho UtilsLib.zeroFloorSub. Never reverts.
constexpr U256 saturating_sub(const U256& x, const U256& y) noexcept { return x > y ? x - y : U256{}; }

}  // namespace sluice
