#pragma once
/// Division of a U256 by a power of ten without long division (the WAD / RAY / bps / token-unit divisions of the
/// Aave and Morpho math).

#include "chain/u256.hpp"

namespace sluice {

/// Largest k accepted by divmod_pow10's fast path (5^27 is the largest power of 5 that fits in 64 bits).
constexpr unsigned kMaxFastPow10 = 27;

/// divmod(n, 10^k), the same quotient and remainder. For k <= kMaxFastPow10 without a hardware or long division:
/// 10^k = 2^k x 5^k, so the quotient is floor((n >> k) / 5^k), a division by one 64-bit limb done with a
/// precomputed reciprocal (Moller and Granlund, "Improved division by invariant integers", IEEE Trans. Computers
/// 60(2), 2011, algorithm 4); larger k take divmod.
DivResult divmod_pow10(const U256& n, unsigned k) noexcept;

/// divmod_pow10(n, k).quotient, without computing the remainder.
U256 quotient_pow10(const U256& n, unsigned k) noexcept;

}  // namespace sluice
