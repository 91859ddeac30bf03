#pragma once
/// 256-bit unsigned integer with EVM semantics (wrapping +, -, *; division by zero gives 0 as the DIV opcode),
/// Solidity-style checked variants, and a 512-bit product for exact `mul_div`.

#include "chain/bytes.hpp"

#include <array>
#include <bit>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace sluice {

__extension__ using uint128 = unsigned __int128;

enum class U256Error {
  empty = 1,          ///< no digits
  invalid_character,  ///< a character that is not a digit of the base
  overflow,           ///< the number does not fit in 256 bits
};
const char* describe(U256Error e) noexcept;
SLUICE_ERROR_CATEGORY(U256Error, "u256")

struct U256 {
  /// Little-endian 64-bit limbs: limbs[0] is the least significant.
  std::array<std::uint64_t, 4> limbs{};

  constexpr U256() noexcept = default;
  constexpr U256(std::uint64_t v) noexcept : limbs{v, 0, 0, 0} {}  // NOLINT: implicit like a builtin integer
  constexpr U256(std::uint64_t l0, std::uint64_t l1, std::uint64_t l2, std::uint64_t l3) noexcept
      : limbs{l0, l1, l2, l3} {}

  static constexpr U256 max() noexcept { return {~0ULL, ~0ULL, ~0ULL, ~0ULL}; }

  constexpr bool is_zero() const noexcept { return (limbs[0] | limbs[1] | limbs[2] | limbs[3]) == 0; }
  constexpr explicit operator bool() const noexcept { return !is_zero(); }

  /// Number of significant bits (0 for zero).
  constexpr unsigned bit_length() const noexcept {
    for (int i = 3; i >= 0; --i)
      if (limbs[i] != 0) return static_cast<unsigned>(64 * i + 64 - std::countl_zero(limbs[i]));
    return 0;
  }
  /// Number of significant bytes (0 for zero).
  constexpr unsigned byte_length() const noexcept { return (bit_length() + 7) / 8; }

  constexpr bool fits_uint64() const noexcept { return (limbs[1] | limbs[2] | limbs[3]) == 0; }
  constexpr std::optional<std::uint64_t> to_uint64() const noexcept {
    if (!fits_uint64()) return std::nullopt;
    return limbs[0];
  }

  friend constexpr bool operator==(const U256&, const U256&) noexcept = default;
  /// Compared as two 128-bit halves, the high one first (each a compare-with-borrow pair, not a limb loop).
  friend constexpr std::strong_ordering operator<=>(const U256& a, const U256& b) noexcept {
    const uint128 a_hi = (static_cast<uint128>(a.limbs[3]) << 64) | a.limbs[2];
    const uint128 b_hi = (static_cast<uint128>(b.limbs[3]) << 64) | b.limbs[2];
    if (a_hi != b_hi) return a_hi < b_hi ? std::strong_ordering::less : std::strong_ordering::greater;
    const uint128 a_lo = (static_cast<uint128>(a.limbs[1]) << 64) | a.limbs[0];
    const uint128 b_lo = (static_cast<uint128>(b.limbs[1]) << 64) | b.limbs[0];
    if (a_lo != b_lo) return a_lo < b_lo ? std::strong_ordering::less : std::strong_ordering::greater;
    return std::strong_ordering::equal;
  }

  // Parsing and formatting.
  /// Decimal digits only ("123"); no sign, no separators.
  static Result<U256> from_dec(std::string_view s);
  /// Hex digits with or without 0x; any number of digits up to 64 significant ones.
  static Result<U256> from_hex(std::string_view s);
  /// "0x..." as hex, otherwise decimal (the form JSON-RPC and cast accept).
  static Result<U256> parse(std::string_view s);
  /// Big-endian bytes, at most 32 (shorter input is left-padded with zeros).
  static std::optional<U256> from_be(ByteView bytes) noexcept;

  std::string to_dec() const;
  /// Minimal 0x-prefixed lowercase hex ("0x0" for zero), as JSON-RPC quantities.
  std::string to_hex() const;
  /// 32 big-endian bytes.
  constexpr std::array<std::uint8_t, 32> to_be() const noexcept {
    std::array<std::uint8_t, 32> out{};
    for (int i = 0; i < 32; ++i) out[31 - i] = static_cast<std::uint8_t>(limbs[i / 8] >> (8 * (i % 8)));
    return out;
  }
  /// Big-endian bytes without leading zeros (empty for zero), as RLP integers.
  Bytes to_be_trimmed() const;
};

