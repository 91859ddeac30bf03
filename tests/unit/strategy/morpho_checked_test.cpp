// Morpho's checked uint128 updates (strategy/morpho/checked.hpp): `field -= amount.toUint128()` must revert where
// the contract does (the cast above 2^128 - 1 first, then the subtraction below zero) and otherwise subtract
// exactly, whether the operands take the native 128-bit path or not.
#include "strategy/morpho/checked.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace sluice;
using sluice::morpho::MorphoError;
using sluice::morpho::detail::kUint128Max;
using sluice::morpho::detail::sub_u128;

namespace {

/// Values of every width up to 130 bits, with the uint128 edges often.
U256 draw(std::mt19937_64& rng) {
  switch (rng() % 8) {
    case 0: return U256{};
    case 1: return kUint128Max;
    case 2: return kUint128Max + U256{1 + rng() % 3};
    case 3: return U256{rng() % 4};
    default: return U256{rng(), rng(), rng() % 4, 0} >> static_cast<unsigned>(rng() % 130);
  }
}

}  // namespace

TEST_CASE("morpho sub_u128: the cast's overflow, then the underflow, else the exact difference") {
  std::mt19937_64 rng(0x5B128);
  std::size_t subtracted = 0, underflows = 0, overflows = 0;
  for (int i = 0; i < 200'000; ++i) {
    const U256 before = draw(rng);
    U256 amount = draw(rng);
    if (i % 5 == 0) amount = before;  // exactly to zero
    U256 field = before;
    const auto error = sub_u128(field, amount, MorphoError::insufficient_borrow);
    INFO("field ", before.to_hex(), " amount ", amount.to_hex());
    if (amount > kUint128Max) {
      REQUIRE(error == MorphoError::overflow);
      CHECK(field == before);
      ++overflows;
    } else if (amount > before) {
      REQUIRE(error == MorphoError::insufficient_borrow);
      CHECK(field == before);
      ++underflows;
    } else {
      REQUIRE_FALSE(error.has_value());
      CHECK(field + amount == before);
      ++subtracted;
    }
  }
  CHECK(subtracted > 50'000);
  CHECK(underflows > 20'000);
  CHECK(overflows > 10'000);
}
