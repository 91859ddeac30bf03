#include "strategy/risk/numeric.hpp"

#include <array>
#include <cmath>
#include <cstdint>

namespace sluice::risk {

namespace {
constexpr std::size_t kWideLimbs = 16;  // 1024 bits: room for four 256-bit factors
using Wide = std::array<std::uint64_t, kWideLimbs>;

/// Product of the factors, multiplying only significant limbs (realistic reserves use two or three of four).
Wide product(std::initializer_list<U256> factors) noexcept {
  Wide acc{};
  acc[0] = 1;
  std::size_t len = 1;  // significant limbs of acc (upper bound)
  for (const U256& f : factors) {
    std::size_t flen = 4;
    while (flen > 0 && f.limbs[flen - 1] == 0) --flen;
    if (flen == 0) return Wide{};
    Wide next{};
    for (std::size_t i = 0; i < len; ++i) {
      std::uint64_t carry = 0;
      for (std::size_t j = 0; j < flen; ++j) {
        const uint128 p = static_cast<uint128>(acc[i]) * f.limbs[j] + next[i + j] + carry;
        next[i + j] = static_cast<std::uint64_t>(p);
        carry = static_cast<std::uint64_t>(p >> 64);
      }
      next[i + flen] = carry;  // i + flen < 16: at most four factors of four limbs
    }
    acc = next;
    len += flen;
  }
  return acc;
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
  double r = 0.0;
  for (int i = 3; i >= 0; --i) r = r * 18446744073709551616.0 + static_cast<double>(v.limbs[i]);
  return r;
}

double to_units(const U256& v, unsigned decimals) noexcept {
  return to_double(v) / std::pow(10.0, static_cast<double>(decimals));
}

std::optional<U256> from_double(double x) noexcept {
  if (!(x >= 0.0) || x >= 0x1p256) return std::nullopt;  // also rejects NaN
  x = std::floor(x);
  U256 r;
  for (int i = 3; i >= 0; --i) {
    const double scale = std::ldexp(1.0, 64 * i);
    const double limb = std::floor(x / scale);
    r.limbs[i] = static_cast<std::uint64_t>(limb);
    x -= limb * scale;
  }
  return r;
}

int compare_products(std::initializer_list<U256> lhs, std::initializer_list<U256> rhs) noexcept {
  if (lhs.size() > 4 || rhs.size() > 4) return 0;
  const Wide a = product(lhs), b = product(rhs);
  for (std::size_t i = kWideLimbs; i-- > 0;)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

}  // namespace sluice::risk