// ---- bitwise ----
constexpr U256 operator~(const U256& a) noexcept { return {~a.limbs[0], ~a.limbs[1], ~a.limbs[2], ~a.limbs[3]}; }
constexpr U256 operator&(const U256& a, const U256& b) noexcept {
  return {a.limbs[0] & b.limbs[0], a.limbs[1] & b.limbs[1], a.limbs[2] & b.limbs[2], a.limbs[3] & b.limbs[3]};
}
constexpr U256 operator|(const U256& a, const U256& b) noexcept {
  return {a.limbs[0] | b.limbs[0], a.limbs[1] | b.limbs[1], a.limbs[2] | b.limbs[2], a.limbs[3] | b.limbs[3]};
}
constexpr U256 operator^(const U256& a, const U256& b) noexcept {
  return {a.limbs[0] ^ b.limbs[0], a.limbs[1] ^ b.limbs[1], a.limbs[2] ^ b.limbs[2], a.limbs[3] ^ b.limbs[3]};
}
constexpr U256 operator<<(const U256& a, unsigned shift) noexcept {
  if (shift >= 256) return {};
  U256 r;
  const unsigned limb_shift = shift / 64, bit_shift = shift % 64;
  for (unsigned i = 3 + 1; i-- > limb_shift;) {
    std::uint64_t v = a.limbs[i - limb_shift] << bit_shift;
    if (bit_shift != 0 && i - limb_shift > 0) v |= a.limbs[i - limb_shift - 1] >> (64 - bit_shift);
    r.limbs[i] = v;
  }
  return r;
}
constexpr U256 operator>>(const U256& a, unsigned shift) noexcept {
  if (shift >= 256) return {};
  U256 r;
  const unsigned limb_shift = shift / 64, bit_shift = shift % 64;
  for (unsigned i = 0; i + limb_shift < 4; ++i) {
    std::uint64_t v = a.limbs[i + limb_shift] >> bit_shift;
    if (bit_shift != 0 && i + limb_shift + 1 < 4) v |= a.limbs[i + limb_shift + 1] << (64 - bit_shift);
    r.limbs[i] = v;
  }
  return r;
}

// ---- wrapping arithmetic (EVM ADD, SUB, MUL) ----
namespace detail {
/// a op b limb by limb from the lowest, `step` being one add-with-carry or subtract-with-borrow instruction
/// (step(carry in, a limb, b limb, &result limb) -> carry out); the last carry is dropped (EVM wrapping).
template <class Step>
inline U256 carry_chain(const U256& a, const U256& b, Step step) noexcept {
  unsigned long long l0, l1, l2, l3;
  unsigned char c = step(0, a.limbs[0], b.limbs[0], &l0);
  c = step(c, a.limbs[1], b.limbs[1], &l1);
  c = step(c, a.limbs[2], b.limbs[2], &l2);
  step(c, a.limbs[3], b.limbs[3], &l3);
  return U256{l0, l1, l2, l3};
}
}  // namespace detail

constexpr U256 operator+(const U256& a, const U256& b) noexcept {
  U256 r;
#if defined(__x86_64__)
  if (!std::is_constant_evaluated())  // one add-with-carry chain
    return detail::carry_chain(a, b, [](unsigned char c, std::uint64_t x, std::uint64_t y, unsigned long long* out) {
      return _addcarry_u64(c, x, y, out);
    });
#endif
  std::uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    const uint128 s = static_cast<uint128>(a.limbs[i]) + b.limbs[i] + carry;
    r.limbs[i] = static_cast<std::uint64_t>(s);
    carry = static_cast<std::uint64_t>(s >> 64);
  }
  return r;
}
constexpr U256 operator-(const U256& a, const U256& b) noexcept {
  U256 r;
#if defined(__x86_64__)
  if (!std::is_constant_evaluated())  // one subtract-with-borrow chain
    return detail::carry_chain(a, b, [](unsigned char c, std::uint64_t x, std::uint64_t y, unsigned long long* out) {
      return _subborrow_u64(c, x, y, out);
    });
#endif
  std::uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    const uint128 d = static_cast<uint128>(a.limbs[i]) - b.limbs[i] - borrow;
    r.limbs[i] = static_cast<std::uint64_t>(d);
    borrow = static_cast<std::uint64_t>(d >> 64) & 1;
  }
  return r;
}
constexpr U256 operator-(const U256& a) noexcept { return U256{} - a; }
constexpr U256 operator*(const U256& a, const U256& b) noexcept {
  U256 r;
  for (int i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (int j = 0; i + j < 4; ++j) {
      const uint128 p = static_cast<uint128>(a.limbs[i]) * b.limbs[j] + r.limbs[i + j] + carry;
      r.limbs[i + j] = static_cast<std::uint64_t>(p);
      carry = static_cast<std::uint64_t>(p >> 64);
    }
  }
  return r;
}

/// 512-bit value, the exact product of two U256.
struct U512 {
  std::array<std::uint64_t, 8> limbs{};  ///< little-endian
  friend constexpr bool operator==(const U512&, const U512&) noexcept = default;
};

