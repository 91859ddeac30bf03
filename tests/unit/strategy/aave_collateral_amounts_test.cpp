// _calculateAvailableCollateralToLiquidate: the 128-bit path (aave::steps::available_collateral) must give the
// 256-bit steps' amounts, or their very error, on every input: random prices, decimals, bonuses, fees and amounts of
// every width, and the edges where a 128-bit product or the contract's subtractions stop fitting.
#include "strategy/aave/liquidation_steps.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace sluice;
using namespace sluice::aave;
namespace steps = sluice::aave::detail;

namespace {

/// A random value of `bits` significant bits at most (0..256).
U256 random_bits(std::mt19937_64& rng, unsigned bits) {
  U256 v;
  for (auto& limb : v.limbs) limb = rng();
  return bits >= 256 ? v : bits == 0 ? U256{} : v >> (256 - bits);
}

/// Values that sit where the narrow path changes its mind: 2^64 and 2^128 boundaries, zero, one.
U256 edge_or_random(std::mt19937_64& rng, unsigned max_bits) {
  switch (rng() % 8) {
    case 0: return U256{};
    case 1: return U256{1};
    case 2: return (U256{1} << 64) - U256{static_cast<std::uint64_t>(rng() % 3)};
    case 3: return (U256{1} << 128) - U256{static_cast<std::uint64_t>(rng() % 3)};
    default: return random_bits(rng, static_cast<unsigned>(rng() % (max_bits + 1)));
  }
}

Reserve reserve(std::uint8_t decimals, std::uint16_t fee_bps) {
  Reserve r;
  r.config.decimals = decimals;
  r.config.liquidation_protocol_fee_bps = fee_bps;
  return r;
}

}  // namespace

TEST_CASE("aave collateral amounts: the 128-bit path equals the 256-bit steps, amounts or error") {
  std::mt19937_64 rng(20261206);
  std::size_t same_amounts = 0, same_errors = 0, capped = 0;
  for (int i = 0; i < 200'000; ++i) {
    const auto collateral = reserve(static_cast<std::uint8_t>(rng() % 28), rng() % 3 == 0 ? 0 : rng() % 10'001);
    const auto debt = reserve(static_cast<std::uint8_t>(rng() % 28), 0);
    steps::PricesAndBonus p;
    p.collateral_price = edge_or_random(rng, rng() % 4 == 0 ? 140 : 64);
    p.debt_price = edge_or_random(rng, rng() % 4 == 0 ? 140 : 64);
    p.bonus_bps = static_cast<std::uint16_t>(rng() % 8 == 0 ? rng() % 65'536 : 10'000 + rng() % 2'000);
    const U256 cover = edge_or_random(rng, rng() % 4 == 0 ? 256 : 128);
    const U256 balance = edge_or_random(rng, rng() % 4 == 0 ? 256 : 128);
    const auto fast = steps::available_collateral(collateral, debt, p, cover, balance);
    const auto wide = steps::available_collateral_wide(collateral, debt, p, cover, balance);
    REQUIRE(fast.has_value() == wide.has_value());
    if (!wide) {
      CHECK(fast.error() == wide.error());
      ++same_errors;
      continue;
    }
    CHECK(fast->to_liquidator == wide->to_liquidator);
    CHECK(fast->debt_needed == wide->debt_needed);
    CHECK(fast->protocol_fee == wide->protocol_fee);
    same_amounts += 1;
    capped += fast->debt_needed != cover ? 1 : 0;
  }
  // Both branches and the errors were exercised (not a test that can pass on nothing).
  CHECK(same_amounts > 50'000);
  CHECK(capped > 10'000);
  CHECK(same_errors > 1'000);
}

TEST_CASE("aave collateral amounts: a worked example, 1,000 USDC of debt against WETH at 2,000 USD") {
  // debtToCover 1,000 USDC (6 decimals) at $1 repays 0.5 WETH; x 105% bonus = 0.525 WETH, of which 10% of the
  // 0.025 WETH bonus (0.0025 WETH) is the protocol's fee.
  const auto weth = reserve(18, 1'000);
  const auto usdc = reserve(6, 0);
  steps::PricesAndBonus p{U256{2'000'00000000ULL}, U256{1'00000000ULL}, 10'500};
  const U256 cover{1'000'000'000ULL};
  const auto out = steps::available_collateral(weth, usdc, p, cover, U256::from_dec("10000000000000000000").value());
  REQUIRE(out.has_value());
  CHECK(out->debt_needed == cover);
  CHECK(out->protocol_fee == U256{2'500'000'000'000'000ULL});
  CHECK(out->to_liquidator == U256{522'500'000'000'000'000ULL});
  // The user holds only 0.21 WETH: all of it is seized, and the debt it pays for is 0.21 x 2,000 / 1.05 = 400 USDC.
  const auto short_out = steps::available_collateral(weth, usdc, p, cover, U256{210'000'000'000'000'000ULL});
  REQUIRE(short_out.has_value());
  CHECK(short_out->debt_needed == U256{400'000'000ULL});
  CHECK(short_out->protocol_fee == U256{1'000'000'000'000'000ULL});
  CHECK(short_out->to_liquidator == U256{209'000'000'000'000'000ULL});
}
