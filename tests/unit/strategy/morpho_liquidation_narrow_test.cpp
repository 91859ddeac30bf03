// Morpho's maximal liquidation in native 128-bit halves (strategy/morpho/liquidation_narrow.cpp) against the rule
// played with liquidate() itself (the general statements): on random markets, positions, prices and incentive
// factors, wherever is_healthy says false, the narrow outcome equals liquidate()'s field for field, and it
// declines wherever liquidate() reverts. Amounts of every width up to and past 128 bits, totals near 2^126 and
// 2^127 (the general rule's shortcut bound), supplies below the bad debt, positions owing more shares than the
// market holds, zero prices.
#include "chain/fixed_point.hpp"
#include "strategy/morpho/liquidation_detail.hpp"
#include "strategy/morpho/math.hpp"
#include "tests/unit/strategy/morpho_test_support.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace sluice;
using namespace sluice::morpho;

namespace {

/// A value of a random bit length in [0, max_bits].
U256 random_bits(std::mt19937_64& rng, unsigned max_bits) {
  const auto bits = static_cast<unsigned>(rng() % (max_bits + 1));
  if (bits == 0) return U256{};
  return U256{rng(), rng(), rng(), rng()} >> (256 - bits);
}

struct Case {
  MarketParams params;
  MarketState state;
  Position position;
  U256 price;
};

Case random_case(std::mt19937_64& rng) {
  Case c;
  c.params.lltv = U256{10'000'000'000'000'000ULL + rng() % 980'000'000'000'000'000ULL};
  MarketState& s = c.state;
  s.total_borrow_assets = random_bits(rng, rng() % 4 == 0 ? 128 : 90);
  if (rng() % 12 == 0)  // near 2^126 and 2^127 (the general rule's bound for skipping its first attempt)
    s.total_borrow_assets = (U256{1} << (126 + rng() % 2)) - U256{rng() % 3} + U256{rng() % 3};
  s.total_borrow_shares = rng() % 4 == 0 ? random_bits(rng, 128)
                                         : s.total_borrow_assets * U256{1'000'000} + random_bits(rng, 20);
  s.total_supply_assets = rng() % 8 == 0 ? s.total_borrow_assets >> 1 : s.total_borrow_assets + random_bits(rng, 90);
  s.total_supply_shares = s.total_supply_assets * U256{1'000'000};
  s.last_update = 1'700'000'000;
  Position& p = c.position;
  p.borrow_shares = rng() % 10 == 0 ? s.total_borrow_shares + random_bits(rng, 40)
                                    : s.total_borrow_shares >> static_cast<unsigned>(rng() % 24);
  p.collateral = rng() % 10 == 0 ? U256{} : random_bits(rng, rng() % 20 == 0 ? 130 : 100);
  // Oracle prices around 1e27 (a loan token with 12 fewer decimals than the collateral), of every width at times.
  c.price = rng() % 20 == 0 ? U256{} : rng() % 5 == 0 ? random_bits(rng, 130) : random_bits(rng, 95);
  return c;
}

}  // namespace

