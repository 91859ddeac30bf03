// The cascade engine's 128-bit account health (strategy/risk/cascade_account.hpp) must return exactly what
// aave::account_data returns in its three fields, whenever it applies, and must decline whenever the general code fails
// (it never invents a number). Random accounts of the fixture market with its indexes accrued to the clock (as the
// engine prepares them), balances from a few units up to 1e30 tokens (past the 128-bit fast path), some in eMode,
// some with stable debt, some with a reserve the bitmap marks but the user's list omits.
#include "chain/fixed_point.hpp"
#include "strategy/aave/liquidation_steps.hpp"
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

/// A random account of the fixture market: 1 to 4 reserves, sometimes eMode, stable debt, a reserve the bitmap
/// marks but the list omits, balances up to 1e30 tokens.
aave::UserState random_user(std::mt19937_64& rng, int i) {
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
  return u;
}

/// The fixture market with its indexes accrued to the clock, as the engine prepares it.
aave::MarketSnapshot market_at_clock(std::mt19937_64& rng) {
  auto market = aave_market(kT0, &rng);
  for (auto& r : market.reserves) {
    r.liquidity_index = *aave::normalized_income(r, kT0);
    r.variable_borrow_index = *aave::normalized_debt(r, kT0);
    r.last_update_timestamp = kT0;
  }
  return market;
}

/// Calls f(account index, user, collateral term, debt term, account data) for every pair of marked reserves, the
/// second one borrowed (the engine hands the others to aave::liquidation), of 20,000 random accounts whose terms
/// are usable, each at a health factor drawn in [0.5, 1.1) WAD (liquidation trusts the account data it is given).
template <class F>
void for_each_pair(std::mt19937_64& rng, const aave::MarketSnapshot& market, F&& f) {
  for (int i = 0; i < 20'000; ++i) {
    const aave::UserState u = random_user(rng, i);
    risk::detail::AccountTerms terms;
    risk::detail::account_terms(market, u, terms);
    if (!terms.usable) continue;
    aave::AccountData account;
    account.health_factor = U256{500'000'000'000'000'000ULL + rng() % 600'000'000'000'000'000ULL};
    for (std::uint8_t c = 0; c < terms.count; ++c)
      for (std::uint8_t d = 0; d < terms.count; ++d)
        if (terms.terms[d].borrow) f(i, u, terms.terms[c], terms.terms[d], account);
  }
}

}  // namespace

