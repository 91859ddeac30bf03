#include "chain/u256.hpp"
#include "chain/div_2by1.hpp"
#include "chain/u256_pow10.hpp"

#include <algorithm>
#include <array>
#include <bit>

namespace sluice {

const char* describe(U256Error e) noexcept {
  switch (e) {
    case U256Error::empty: return "empty number";
    case U256Error::invalid_character: return "invalid digit in number";
    case U256Error::overflow: return "number does not fit in 256 bits";
  }
  return "unknown u256 error";
}

namespace {

/// (hi * 2^64 + lo) divided by d, for hi < d (the quotient fits in 64 bits): one hardware division on x86-64
/// instead of the generic 128-bit division routine.
inline void div_128_by_64(std::uint64_t hi, std::uint64_t lo, std::uint64_t d, std::uint64_t& q,
                          std::uint64_t& r) noexcept {
#if defined(__x86_64__)
  __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
#else
  const uint128 num = (static_cast<uint128>(hi) << 64) | lo;
  q = static_cast<std::uint64_t>(num / d);
  r = static_cast<std::uint64_t>(num % d);
#endif
}

/// Knuth's algorithm D (TAOCP 4.3.1) on 64-bit limbs. `u` has `m` limbs, `v` has `n` limbs with v[n-1] != 0,
/// m >= n. Writes m-n+1 quotient limbs to `q` and n remainder limbs to `r`.
void divide_limbs(const std::uint64_t* u, int m, const std::uint64_t* v, int n, std::uint64_t* q,
                  std::uint64_t* r) noexcept {
  if (n == 1) {
    std::uint64_t rem = 0;  // always below v[0]
    for (int i = m - 1; i >= 0; --i) div_128_by_64(rem, u[i], v[0], q[i], rem);
    r[0] = rem;
    return;
  }
  const int s = std::countl_zero(v[n - 1]);
  std::uint64_t vn[8];
  std::uint64_t un[9];
  for (int i = n - 1; i > 0; --i) vn[i] = (v[i] << s) | (s ? v[i - 1] >> (64 - s) : 0);
  vn[0] = v[0] << s;
  un[m] = s ? u[m - 1] >> (64 - s) : 0;
  for (int i = m - 1; i > 0; --i) un[i] = (u[i] << s) | (s ? u[i - 1] >> (64 - s) : 0);
  un[0] = u[0] << s;

  for (int j = m - n; j >= 0; --j) {
    const uint128 num = (static_cast<uint128>(un[j + n]) << 64) | un[j + n - 1];
    uint128 qhat, rhat;
    if (un[j + n] < vn[n - 1]) {
      std::uint64_t q64, r64;
      div_128_by_64(un[j + n], un[j + n - 1], vn[n - 1], q64, r64);
      qhat = q64;
      rhat = r64;
    } else {
      qhat = num / vn[n - 1];
      rhat = num % vn[n - 1];
    }
    while ((qhat >> 64) != 0 ||
           qhat * vn[n - 2] > ((rhat << 64) | un[j + n - 2])) {
      --qhat;
      rhat += vn[n - 1];
      if ((rhat >> 64) != 0) break;
    }
    // Multiply and subtract qhat * vn from un[j .. j+n].
    std::uint64_t borrow = 0;
    for (int i = 0; i < n; ++i) {
      const uint128 t = qhat * vn[i] + borrow;
      const auto t_lo = static_cast<std::uint64_t>(t);
      borrow = static_cast<std::uint64_t>(t >> 64) + (un[i + j] < t_lo ? 1 : 0);
      un[i + j] -= t_lo;
    }
    const bool negative = un[j + n] < borrow;
    un[j + n] -= borrow;
    if (negative) {  // qhat was one too large: add v back.
      --qhat;
      std::uint64_t carry = 0;
      for (int i = 0; i < n; ++i) {
        const uint128 sum = static_cast<uint128>(un[i + j]) + vn[i] + carry;
        un[i + j] = static_cast<std::uint64_t>(sum);
        carry = static_cast<std::uint64_t>(sum >> 64);
      }
      un[j + n] += carry;
    }
    q[j] = static_cast<std::uint64_t>(qhat);
  }
  for (int i = 0; i < n; ++i) r[i] = (un[i] >> s) | (s ? un[i + 1] << (64 - s) : 0);
}

int significant_limbs(const std::uint64_t* x, int count) noexcept {
  while (count > 0 && x[count - 1] == 0) --count;
  return count;
}

/// A 64-bit divisor normalized (top bit set) with its reciprocal floor((2^128 - 1) / d) - 2^64.
struct Reciprocal {
  std::uint64_t d = 0;  ///< the divisor shifted left by `shift`
  std::uint64_t v = 0;
  unsigned shift = 0;
};

constexpr Reciprocal make_reciprocal(std::uint64_t divisor) noexcept {
  Reciprocal r;
  r.shift = static_cast<unsigned>(std::countl_zero(divisor));
  r.d = divisor << r.shift;
  r.v = static_cast<std::uint64_t>(((static_cast<uint128>(~r.d) << 64) | ~std::uint64_t{0}) / r.d);
  return r;
}

/// (u1 * 2^64 + u0) / d for u1 < d, d normalized, v its reciprocal (chain/div_2by1.hpp).
using detail::div_2by1;

constexpr std::array<Reciprocal, kMaxFastPow10 + 1> kPow5Reciprocals = [] {
  std::array<Reciprocal, kMaxFastPow10 + 1> t{};
  std::uint64_t p = 1;
  for (unsigned k = 0; k <= kMaxFastPow10; ++k, p *= 5) t[k] = make_reciprocal(p);
  return t;
}();

/// floor((u2 u1 u0) / (v1 v0)) in base 2^64 for (u2 u1) < (v1 v0) and v1 >= 2^63, with the remainder.
std::uint64_t div_3by2(std::uint64_t u2, std::uint64_t u1, std::uint64_t u0, std::uint64_t v1, std::uint64_t v0,
                       uint128& remainder) noexcept {
  constexpr uint128 kBase = static_cast<uint128>(1) << 64;
  uint128 qhat, rhat;
  if (u2 >= v1) {  // then u2 == v1: the estimate (u2 u1) / v1 would not fit in a digit
    qhat = kBase - 1;
    rhat = ((static_cast<uint128>(u2) << 64) | u1) - qhat * v1;
  } else {
    std::uint64_t q, r;
    div_128_by_64(u2, u1, v1, q, r);
    qhat = q;
    rhat = r;
  }
  while (rhat < kBase && qhat * v0 > ((rhat << 64) | u0)) {
    --qhat;
    rhat += v1;
  }
  // The remainder is below v < 2^128, so its low 128 bits (arithmetic mod 2^128) are all of it.
  const uint128 low = (static_cast<uint128>(u1) << 64) | u0;
  remainder = low - (qhat * v0 + ((qhat * v1) << 64));
  return static_cast<std::uint64_t>(qhat);
}

}  // namespace

bool div_wide_128(const Wide128& n, uint128 d, uint128& quotient) noexcept {
  if (d == 0 || n.hi >= d) return false;
  if (n.hi == 0) {
    quotient = div_128(n.lo, d);
    return true;
  }
  if (d >> 64 == 0) {
    // A one-limb divisor: two hardware steps, no normalization (n.hi < d, so each quotient digit fits in 64 bits).
    const auto d64 = static_cast<std::uint64_t>(d);
    std::uint64_t q1, q0, r;
    div_128_by_64(static_cast<std::uint64_t>(n.hi), static_cast<std::uint64_t>(n.lo >> 64), d64, q1, r);
    div_128_by_64(r, static_cast<std::uint64_t>(n.lo), d64, q0, r);
    quotient = (static_cast<uint128>(q1) << 64) | q0;
    return true;
  }
  // Normalize: d's top bit set (n.hi < d keeps the shifted high half below the shifted divisor).
  const int s = d >> 64 != 0 ? std::countl_zero(static_cast<std::uint64_t>(d >> 64))
                              : 64 + std::countl_zero(static_cast<std::uint64_t>(d));
  const uint128 v = d << s;
  const uint128 hi = s == 0 ? n.hi : (n.hi << s) | (n.lo >> (128 - s));
  const uint128 lo = n.lo << s;
  const auto v1 = static_cast<std::uint64_t>(v >> 64), v0 = static_cast<std::uint64_t>(v);
  uint128 r;
  const std::uint64_t q1 = div_3by2(static_cast<std::uint64_t>(hi >> 64), static_cast<std::uint64_t>(hi),
                                    static_cast<std::uint64_t>(lo >> 64), v1, v0, r);
  const std::uint64_t q0 = div_3by2(static_cast<std::uint64_t>(r >> 64), static_cast<std::uint64_t>(r),
                                    static_cast<std::uint64_t>(lo), v1, v0, r);
  quotient = (static_cast<uint128>(q1) << 64) | q0;
  return true;
}

U256 quotient_pow10(const U256& n, unsigned k) noexcept {
  if (k == 0) return n;
  if (k > kMaxFastPow10) return divmod(n, pow10(k)).quotient;
  const Reciprocal& rc = kPow5Reciprocals[k];
  const unsigned s = rc.shift;  // in [1, 63] for k >= 1 (5^k is odd and below 2^63)
  // t = n >> k (k < 64), then u = t << s in five limbs (the top one below 2^s <= d).
  const std::uint64_t t0 = (n.limbs[0] >> k) | (n.limbs[1] << (64 - k));
  const std::uint64_t t1 = (n.limbs[1] >> k) | (n.limbs[2] << (64 - k));
  const std::uint64_t t2 = (n.limbs[2] >> k) | (n.limbs[3] << (64 - k));
  const std::uint64_t t3 = n.limbs[3] >> k;
  const std::uint64_t u[5] = {t0 << s, (t1 << s) | (t0 >> (64 - s)), (t2 << s) | (t1 >> (64 - s)),
                              (t3 << s) | (t2 >> (64 - s)), t3 >> (64 - s)};
  U256 q;
  std::uint64_t rem = u[4];
  int top = 3;
  while (top >= 0 && rem == 0 && u[top] < rc.d) rem = u[top--];  // leading quotient limbs are zero
  for (int i = top; i >= 0; --i) q.limbs[static_cast<std::size_t>(i)] = div_2by1(rem, u[i], rc.d, rc.v, rem);
  return q;
}

U256 quotient_pow10(const Wide128& n, unsigned k) noexcept {
  const auto n0 = static_cast<std::uint64_t>(n.lo), n1 = static_cast<std::uint64_t>(n.lo >> 64);
  const auto n2 = static_cast<std::uint64_t>(n.hi), n3 = static_cast<std::uint64_t>(n.hi >> 64);
  if (k == 0 || k > kMaxFastPow10 || (n3 >> k) != 0) return quotient_pow10(U256{n0, n1, n2, n3}, k);
  const Reciprocal& rc = kPow5Reciprocals[k];
  const unsigned s = rc.shift;  // in [1, 63]
  // t = n >> k in three limbs, then u = t << s in four (the top one below 2^s <= d, as div_2by1 needs).
  const std::uint64_t t0 = (n0 >> k) | (n1 << (64 - k)), t1 = (n1 >> k) | (n2 << (64 - k));
  const std::uint64_t t2 = (n2 >> k) | (n3 << (64 - k));
  const std::uint64_t u3 = t2 >> (64 - s), u2 = (t2 << s) | (t1 >> (64 - s));
  const std::uint64_t u1 = (t1 << s) | (t0 >> (64 - s)), u0 = t0 << s;
  std::uint64_t rem = 0;
  const std::uint64_t q2 = div_2by1(u3, u2, rc.d, rc.v, rem);
  const std::uint64_t q1 = div_2by1(rem, u1, rc.d, rc.v, rem);
  const std::uint64_t q0 = div_2by1(rem, u0, rc.d, rc.v, rem);
  return U256{q0, q1, q2, 0};
}

std::optional<U256> checked_mul_fast(const U256& a, const U256& b) noexcept {
  if ((a.limbs[2] | a.limbs[3] | b.limbs[2] | b.limbs[3]) != 0) return checked_mul(a, b);
  const uint128 ll = static_cast<uint128>(a.limbs[0]) * b.limbs[0];
  const uint128 lh = static_cast<uint128>(a.limbs[0]) * b.limbs[1];
  const uint128 hl = static_cast<uint128>(a.limbs[1]) * b.limbs[0];
  const uint128 hh = static_cast<uint128>(a.limbs[1]) * b.limbs[1];
  const uint128 mid = (ll >> 64) + static_cast<std::uint64_t>(lh) + static_cast<std::uint64_t>(hl);
  const uint128 high = (mid >> 64) + (lh >> 64) + (hl >> 64) + static_cast<std::uint64_t>(hh);
  return U256{static_cast<std::uint64_t>(ll), static_cast<std::uint64_t>(mid), static_cast<std::uint64_t>(high),
              static_cast<std::uint64_t>((high >> 64) + (hh >> 64))};
}

DivResult divmod_pow10(const U256& n, unsigned k) noexcept {
  if (k > kMaxFastPow10) return divmod(n, pow10(k));
  DivResult out;
  out.quotient = quotient_pow10(n, k);
  out.remainder = n - out.quotient * pow10(k);
  return out;
}

DivResult divmod(const U256& n, const U256& d) noexcept {
  const int dn = significant_limbs(d.limbs.data(), 4);
  if (dn == 0) return {};
  if (n < d) return {U256{}, n};
  const int nn = significant_limbs(n.limbs.data(), 4);
  DivResult out;
  if (nn <= 2) {  // both fit in 128 bits (d <= n): the hardware-assisted 128-bit division gives the same result
    const uint128 a = (static_cast<uint128>(n.limbs[1]) << 64) | n.limbs[0];
    const uint128 b = (static_cast<uint128>(d.limbs[1]) << 64) | d.limbs[0];
    const uint128 q = a / b, r = a - q * b;
    out.quotient = U256{static_cast<std::uint64_t>(q), static_cast<std::uint64_t>(q >> 64), 0, 0};
    out.remainder = U256{static_cast<std::uint64_t>(r), static_cast<std::uint64_t>(r >> 64), 0, 0};
    return out;
  }
  divide_limbs(n.limbs.data(), nn, d.limbs.data(), dn, out.quotient.limbs.data(), out.remainder.limbs.data());
  return out;
}

std::optional<DivResult> divmod(const U512& n, const U256& d) noexcept {
  const int dn = significant_limbs(d.limbs.data(), 4);
  if (dn == 0) return std::nullopt;
  const int nn = significant_limbs(n.limbs.data(), 8);
  if (nn < dn) return DivResult{U256{}, U256{n.limbs[0], n.limbs[1], n.limbs[2], n.limbs[3]}};
  if (nn <= 4) return divmod(U256{n.limbs[0], n.limbs[1], n.limbs[2], n.limbs[3]}, d);  // no 512-bit work
  std::uint64_t q[8] = {};
  DivResult out;
  divide_limbs(n.limbs.data(), nn, d.limbs.data(), dn, q, out.remainder.limbs.data());
  if ((q[4] | q[5] | q[6] | q[7]) != 0) return std::nullopt;
  out.quotient = U256{q[0], q[1], q[2], q[3]};
  return out;
}

std::optional<U256> mul_div_down(const U256& a, const U256& b, const U256& d) noexcept {
  const auto r = divmod(mul_full(a, b), d);
  if (!r) return std::nullopt;
  return r->quotient;
}

std::optional<U256> mul_div_up(const U256& a, const U256& b, const U256& d) noexcept {
  const auto r = divmod(mul_full(a, b), d);
  if (!r) return std::nullopt;
  if (r->remainder.is_zero()) return r->quotient;
  if (r->quotient == U256::max()) return std::nullopt;
  return r->quotient + 1;
}

U256 pow10(unsigned n) noexcept {
  U256 r{1};
  for (unsigned i = 0; i < n; ++i) r *= 10;
  return r;
}

Result<U256> U256::from_dec(std::string_view s) {
  if (s.empty()) return U256Error::empty;
  U256 value;
  for (char c : s) {
    if (c < '0' || c > '9') return U256Error::invalid_character;
    const auto times_ten = checked_mul(value, 10);
    if (!times_ten) return U256Error::overflow;
    const auto next = checked_add(*times_ten, static_cast<std::uint64_t>(c - '0'));
    if (!next) return U256Error::overflow;
    value = *next;
  }
  return value;
}

Result<U256> U256::from_hex(std::string_view s) {
  s = strip_0x(s);
  if (s.empty()) return U256Error::empty;
  U256 value;
  for (char c : s) {
    const int digit = hex_digit_value(c);
    if (digit < 0) return U256Error::invalid_character;
    if (value.limbs[3] >> 60 != 0) return U256Error::overflow;
    value = (value << 4) | U256{static_cast<std::uint64_t>(digit)};
  }
  return value;
}

Result<U256> U256::parse(std::string_view s) {
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return from_hex(s);
  return from_dec(s);
}

std::optional<U256> U256::from_be(ByteView bytes) noexcept {
  if (bytes.size() > 32) return std::nullopt;
  U256 value;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const std::size_t bit = 8 * (bytes.size() - 1 - i);
    value.limbs[bit / 64] |= static_cast<std::uint64_t>(bytes[i]) << (bit % 64);
  }
  return value;
}

std::string U256::to_dec() const {
  if (is_zero()) return "0";
  constexpr std::uint64_t kChunk = 10'000'000'000'000'000'000ULL;  // 1e19, the largest power of ten in 64 bits
  std::string out;
  U256 rest = *this;
  while (!rest.is_zero()) {
    const DivResult qr = divmod(rest, U256{kChunk});
    std::uint64_t chunk = qr.remainder.limbs[0];
    rest = qr.quotient;
    for (int i = 0; i < 19 && (chunk != 0 || !rest.is_zero()); ++i) {
      out.push_back(static_cast<char>('0' + chunk % 10));
      chunk /= 10;
    }
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string U256::to_hex() const {
  if (is_zero()) return "0x0";
  const auto be = to_be();
  std::string digits = to_hex_no_prefix(be);
  const auto first = digits.find_first_not_of('0');
  return "0x" + digits.substr(first);
}

Bytes U256::to_be_trimmed() const {
  const auto be = to_be();
  const unsigned len = byte_length();
  return Bytes(be.end() - len, be.end());
}

}  // namespace sluice
