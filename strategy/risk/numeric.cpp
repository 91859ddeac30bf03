#include "strategy/risk/numeric.hpp"

#include "chain/u256_pow10.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <utility>

namespace sluice::risk {

namespace {
constexpr std::size_t kWideLimbs = 16;  // 1024 bits: room for four 256-bit factors
using Wide = std::array<std::uint64_t, kWideLimbs>;

/// Product of the factors, multiplying only significant limbs (realistic reserves use one or two of four) and
/// ping-ponging between two buffers, clearing only the limbs a step writes.
Wide product(std::initializer_list<U256> factors) noexcept {
  Wide buffers[2];  // left uninitialized on purpose: only limbs below `len` are ever read
  Wide* acc = &buffers[0];
  Wide* next = &buffers[1];
  (*acc)[0] = 1;
  std::size_t len = 1;  // limbs of *acc in use
  for (const U256& f : factors) {
    std::size_t flen = 4;
    while (flen > 0 && f.limbs[flen - 1] == 0) --flen;
    if (flen == 0) return Wide{};
    for (std::size_t k = 0; k < len + flen; ++k) (*next)[k] = 0;
    for (std::size_t i = 0; i < len; ++i) {
      std::uint64_t carry = 0;
      for (std::size_t j = 0; j < flen; ++j) {
        const uint128 p = static_cast<uint128>((*acc)[i]) * f.limbs[j] + (*next)[i + j] + carry;
        (*next)[i + j] = static_cast<std::uint64_t>(p);
        carry = static_cast<std::uint64_t>(p >> 64);
      }
      (*next)[i + flen] = carry;  // i + flen < 16: at most four factors of four limbs
    }
    std::swap(acc, next);
    len += flen;
    while (len > 1 && (*acc)[len - 1] == 0) --len;
  }
  for (std::size_t k = len; k < kWideLimbs; ++k) (*acc)[k] = 0;
  return *acc;
}
}  // namespace

U256 mul_small(const U256& a, std::uint64_t b) noexcept {
  U256 r;
  std::uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    const uint128 p = static_cast<uint128>(a.limbs[i]) * b + carry;
    r.limbs[i] = static_cast<std::uint64_t>(p);
    carry = static_cast<std::uint64_t>(p >> 64);
  }
  return r;
}

double to_double(const U256& v) noexcept {
  // Sum from the most significant limb down: each partial sum is exact until the 53-bit mantissa fills up.
  // Zero high limbs add exact zeros: a value below 2^128 (nearly every amount) starts at its second limb.
  if ((v.limbs[2] | v.limbs[3]) == 0)
    return static_cast<double>(v.limbs[1]) * 18446744073709551616.0 + static_cast<double>(v.limbs[0]);
  double r = 0.0;
  for (int i = 3; i >= 0; --i) r = r * 18446744073709551616.0 + static_cast<double>(v.limbs[i]);
  return r;
}

long double to_long_double(const U256& v) noexcept {
  long double r = 0.0L;
  for (int i = 3; i >= 0; --i) r = r * 18446744073709551616.0L + static_cast<long double>(v.limbs[i]);
  return r;
}

double to_units(const U256& v, unsigned decimals) noexcept {
  // 10^0 .. 10^22 are exact doubles, the very values std::pow returns for them (no call on the hot paths).
  static constexpr auto kExactPow10 = [] {
    std::array<double, 23> t{};
    double p = 1.0;
    for (auto& x : t) x = p, p *= 10.0;
    return t;
  }();
  const double scale =
      decimals < kExactPow10.size() ? kExactPow10[decimals] : std::pow(10.0, static_cast<double>(decimals));
  return to_double(v) / scale;
}

std::optional<U256> from_long_double(long double x) noexcept {
  if (!(x >= 0.0L) || x >= 0x1p256L) return std::nullopt;  // also rejects NaN
  x = std::floor(x);
  U256 r;
  for (int i = 3; i >= 0; --i) {
    const long double scale = std::ldexp(1.0L, 64 * i);
    const long double limb = std::floor(x / scale);
    r.limbs[i] = static_cast<std::uint64_t>(limb);
    x -= limb * scale;
  }
  return r;
}

std::optional<U256> from_double(double x) noexcept { return from_long_double(x); }

int compare_products(std::initializer_list<U256> lhs, std::initializer_list<U256> rhs) noexcept {
  if (lhs.size() > 4 || rhs.size() > 4) return 0;
  // Two factors a side, all below 2^128 (amounts against a price, a bonus or a scale): each product is one
  // 128 x 128 -> 256-bit multiplication, compared half by half.
  if (lhs.size() == 2 && rhs.size() == 2 &&
      std::all_of(lhs.begin(), lhs.end(), [](const U256& f) { return fits128(f); }) &&
      std::all_of(rhs.begin(), rhs.end(), [](const U256& f) { return fits128(f); })) {
    const Wide128 a = mul_wide_128(to128(lhs.begin()[0]), to128(lhs.begin()[1]));
    const Wide128 b = mul_wide_128(to128(rhs.begin()[0]), to128(rhs.begin()[1]));
    if (a.hi != b.hi) return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo) return a.lo < b.lo ? -1 : 1;
    return 0;
  }
  const Wide a = product(lhs), b = product(rhs);
  for (std::size_t i = kWideLimbs; i-- > 0;)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

}  // namespace sluice::risk
