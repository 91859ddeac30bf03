// The cascade engine's 128-bit account data (strategy/risk/cascade_account.hpp) must return exactly what
// aave::account_data returns, every field, whenever it applies, and must decline whenever the general code fails
// (it never invents a number). Random accounts of the fixture market with its indexes accrued to the clock (as the
// engine prepares them), balances from a few units up to 1e30 tokens (past the 128-bit fast path), some in eMode,
// some with stable debt, some with a reserve the bitmap marks but the user's list omits.
#include "strategy/aave/math.hpp"
#include "strategy/risk/cascade_account.hpp"
#include "tests/unit/strategy/book_fixture.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace sluice;
using namespace sluice::test::book;

namespace {

U256 random_amount(std::mt19937_64& rng, std::uint8_t decimals) {
  // Whole tokens from 1 to 10^k, k uniform in [0, 12], sometimes far beyond (10^30 tokens).
  U256 whole = U256{1 + rng() % pow10(static_cast<unsigned>(rng() % 13)).limbs[0]};
  if (rng() % 50 == 0) whole = whole * pow10(18);
  return whole * pow10(decimals) + U256{rng() % 1'000'000'007ULL};
}

}  // namespace

TEST_CASE("cascade account data: the 128-bit path equals aave::account_data field for field, or declines") {
  std::mt19937_64 rng(0xACC0);
  auto market = aave_market(kT0, &rng);
  for (auto& r : market.reserves) {  // accrued to the clock, as the engine's prepared snapshot
    r.liquidity_index = *aave::normalized_income(r, kT0);
    r.variable_borrow_index = *aave::normalized_debt(r, kT0);
    r.last_update_timestamp = kT0;
  }
  std::size_t fast = 0, declined = 0, general_failed = 0;
  for (int i = 0; i < 20'000; ++i) {
    aave::UserState u;
    u.account = address_of(0x40, static_cast<std::uint32_t>(i));
    u.emode_category = rng() % 10 == 0 ? 1 : 0;
    const unsigned legs = 1 + static_cast<unsigned>(rng() % 4);
    for (std::uint16_t id = 0; id < std::size(kReserveSpecs); ++id) {
      if (rng() % std::size(kReserveSpecs) >= legs) continue;
      aave::UserReserve r;
      r.reserve_id = id;
      const auto dec = kReserveSpecs[id].decimals;
      if (rng() % 2) {
        r.scaled_a_token = random_amount(rng, dec);
        u.config.bitmap = u.config.bitmap | (U256{2} << (2u * id));
      }
      if (rng() % 2) {
        r.scaled_variable_debt = rng() % 8 == 0 ? U256{} : random_amount(rng, dec);
        if (rng() % 30 == 0) {
          r.stable_debt.principal = random_amount(rng, dec);
          r.stable_debt.rate = kRayU / U256{20};
          r.stable_debt.last_updated = kT0 - 1000;
        }
        u.config.bitmap = u.config.bitmap | (U256{1} << (2u * id));
      }
      if (rng() % 40 == 0) continue;  // marked in the bitmap, missing from the list: holds nothing
      u.reserves.push_back(r);
    }
    aave::AccountData got;
    const bool applied = risk::detail::fast_account_data(market, u, got);
    const auto want = aave::account_data(market, u);
    if (!want) {
      ++general_failed;
      CHECK_FALSE(applied);
      continue;
    }
    if (!applied) {
      ++declined;
      continue;
    }
    ++fast;
    INFO("account ", i);
    CHECK(got.total_collateral_base == want->total_collateral_base);
    CHECK(got.total_debt_base == want->total_debt_base);
    CHECK(got.avg_ltv_bps == want->avg_ltv_bps);
    CHECK(got.avg_liquidation_threshold_bps == want->avg_liquidation_threshold_bps);
    CHECK(got.health_factor == want->health_factor);
    CHECK(got.has_zero_ltv_collateral == want->has_zero_ltv_collateral);
  }
  // Both branches are exercised: about half the accounts take the fast path; eMode, stable debt, huge balances and
  // reserves missing from the list decline.
  CHECK(fast > 8'000);
  CHECK(declined > 1'000);
  MESSAGE("fast ", fast, ", declined ", declined, ", general failed ", general_failed);
}
