#include "chain/fixed_point.hpp"

#include "chain/mul_add_div_128.hpp"
#include "chain/u256_pow10.hpp"

namespace sluice {
namespace {

/// The low 256 bits of a product whose high half must be zero; nullopt if it is not.
std::optional<U256> low_half(const U512& p) noexcept {
  if ((p.limbs[4] | p.limbs[5] | p.limbs[6] | p.limbs[7]) != 0) return std::nullopt;
  return U256{p.limbs[0], p.limbs[1], p.limbs[2], p.limbs[3]};
}

/// RAY and 10,000 as invariant divisors, built at compile time (their normalizing shifts are constants; WAD's is
/// kWadDivisor).
constexpr uint128 kRay128 = uint128{1'000'000'000'000'000'000ULL} * 1'000'000'000ULL;
constexpr InvariantDivisor128 kRayDivisor{kRay128};
constexpr InvariantDivisor128 kBpsDivisor{10'000};

/// (x * y + addend) / d in native 128-bit halves when x, y, d and the addend fit in 128 bits and so does the
/// quotient (mul_add_div_128): the exact quotient.
std::optional<U256> narrow_mul_div(const U256& x, const U256& y, const U256& addend, const U256& d) noexcept {
  if (!fits128(x) || !fits128(y) || !fits128(d) || !fits128(addend)) return std::nullopt;
  uint128 q;
  if (!mul_add_div_128(to128(x), to128(y), to128(addend), to128(d), q)) return std::nullopt;
  return from128(q);
}

/// a * b when both fit in 128 bits (the common case of balances, indexes and prices): four limb products
/// instead of sixteen; the same value as mul_full.
U512 mul_wide(const U256& a, const U256& b) noexcept {
  if ((a.limbs[2] | a.limbs[3] | b.limbs[2] | b.limbs[3]) != 0) return mul_full(a, b);
  U512 r;
  const uint128 ll = static_cast<uint128>(a.limbs[0]) * b.limbs[0];
  const uint128 lh = static_cast<uint128>(a.limbs[0]) * b.limbs[1];
  const uint128 hl = static_cast<uint128>(a.limbs[1]) * b.limbs[0];
  const uint128 hh = static_cast<uint128>(a.limbs[1]) * b.limbs[1];
  r.limbs[0] = static_cast<std::uint64_t>(ll);
  const uint128 mid = (ll >> 64) + static_cast<std::uint64_t>(lh) + static_cast<std::uint64_t>(hl);
  r.limbs[1] = static_cast<std::uint64_t>(mid);
  const uint128 high = (mid >> 64) + (lh >> 64) + (hl >> 64) + static_cast<std::uint64_t>(hh);
  r.limbs[2] = static_cast<std::uint64_t>(high);
  r.limbs[3] = static_cast<std::uint64_t>((high >> 64) + (hh >> 64));
  return r;
}

/// (a * b + half) / scale with Aave's guard `b != 0 && a > (MAX - half) / b`. For b > 0 that guard holds exactly
/// when a * b > MAX - half (a > floor(M / b) <=> a * b > M for integers), so the product is checked directly
/// instead of paying for the guard's division.
/// `scale` is 10^scale_digits; the division by it is divmod_pow10's (no long division).
std::optional<U256> scaled_mul_half_up(const U256& a, const U256& b, unsigned scale_digits, const U256& half) noexcept {
  if (fits128(a) && fits128(b) && fits128(half))  // the sum stays below 2^256: no guard can fire
    return quotient_pow10(add_wide(mul_wide_128(to128(a), to128(b)), to128(half)), scale_digits);
  const auto product = low_half(mul_wide(a, b));
  if (!product || *product > U256::max() - half) return std::nullopt;
  return quotient_pow10(*product + half, scale_digits);
}

/// (a * scale + b / 2) / b with Aave's guard `b == 0 || a > (MAX - b / 2) / scale`, checked the same way.
std::optional<U256> scaled_div_half_up(const U256& a, const U256& b, const U256& scale) noexcept {
  if (b.is_zero()) return std::nullopt;
  const U256 half_b = b >> 1;
  if (auto narrow = narrow_mul_div(a, scale, half_b, b)) return narrow;
  const auto product = low_half(mul_wide(a, scale));
  if (!product || *product > U256::max() - half_b) return std::nullopt;
  return (*product + half_b) / b;
}

}  // namespace

std::optional<U256> wad_mul_half_up(const U256& a, const U256& b) noexcept {
  return scaled_mul_half_up(a, b, 18, kHalfWad);
}
std::optional<U256> wad_div_half_up(const U256& a, const U256& b) noexcept { return scaled_div_half_up(a, b, kWad); }
std::optional<U256> ray_mul_half_up(const U256& a, const U256& b) noexcept {
  return scaled_mul_half_up(a, b, 27, kHalfRay);
}
std::optional<U256> ray_div_half_up(const U256& a, const U256& b) noexcept { return scaled_div_half_up(a, b, kRay); }
bool ray_div_half_up_128(uint128 a, uint128 b, uint128& quotient) noexcept {
  return b != 0 && mul_add_div_128(a, to128(kRay), b >> 1, b, quotient);
}
bool ray_mul_half_up_128(uint128 a, uint128 b, uint128& product) noexcept {
  return mul_add_div_128(a, b, kRay128 / 2, kRayDivisor, product);
}
bool bps_mul_half_up_128(uint128 value, std::uint64_t bps, uint128& product) noexcept {
  return mul_add_div_128(value, bps, 5'000, kBpsDivisor, product);
}
std::optional<U256> bps_mul_half_up(const U256& value, const U256& bps) noexcept {
  return scaled_mul_half_up(value, bps, 4, kHalfBps);
}
std::optional<U256> bps_div_half_up(const U256& value, const U256& bps) noexcept {
  return scaled_div_half_up(value, bps, kBpsScale);
}

U256 ray_to_wad_half_up(const U256& a) noexcept {
  const DivResult qr = divmod_pow10(a, 9);
  // The quotient is at most MAX / 1e9, so adding one cannot wrap (the contract adds without a check).
  return qr.remainder >= (kWadRayRatio >> 1) ? qr.quotient + 1 : qr.quotient;
}

std::optional<U256> wad_to_ray(const U256& a) noexcept { return checked_mul(a, kWadRayRatio); }

std::optional<U256> checked_mul_div_down(const U256& x, const U256& y, const U256& d) noexcept {
  if (d.is_zero()) return std::nullopt;  // checked_div's revert
  if (auto narrow = narrow_mul_div(x, y, U256{}, d)) return narrow;
  const auto product = low_half(mul_wide(x, y));
  if (!product) return std::nullopt;
  return checked_div(*product, d);
}

std::optional<U256> checked_mul_div_up(const U256& x, const U256& y, const U256& d) noexcept {
  const auto d_minus_one = checked_sub(d, 1);  // d == 0 reverts here, with an underflow panic
  if (!d_minus_one) return std::nullopt;
  if (auto narrow = narrow_mul_div(x, y, *d_minus_one, d)) return narrow;
  const auto product = low_half(mul_wide(x, y));
  if (!product) return std::nullopt;
  const auto numerator = checked_add(*product, *d_minus_one);
  if (!numerator) return std::nullopt;
  return *numerator / d;
}

// The product of two 128-bit values plus d - 1 < 2^128 stays below 2^256: no check can fire on the native path.
std::optional<U256> checked_mul_div_down(const U256& x, const U256& y, const InvariantDivisor128& d) noexcept {
  uint128 q;
  if (fits128(x) && fits128(y) && mul_add_div_128(to128(x), to128(y), 0, d, q)) return from128(q);
  return checked_mul_div_down(x, y, from128(d.value()));
}
std::optional<U256> checked_mul_div_up(const U256& x, const U256& y, const InvariantDivisor128& d) noexcept {
  uint128 q;
  if (fits128(x) && fits128(y) && mul_add_div_128(to128(x), to128(y), d.value() - 1, d, q)) return from128(q);
  return checked_mul_div_up(x, y, from128(d.value()));
}

std::optional<U256> wad_mul_down(const U256& x, const U256& y) noexcept {
  // Both in 128 bits: the product cannot overflow, and its division by WAD needs no hardware division.
  uint128 q;
  if (fits128(x) && fits128(y) && mul_add_div_128(to128(x), to128(y), 0, kWadDivisor, q)) return from128(q);
  return checked_mul_div_down(x, y, kWad);
}
std::optional<U256> wad_div_down(const U256& x, const U256& y) noexcept { return checked_mul_div_down(x, kWad, y); }
std::optional<U256> wad_div_up(const U256& x, const U256& y) noexcept { return checked_mul_div_up(x, kWad, y); }

std::optional<U256> wad_taylor_compounded(const U256& x, const U256& n) noexcept {
  static constexpr U256 kTwoWad = kWad * 2, kThreeWad = kWad * 3;
  const auto first = checked_mul(x, n);
  if (!first) return std::nullopt;
  const auto second = checked_mul_div_down(*first, *first, kTwoWad);
  if (!second) return std::nullopt;
  const auto third = checked_mul_div_down(*second, *first, kThreeWad);
  if (!third) return std::nullopt;
  // Once the products fit (t < 2^128, so the sum stays far below 2^256) these additions cannot overflow, but the
  // contract checks them, and so do we.
  const auto partial = checked_add(*first, *second);
  if (!partial) return std::nullopt;
  return checked_add(*partial, *third);
}

namespace {

/// `amount` converted at the rate (numerator_total + numerator_virtual) / (denominator_total + denominator_virtual),
/// the shape shared by the four SharesMathLib conversions; both sums are checked additions on chain.
std::optional<U256> convert_with_virtual(const U256& amount, const U256& numerator_total,
                                         const U256& numerator_virtual, const U256& denominator_total,
                                         const U256& denominator_virtual, bool round_up) noexcept {
  // The common case in native halves: the amount and both sums in 128 bits (then neither checked addition can
  // overflow), the product below 2^256 and the quotient in 128 bits; the same value as the general path below.
  if (fits128(amount) && fits128(numerator_total) && fits128(denominator_total) && fits128(numerator_virtual) &&
      fits128(denominator_virtual)) {
    const uint128 numerator = to128(numerator_total) + to128(numerator_virtual);
    const uint128 denominator = to128(denominator_total) + to128(denominator_virtual);
    uint128 q;
    if (numerator >= to128(numerator_total) && denominator >= to128(denominator_total) && denominator != 0 &&
        mul_add_div_128(to128(amount), numerator, round_up ? denominator - 1 : 0, denominator, q))
      return from128(q);
  }
  const auto numerator = checked_add(numerator_total, numerator_virtual);
  if (!numerator) return std::nullopt;
  const auto denominator = checked_add(denominator_total, denominator_virtual);
  if (!denominator) return std::nullopt;
  return round_up ? checked_mul_div_up(amount, *numerator, *denominator)
                  : checked_mul_div_down(amount, *numerator, *denominator);
}

}  // namespace

std::optional<U256> to_shares_down(const U256& assets, const U256& total_assets, const U256& total_shares) noexcept {
  return convert_with_virtual(assets, total_shares, kVirtualShares, total_assets, kVirtualAssets, false);
}
std::optional<U256> to_shares_up(const U256& assets, const U256& total_assets, const U256& total_shares) noexcept {
  return convert_with_virtual(assets, total_shares, kVirtualShares, total_assets, kVirtualAssets, true);
}
std::optional<U256> to_assets_down(const U256& shares, const U256& total_assets, const U256& total_shares) noexcept {
  return convert_with_virtual(shares, total_assets, kVirtualAssets, total_shares, kVirtualShares, false);
}
std::optional<U256> to_assets_up(const U256& shares, const U256& total_assets, const U256& total_shares) noexcept {
  return convert_with_virtual(shares, total_assets, kVirtualAssets, total_shares, kVirtualShares, true);
}

}  // namespace sluice
