#include "chain/invariant_divisor.hpp"

#include <bit>

namespace sluice {
namespace {

constexpr std::uint64_t lo64(uint128 x) noexcept { return static_cast<std::uint64_t>(x); }
constexpr std::uint64_t hi64(uint128 x) noexcept { return static_cast<std::uint64_t>(x >> 64); }

}  // namespace

InvariantDivisor128::InvariantDivisor128(uint128 divisor) noexcept
    : divisor_(divisor), shift_(hi64(divisor) != 0 ? static_cast<unsigned>(std::countl_zero(hi64(divisor)))
                                                   : 64u + static_cast<unsigned>(std::countl_zero(lo64(divisor)))) {
  const uint128 normalized = divisor << shift_;
  d1_ = hi64(normalized);
  d0_ = lo64(normalized);
  // 2^128 / 2 <= (d1 d0) < 2^128, so (2^192 - 1) / (d1 d0) lies in [2^64, 2^65): the reciprocal is its low digit.
  const U256 all_ones_192{~std::uint64_t{0}, ~std::uint64_t{0}, ~std::uint64_t{0}, 0};
  reciprocal_ = divmod(all_ones_192, U256{d0_, d1_, 0, 0}).quotient.limbs[0];
}

}  // namespace sluice
