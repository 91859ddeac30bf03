#pragma once
/// rayDiv by a divisor fixed in advance: Aave's WadRayMath.rayDiv(a, b) = (a x RAY + b / 2) / b, half up, where b is
/// a reserve's liquidity or variable borrow index, constant over a whole cascade. The numerator is formed already
/// normalized for b's InvariantDivisor128, a x (RAY << s) + ((b / 2) << s) with b << s's top bit set, so no
/// 256-bit shift runs per call (a variable one cost a third of the division). Every index an Aave reserve can have
/// (at least RAY) qualifies.

#include "chain/invariant_divisor.hpp"

namespace sluice {

class RayDivisor {
 public:
  /// Any index; one of 0 or below 2^89 (about 0.62 RAY: RAY << s would not fit in 128 bits) gets no fast path, and
  /// divide() then always declines.
  explicit RayDivisor(uint128 index) noexcept;
  uint128 value() const noexcept { return index_; }
  /// rayDiv half up of `a` by the index, exactly: false (quotient untouched) when it needs more than 128 bits or
  /// the index has no fast path. (With a below 2^128 the contract's overflow guard cannot fire.)
  bool divide(uint128 a, uint128& quotient) const noexcept {
    if (ray_shifted_ == 0) return false;
    Wide128 n = mul_wide_128(a, ray_shifted_);  // a x (RAY << s) + (b / 2 << s) < 2^256: no carry out
    n.lo += half_shifted_;
    n.hi += n.lo < half_shifted_ ? 1 : 0;
    if (n.hi >= normalized_) return false;
    quotient = divisor_.divide_normalized(n);
    return true;
  }

 private:
  uint128 index_;
  InvariantDivisor128 divisor_;  ///< of the index (of 1 when the index is 0)
  uint128 normalized_ = 0;       ///< index << s, its top bit set
  uint128 ray_shifted_ = 0;      ///< RAY << s; 0 without a fast path
  uint128 half_shifted_ = 0;     ///< (index / 2) << s
};

}  // namespace sluice