TEST_CASE("morpho narrow liquidation: equals the rule played with liquidate(), or declines where it reverts") {
  std::mt19937_64 rng(0x4D0B1);
  std::size_t compared = 0, narrow = 0, declined = 0, reverted = 0, bad_debt = 0, repaid_all = 0;
  for (int i = 0; i < 200'000; ++i) {
    const Case c = random_case(rng);
    const auto healthy = is_healthy(c.params, c.state, c.position, c.price);
    if (!healthy || *healthy) continue;
    const U256 lif = liquidation_incentive_factor(c.params.lltv);
    auto want = liquidate(c.params, c.state, c.position, c.price, c.position.collateral, U256{});
    if (c.position.collateral.is_zero() || (!want && want.error() == MorphoError::insufficient_borrow))
      want = liquidate(c.params, c.state, c.position, c.price, U256{}, c.position.borrow_shares);
    const auto got = morpho::detail::narrow_max_unhealthy(c.state, c.position, c.price, lif);
    ++compared;
    INFO("case ", i);
    if (!want) {
      ++reverted;
      REQUIRE_FALSE(got.has_value());
      continue;
    }
    if (!got) {
      ++declined;
      continue;
    }
    ++narrow;
    bad_debt += got->bad_debt_assets.is_zero() ? 0 : 1;
    repaid_all += got->position_after.collateral.is_zero() ? 0 : 1;
    CHECK(got->seized_assets == want->seized_assets);
    CHECK(got->repaid_shares == want->repaid_shares);
    CHECK(got->repaid_assets == want->repaid_assets);
    CHECK(got->bad_debt_shares == want->bad_debt_shares);
    CHECK(got->bad_debt_assets == want->bad_debt_assets);
    CHECK(got->position_after.supply_shares == want->position_after.supply_shares);
    CHECK(got->position_after.borrow_shares == want->position_after.borrow_shares);
    CHECK(got->position_after.collateral == want->position_after.collateral);
    CHECK(got->state_after.total_supply_assets == want->state_after.total_supply_assets);
    CHECK(got->state_after.total_supply_shares == want->state_after.total_supply_shares);
    CHECK(got->state_after.total_borrow_assets == want->state_after.total_borrow_assets);
    CHECK(got->state_after.total_borrow_shares == want->state_after.total_borrow_shares);
    CHECK(got->state_after.last_update == want->state_after.last_update);
    CHECK(got->state_after.fee == want->state_after.fee);
  }
  MESSAGE("compared ", compared, ", narrow ", narrow, ", declined ", declined, ", reverted ", reverted, ", bad debt ",
          bad_debt, ", repaid all ", repaid_all);
  // Every branch is exercised: seizing everything with bad debt, repaying every share, reverts, declines.
  CHECK(narrow > 20'000);
  CHECK(bad_debt > 5'000);
  CHECK(repaid_all > 5'000);
  CHECK(reverted > 1'000);
  CHECK(declined > 500);
}

TEST_CASE("morpho narrow liquidation: liquidate_max_unhealthy returns the narrow outcome where it applies") {
  // The public function takes the narrow path first; on the same random cases its outcome (or error) equals the
  // rule's, whichever path answered.
  std::mt19937_64 rng(0x4D0B2);
  std::size_t compared = 0;
  for (int i = 0; i < 50'000; ++i) {
    const Case c = random_case(rng);
    const auto healthy = is_healthy(c.params, c.state, c.position, c.price);
    if (!healthy || *healthy) continue;
    auto want = liquidate(c.params, c.state, c.position, c.price, c.position.collateral, U256{});
    if (c.position.collateral.is_zero() || (!want && want.error() == MorphoError::insufficient_borrow))
      want = liquidate(c.params, c.state, c.position, c.price, U256{}, c.position.borrow_shares);
    const auto got =
        liquidate_max_unhealthy(c.state, c.position, c.price, liquidation_incentive_factor(c.params.lltv));
    INFO("case ", i);
    REQUIRE(got.has_value() == want.has_value());
    ++compared;
    if (!want) {
      CHECK(got.error() == want.error());
      continue;
    }
    CHECK(got->seized_assets == want->seized_assets);
    CHECK(got->repaid_shares == want->repaid_shares);
    CHECK(got->bad_debt_assets == want->bad_debt_assets);
    CHECK(got->state_after.total_borrow_assets == want->state_after.total_borrow_assets);
    CHECK(got->position_after.collateral == want->position_after.collateral);
  }
  CHECK(compared > 10'000);
}

TEST_CASE("morpho narrow liquidation: seizing everything for exactly the owed shares seizes everything") {
  // The fixture of morpho_test_support.hpp: 1 WETH at 2e27 is worth exactly 2,000e6 USDC units; the incentive
  // makes that ceil(2,000e6 x 1e18 / LIF) units, converted at exactly 1e6 shares a unit. A position owing exactly
  // those shares is the tie between the two attempts: the contract's first one (seize everything) succeeds.
  const MarketParams params = test::weth_usdc_params();
  const U256 lif = liquidation_incentive_factor(params.lltv);
  const U256 assets = *checked_mul_div_up(U256{2'000'000'000ULL}, sluice::kWad, lif);
  const Position p{U256{}, assets * U256{1'000'000}, test::weth(1000)};
  REQUIRE_FALSE(*is_healthy(params, test::usdc_market(), p, test::weth_usdc_price()));
  const auto want = liquidate(params, test::usdc_market(), p, test::weth_usdc_price(), p.collateral, U256{});
  REQUIRE(want.has_value());
  const auto got = morpho::detail::narrow_max_unhealthy(test::usdc_market(), p, test::weth_usdc_price(), lif);
  REQUIRE(got.has_value());
  CHECK(got->seized_assets == p.collateral);
  CHECK(got->repaid_shares == p.borrow_shares);
  CHECK(got->bad_debt_shares.is_zero());
  CHECK(got->repaid_assets == want->repaid_assets);
  CHECK(got->state_after.total_borrow_assets == want->state_after.total_borrow_assets);
  CHECK(got->state_after.total_borrow_shares == want->state_after.total_borrow_shares);
}
