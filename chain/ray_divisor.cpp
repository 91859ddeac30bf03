#include "chain/ray_divisor.hpp"

#include "chain/fixed_point.hpp"

namespace sluice {

RayDivisor::RayDivisor(uint128 index) noexcept : index_(index), divisor_(index == 0 ? 1 : index) {
  // RAY < 2^90: RAY << s fits in 128 bits while s <= 38, i.e. for an index of at least 2^89.
  const unsigned s = divisor_.shift();
  if (index == 0 || s > 38) return;
  normalized_ = index << s;
  ray_shifted_ = to128(kRay) << s;
  half_shifted_ = (index >> 1) << s;
}

}  // namespace sluice