/// Exact 512-bit product.
constexpr U512 mul_full(const U256& a, const U256& b) noexcept {
  U512 r;
  for (int i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (int j = 0; j < 4; ++j) {
      const uint128 p = static_cast<uint128>(a.limbs[i]) * b.limbs[j] + r.limbs[i + j] + carry;
      r.limbs[i + j] = static_cast<std::uint64_t>(p);
      carry = static_cast<std::uint64_t>(p >> 64);
    }
    r.limbs[i + 4] = carry;
  }
  return r;
}

struct DivResult {
  U256 quotient;
  U256 remainder;
};

/// Quotient and remainder; both zero when `d` is zero (EVM DIV/MOD semantics).
DivResult divmod(const U256& n, const U256& d) noexcept;
inline U256 operator/(const U256& a, const U256& b) noexcept { return divmod(a, b).quotient; }
inline U256 operator%(const U256& a, const U256& b) noexcept { return divmod(a, b).remainder; }

/// Divides a 512-bit value by a U256: nullopt when `d` is zero or the quotient needs more than 256 bits.
std::optional<DivResult> divmod(const U512& n, const U256& d) noexcept;

// ---- compound assignment ----
constexpr U256& operator+=(U256& a, const U256& b) noexcept { return a = a + b; }
constexpr U256& operator-=(U256& a, const U256& b) noexcept { return a = a - b; }
constexpr U256& operator*=(U256& a, const U256& b) noexcept { return a = a * b; }
inline U256& operator/=(U256& a, const U256& b) noexcept { return a = a / b; }
inline U256& operator%=(U256& a, const U256& b) noexcept { return a = a % b; }
constexpr U256& operator<<=(U256& a, unsigned s) noexcept { return a = a << s; }
constexpr U256& operator>>=(U256& a, unsigned s) noexcept { return a = a >> s; }
constexpr U256& operator&=(U256& a, const U256& b) noexcept { return a = a & b; }
constexpr U256& operator|=(U256& a, const U256& b) noexcept { return a = a | b; }

// ---- checked arithmetic (Solidity >= 0.8 semantics: nullopt where Solidity reverts) ----
constexpr std::optional<U256> checked_add(const U256& a, const U256& b) noexcept {
  const U256 r = a + b;
  if (r < a) return std::nullopt;
  return r;
}
constexpr std::optional<U256> checked_sub(const U256& a, const U256& b) noexcept {
  if (b > a) return std::nullopt;
  return a - b;
}
constexpr std::optional<U256> checked_mul(const U256& a, const U256& b) noexcept {
  const U512 p = mul_full(a, b);
  if ((p.limbs[4] | p.limbs[5] | p.limbs[6] | p.limbs[7]) != 0) return std::nullopt;
  return U256{p.limbs[0], p.limbs[1], p.limbs[2], p.limbs[3]};
}
inline std::optional<U256> checked_div(const U256& a, const U256& b) noexcept {
  if (b.is_zero()) return std::nullopt;
  return a / b;
}
inline std::optional<U256> checked_mod(const U256& a, const U256& b) noexcept {
  if (b.is_zero()) return std::nullopt;
  return a % b;
}

/// floor(a * b / d) with a 512-bit intermediate; nullopt if d is zero or the result overflows 256 bits.
std::optional<U256> mul_div_down(const U256& a, const U256& b, const U256& d) noexcept;
/// ceil(a * b / d) with a 512-bit intermediate; nullopt if d is zero or the result overflows 256 bits.
std::optional<U256> mul_div_up(const U256& a, const U256& b, const U256& d) noexcept;

/// 10^n for n <= 77.
U256 pow10(unsigned n) noexcept;

// ---- compile-time literals: 1000_u256, 0xff_u256 ----
namespace detail {
template <char... C>
consteval U256 parse_u256_literal() {
  constexpr char chars[] = {C...};
  U256 value;
  std::size_t i = 0;
  unsigned base = 10;
  if (sizeof...(C) > 2 && chars[0] == '0' && (chars[1] == 'x' || chars[1] == 'X')) {
    base = 16;
    i = 2;
  }
  for (; i < sizeof...(C); ++i) {
    if (chars[i] == '\'') continue;
    const int digit = hex_digit_value(chars[i]);
    if (digit < 0 || digit >= static_cast<int>(base)) throw "invalid digit in U256 literal";
    const U512 wide = mul_full(value, U256{base});
    if ((wide.limbs[4] | wide.limbs[5] | wide.limbs[6] | wide.limbs[7]) != 0) throw "U256 literal overflows";
    const U256 next = U256{wide.limbs[0], wide.limbs[1], wide.limbs[2], wide.limbs[3]} + U256{std::uint64_t(digit)};
    if (next < U256{std::uint64_t(digit)}) throw "U256 literal overflows";
    value = next;
  }
  return value;
}
}  // namespace detail

namespace literals {
template <char... C>
consteval U256 operator""_u256() {
  return detail::parse_u256_literal<C...>();
}
}  // namespace literals

}  // namespace sluice

SLUICE_ERROR_ENUM(sluice::U256Error)