TEST_CASE("cascade account health: the 128-bit path equals aave::account_data's totals and HF, or declines") {
  std::mt19937_64 rng(0xACC0);
  const auto fixture = market_at_clock(rng);
  // The fixture's market, then the same with DAI's LT at 0 (collateral in none of the sums, as GenericLogic skips
  // it).
  auto no_lt = fixture;
  no_lt.reserves[4].config.liquidation_threshold_bps = 0;
  std::size_t fast = 0, declined = 0, general_failed = 0;
  for (int i = 0; i < 40'000; ++i) {
    const auto& market = i % 2 == 0 ? fixture : no_lt;
    const aave::UserState u = random_user(rng, i);
    risk::detail::AccountHealth got;
    const bool applied = risk::detail::fast_account_health(market, u, got);
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
    CHECK(got.health_factor == want->health_factor);
    const auto same = risk::detail::health_of(*want);
    CHECK(same.total_collateral_base == want->total_collateral_base);
    CHECK(same.total_debt_base == want->total_debt_base);
    CHECK(same.health_factor == want->health_factor);
  }
  // Both branches are exercised: about half the accounts take the fast path; eMode, stable debt, huge balances and
  // reserves missing from the list decline.
  CHECK(fast > 16'000);
  CHECK(declined > 2'000);
  MESSAGE("fast ", fast, ", declined ", declined, ", general failed ", general_failed);
}

TEST_CASE("cascade account terms: an account marking more reserves than AccountTerms::kMax takes the general code") {
  static_assert(std::size(kReserveSpecs) > risk::detail::AccountTerms::kMax);
  std::mt19937_64 rng(0xACC5);
  const auto market = market_at_clock(rng);
  const U256 ten = pow10(19);
  // kMax reserves as collateral (the first one also borrowed): within the limit. One more: beyond it.
  const auto user_of = [&](std::size_t reserves) {
    aave::UserState u = aave_user(address_of(0x41, 1), {});
    for (std::uint16_t id = 0; id < reserves; ++id) {
      const auto units = pow10(kReserveSpecs[id].decimals);
      u.reserves.push_back(aave::UserReserve{});
      u.reserves.back().reserve_id = id;
      u.reserves.back().scaled_a_token = units * U256{1000};
      u.config.bitmap = u.config.bitmap | (U256{2} << (2u * id));
    }
    u.reserves.front().scaled_variable_debt = ten;
    u.config.bitmap = u.config.bitmap | U256{1};
    return u;
  };
  for (const std::size_t reserves : {risk::detail::AccountTerms::kMax, risk::detail::AccountTerms::kMax + 1}) {
    const auto u = user_of(reserves);
    INFO(reserves, " reserves");
    risk::detail::AccountTerms terms;
    risk::detail::account_terms(market, u, terms);
    CHECK(terms.usable == (reserves <= risk::detail::AccountTerms::kMax));
    const auto want = aave::account_data(market, u);
    REQUIRE(want.has_value());
    risk::detail::AccountHealth got;
    REQUIRE(risk::detail::fast_account_health(market, u, got) == terms.usable);
    if (terms.usable) CHECK(got.health_factor == want->health_factor);
  }
}

TEST_CASE("cascade account terms: mul_div_128 equals floor(a x b / unit) in 256 bits, or declines past 128 bits") {
  std::mt19937_64 rng(0xD128);
  const auto draw = [&rng] {  // every width from 0 to 128 bits, and the edges
    switch (rng() % 8) {
      case 0: return uint128{0};
      case 1: return ~uint128{0};
      case 2: return uint128{~0ULL};
      case 3: return (uint128{1} << 64) + (rng() % 3);
      default: return ((uint128{rng()} << 64) | rng()) >> (rng() % 128);
    }
  };
  for (int i = 0; i < 200'000; ++i) {
    const uint128 a = draw(), b = draw();
    const std::uint64_t unit = pow10(static_cast<unsigned>(rng() % 20)).limbs[0];
    const U256 product = risk::detail::from128(a) * risk::detail::from128(b);  // cannot wrap: < 2^256
    uint128 got = 0;
    const bool fits = risk::detail::fits128(product);
    INFO("a = ", risk::detail::from128(a).to_hex(), ", b = ", risk::detail::from128(b).to_hex());
    REQUIRE(risk::detail::mul_div_128(a, b, unit, got) == fits);
    if (fits) CHECK(risk::detail::from128(got) == product / U256{unit});
  }
}

TEST_CASE("cascade account terms: liquidation from the cached balances equals aave::liquidation, result or error") {
  // The engine's known_balances_liquidation: aave::detail::liquidation_from_balances with the debt and collateral
  // balances of account_terms. Every pair of marked reserves of every account whose terms are usable, at a health
  // factor drawn in [0.5, 1.1) WAD (liquidation trusts the account data it is given; both sides get the same).
  std::mt19937_64 rng(0x11D0);
  auto market = market_at_clock(rng);
  std::size_t compared = 0, succeeded = 0, errors = 0, scaled_seen = 0;
  for_each_pair(rng, market, [&](int i, const aave::UserState& u, const risk::detail::AccountTerm& tc,
                                 const risk::detail::AccountTerm& td, const aave::AccountData& account) {
    const aave::LiquidationRequest request{tc.id, td.id, U256::max()};
    const auto want = aave::liquidation(market, u, request, account);
    const U256 variable = risk::detail::from128(td.debt_balance);
    const U256 coll = risk::detail::from128(tc.collateral_balance);
    aave::detail::LiquidationScaled scaled;
    const auto got = aave::detail::liquidation_from_balances(
        market, u, request, account, market.reserves[tc.id], market.reserves[td.id], u.reserves[tc.index],
        U256{}, variable, tc.collateral ? &coll : nullptr, &scaled);
    ++compared;
    INFO("account ", i, " collateral ", tc.id, " debt ", td.id);
    REQUIRE(got.has_value() == want.has_value());
    if (!want) {
      ++errors;
      CHECK(got.error() == want.error());
      return;
    }
    ++succeeded;
    CHECK(got->debt_repaid == want->debt_repaid);
    CHECK(got->collateral_to_liquidator == want->collateral_to_liquidator);
    CHECK(got->protocol_fee == want->protocol_fee);
    CHECK(got->close_factor_bps == want->close_factor_bps);
    CHECK(got->liquidation_bonus_bps == want->liquidation_bonus_bps);
    CHECK(got->collateral_price == want->collateral_price);
    CHECK(got->debt_price == want->debt_price);
    CHECK(got->health_factor_before == want->health_factor_before);
    // The scaled burns handed to the engine are the rayDivs it would otherwise compute.
    const U256& income = market.reserves[tc.id].liquidity_index;
    const U256& debt_index = market.reserves[td.id].variable_borrow_index;
    if (scaled.collateral_to_liquidator) {
      ++scaled_seen;
      CHECK(*scaled.collateral_to_liquidator == *ray_div_half_up(want->collateral_to_liquidator, income));
    }
    if (scaled.protocol_fee) CHECK(*scaled.protocol_fee == *ray_div_half_up(want->protocol_fee, income));
    if (scaled.debt_repaid) {
      CHECK(variable >= want->debt_repaid);
      CHECK(*scaled.debt_repaid == *ray_div_half_up(want->debt_repaid, debt_index));
    }
  });
  CHECK(succeeded > 5'000);
  CHECK(scaled_seen > 1'000);
  CHECK(errors > 1'000);  // healthy accounts, collateral not enabled, the same debt reserve as collateral...
  MESSAGE("compared ", compared, ", liquidations ", succeeded, ", errors ", errors);
}

TEST_CASE("cascade account terms: the narrow liquidation equals aave::liquidation and its burns, or declines") {
  // aave::detail::narrow_max_liquidation on every pair of marked reserves of random accounts (usable terms): where
  // it answers, aave::liquidation succeeds with the same amounts, close factor and bonus, and its scaled burns are
  // what the tokens burn (amount rayDiv index, half up, the aToken's two burns added); it never answers where
  // aave::liquidation fails.
  std::mt19937_64 rng(0x11D1);
  auto market = market_at_clock(rng);
  // Half the reserves without a protocol fee (the aToken then burns only the liquidator's share).
  for (std::size_t id = 0; id < market.reserves.size(); id += 2)
    market.reserves[id].config.liquidation_protocol_fee_bps = 0;
  std::size_t answered = 0, declined = 0, declined_but_liquidatable = 0, with_fee = 0, exhausted = 0, same = 0;
  for_each_pair(rng, market, [&](int i, const aave::UserState& u, const risk::detail::AccountTerm& tc,
                                 const risk::detail::AccountTerm& td, const aave::AccountData& account) {
    if (!risk::detail::fits128(u.reserves[tc.index].scaled_a_token)) return;
    const aave::LiquidationRequest request{tc.id, td.id, U256::max()};
    const auto want = aave::liquidation(market, u, request, account);
    const auto got = aave::detail::narrow_max_liquidation(
        market, u, tc.id, td.id, account.health_factor, tc.collateral_balance,
        risk::detail::to128(u.reserves[tc.index].scaled_a_token), td.debt_balance);
    INFO("account ", i, " collateral ", tc.id, " debt ", td.id);
    if (!got) {
      ++declined;
      declined_but_liquidatable += want ? 1 : 0;
      return;
    }
    ++answered;
    REQUIRE(want.has_value());
    CHECK(risk::detail::from128(got->debt_repaid) == want->debt_repaid);
    CHECK(risk::detail::from128(got->collateral_to_liquidator) == want->collateral_to_liquidator);
    CHECK(risk::detail::from128(got->protocol_fee) == want->protocol_fee);
    CHECK(got->close_factor_bps == want->close_factor_bps);
    CHECK(got->liquidation_bonus_bps == want->liquidation_bonus_bps);
    const U256& income = market.reserves[tc.id].liquidity_index;
    const U256& debt_index = market.reserves[td.id].variable_borrow_index;
    CHECK(risk::detail::from128(got->scaled_debt_burn) == *ray_div_half_up(want->debt_repaid, debt_index));
    CHECK(risk::detail::from128(got->scaled_collateral_burn) ==
          *ray_div_half_up(want->collateral_to_liquidator, income) + *ray_div_half_up(want->protocol_fee, income));
    with_fee += want->protocol_fee.is_zero() ? 0 : 1;
    // All the collateral leaves: where the fee meets the cap on what is left.
    exhausted += got->scaled_collateral_burn >= risk::detail::to128(u.reserves[tc.index].scaled_a_token) ? 1 : 0;
    same += tc.id == td.id ? 1 : 0;  // one reserve both collateral and debt
  });
  CHECK(answered > 5'000);
  CHECK(with_fee > 1'000);
  CHECK(answered - with_fee > 1'000);
  CHECK(exhausted > 1'000);
  CHECK(same > 1'000);
  CHECK(declined > 1'000);  // errors (healthy, collateral not enabled...), amounts past 128 bits
  MESSAGE("answered ", answered, " (", with_fee, " with a fee, ", exhausted, " seizing all, ", same,
          " in one reserve), declined ", declined, " (",
          declined_but_liquidatable, " liquidatable: left to the general code)");
}
