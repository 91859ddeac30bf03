#pragma once
/// (x * y + addend) / d on native 128-bit operands: the one shape behind every narrow fixed-point step (mulDiv up
/// or down, rayDiv, the share conversions), by a divisor known only at run time or fixed in advance.

#include "chain/invariant_divisor.hpp"
#include "chain/u256_pow10.hpp"

namespace sluice {

/// n + addend (128 bits) with the carry into the high half; n < 2^256 - 2^128 (a product of two 128-bit values)
/// cannot wrap.
inline Wide128 add_wide(Wide128 n, uint128 addend) noexcept {
  n.lo += addend;
  n.hi += n.lo < addend ? 1 : 0;
  return n;
}

/// (x * y + addend) / d in `q`; false when d is 0 or the quotient needs more than 128 bits. x * y + addend < 2^256
/// always, so no Solidity overflow check could fire where this succeeds.
/// Always inlined (both overloads): left to the compiler, the cascade grid ran 290M more instructions.
[[gnu::always_inline]] inline bool mul_add_div_128(uint128 x, uint128 y, uint128 addend, uint128 d,
                                                    uint128& q) noexcept {
  return div_wide_128(add_wide(mul_wide_128(x, y), addend), d, q);
}
/// The same by an invariant divisor (false only when the quotient needs more than 128 bits).
[[gnu::always_inline]] inline bool mul_add_div_128(uint128 x, uint128 y, uint128 addend, const InvariantDivisor128& d,
                                                    uint128& q) noexcept {
  return d.divide(add_wide(mul_wide_128(x, y), addend), q);
}

}  // namespace sluice
