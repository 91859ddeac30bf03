// Position book: the cached fast path (per-reserve indexes once per clock, per-account native balances, sums redone
// on price ticks) is bit-identical to aave::account_data and morpho::is_healthy / health_factor called directly, on
// random accounts after random price ticks and clock moves. Seed: SLUICE_DIFF_SEED or a fixed default.
#include "strategy/aave/math.hpp"
#include "strategy/book/position_book.hpp"
#include "strategy/morpho/math.hpp"
#include "tests/support/diff_seed.hpp"
#include "tests/unit/strategy/book_fixture.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::book;
using namespace sluice::test::book;

namespace {


/// A random amount of a token with `decimals`: from dust to ~10^7 whole tokens, log-uniform.
U256 random_amount(std::mt19937_64& rng, std::uint8_t decimals) {
  const unsigned digits = static_cast<unsigned>(rng() % (decimals + 8u)) + 1u;
  U256 v = 1;
  for (unsigned i = 0; i < digits; ++i) v = v * U256{10};
  return v / U256{1 + rng() % 9} + U256{rng() % 1000};
}

aave::UserState random_user(std::mt19937_64& rng, const Address& who) {
  // One account in 16 is a whale whose amounts overflow 128-bit intermediates (the book's 256-bit path).
  const U256 scale = rng() % 16 == 0 ? U256{1'000'000'000'000ULL} : U256{1};
  aave::UserState u;
  u.account = who;
  u.emode_category = rng() % 4 == 0 ? 1 : 0;
  for (std::uint16_t r = 0; r < std::size(kReserveSpecs); ++r) {
    if (rng() % 5 >= 2) continue;
    aave::UserReserve ur;
    ur.reserve_id = r;
    const auto dec = kReserveSpecs[r].decimals;
    const bool collateral = rng() % 3 != 0, borrowing = rng() % 2 == 0;
    if (collateral) {
      ur.scaled_a_token = random_amount(rng, dec) * scale;
      u.config.bitmap = u.config.bitmap | (U256{2} << (2u * r));
    } else if (rng() % 4 == 0) {
      ur.scaled_a_token = random_amount(rng, dec);  // supplied but not used as collateral
    }
    if (borrowing) {
      ur.scaled_variable_debt = rng() % 6 == 0 ? U256{} : random_amount(rng, dec) * scale;
      if (rng() % 5 == 0) {
        ur.stable_debt.principal = random_amount(rng, dec);
        ur.stable_debt.rate = U256{rng() % 200'000'000'000'000'000ULL} * U256{1'000'000'000ULL};
        ur.stable_debt.last_updated = kT0 - rng() % 1'000'000;
      }
      u.config.bitmap = u.config.bitmap | (U256{1} << (2u * r));
    }
    if (collateral || borrowing || !ur.scaled_a_token.is_zero()) u.reserves.push_back(ur);
  }
  return u;
}

void check_aave_equal(const PositionBook& book, const Address& who) {
  const auto user = book.aave_user(who);
  if (!user) return;
  const auto direct = aave::account_data(book.aave_market(), *user);
  const auto cached = book.aave_account_data(who);
  REQUIRE(direct.has_value() == cached.has_value());
  if (!direct) return;
  CHECK(cached->total_collateral_base == direct->total_collateral_base);
  CHECK(cached->total_debt_base == direct->total_debt_base);
  CHECK(cached->avg_ltv_bps == direct->avg_ltv_bps);
  CHECK(cached->avg_liquidation_threshold_bps == direct->avg_liquidation_threshold_bps);
  CHECK(cached->health_factor == direct->health_factor);
  CHECK(cached->has_zero_ltv_collateral == direct->has_zero_ltv_collateral);
  const auto view = book.find({Protocol::aave_v3, who, {}});
  REQUIRE(view);
  CHECK(view->health_factor == direct->health_factor);
  CHECK(view->liquidatable == (direct->health_factor < U256{1'000'000'000'000'000'000ULL}));
}

}  // namespace

TEST_CASE("book: cached Aave account data equals aave::account_data on 2,000 random accounts after random ticks") {
  const auto seed = sluice::test::diff_seed(20261125);
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  PositionBook book;
  auto market = aave_market(kT0, &rng);
  // eMode 1 priced by its own source (WETH's feed) half of the time.
  if (rng() % 2) {
    market.emodes[0].price_source = market.reserves[kWeth].asset;
    market.emodes[0].price = market.prices[kWeth];
  }
  book.set_aave_market(market);
  constexpr std::uint32_t kUsers = 2'000;
  for (std::uint32_t i = 0; i < kUsers; ++i) book.upsert_aave_user(random_user(rng, address_of(7, i)));
  // A few irregular accounts: a bitmap bit without reserve state (these go through aave::account_data).
  for (std::uint32_t i = 0; i < 20; ++i) {
    auto u = random_user(rng, address_of(8, i));
    u.config.bitmap = u.config.bitmap | (U256{1} << 2u * 6u);
    book.upsert_aave_user(u);
  }

  std::uint64_t now = kT0;
  for (int round = 0; round < 6; ++round) {
    // Random oracle ticks (+-30%), sometimes a clock move of up to a week, sometimes replaced accounts.
    for (int t = 0; t < 4; ++t) {
      const auto r = static_cast<std::uint16_t>(rng() % std::size(kReserveSpecs));
      const auto base = kReserveSpecs[r].price;
      book.set_aave_price(r, U256{base / 10 * (7 + rng() % 7) + rng() % 1000});
    }
    if (round % 2 == 1) {
      now += rng() % (7 * 86'400);
      book.set_clock(100 + static_cast<std::uint64_t>(round), now);
    }
    for (int k = 0; k < 50; ++k) {
      const auto n = static_cast<std::uint32_t>(rng() % kUsers);
      book.upsert_aave_user(random_user(rng, address_of(7, n)));
    }
  }
  // The last tick must have gone through the fast path, not aave::account_data, for all but the irregular accounts
  // (otherwise the equality below would hold trivially).
  book.reset_stats();
  book.set_aave_price(kUsdc, U256{99'990'000ULL});
  CHECK(book.stats().aave_evaluations > 500);
  CHECK(book.stats().aave_fallbacks <= 20);
  CHECK(book.stats().aave_wide_evaluations > 10);  // both the 128-bit and the 256-bit sums are compared below
  CHECK(book.stats().aave_wide_evaluations < book.stats().aave_evaluations / 4);

  std::size_t liquidatable = 0;
  for (std::uint32_t i = 0; i < kUsers; ++i) {
    check_aave_equal(book, address_of(7, i));
    if (auto v = book.find({Protocol::aave_v3, address_of(7, i), {}}); v && v->liquidatable) ++liquidatable;
  }
  for (std::uint32_t i = 0; i < 20; ++i) check_aave_equal(book, address_of(8, i));
  // The random mix must cover both sides of HF 1, or the test says little.
  CHECK(liquidatable > 50);
  CHECK(liquidatable < kUsers - 50);
}

TEST_CASE("book: Morpho health in the book equals morpho::is_healthy and health_factor after random ticks") {
  const auto seed = sluice::test::diff_seed(20261126);
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  PositionBook book;
  set_usd_prices(book);
  std::vector<morpho::Market> markets = {morpho_market(kWeth, 860, kT0), morpho_market(kWbtc, 770, kT0),
                                         morpho_market(kWsteth, 945, kT0)};
  for (auto& m : markets) {
    m.borrow_rate = U256{rng() % 10'000'000'000ULL};  // up to ~37%/year per second in WAD
    book.upsert_morpho_market(m);
  }
  book.set_clock(100, kT0);
  struct Held {
    std::size_t market;
    Address who;
  };
  std::vector<Held> held;
  for (std::uint32_t i = 0; i < 2'000; ++i) {
    const auto mi = rng() % markets.size();
    morpho::Position p;
    const auto dec = kReserveSpecs[mi == 0 ? kWeth : mi == 1 ? kWbtc : kWsteth].decimals;
    p.collateral = random_amount(rng, dec);
    p.borrow_shares = rng() % 8 == 0 ? U256{} : random_amount(rng, 6) * U256{1'000'000};
    book.upsert_morpho_position(markets[mi].id, address_of(9, i), p);
    held.push_back({mi, address_of(9, i)});
  }
  std::uint64_t now = kT0;
  for (int round = 0; round < 5; ++round) {
    for (auto& m : markets) {
      m.oracle_price = m.oracle_price / U256{10} * U256{7 + rng() % 7};
      book.set_morpho_price(m.id, m.oracle_price);
    }
    now += rng() % 86'400;
    book.set_clock(101 + static_cast<std::uint64_t>(round), now);
  }
  std::size_t unhealthy = 0;
  for (const auto& h : held) {
    const auto& m = markets[h.market];
    const auto* pos = book.morpho_position(m.id, h.who);
    if (!pos) continue;
    const auto accrued = morpho::accrue_interest(m.state, m.borrow_rate, now);
    REQUIRE(accrued.has_value());
    const auto healthy = morpho::is_healthy(m.params, *accrued, *pos, m.oracle_price);
    const auto hf = morpho::health_factor(m.params, *accrued, *pos, m.oracle_price);
    REQUIRE(healthy.has_value());
    REQUIRE(hf.has_value());
    const auto v = book.find({Protocol::morpho_blue, h.who, m.id});
    REQUIRE(v);
    CHECK(v->liquidatable == !*healthy);
    CHECK(v->health_factor == *hf);
    unhealthy += !*healthy;
  }
  CHECK(unhealthy > 20);
  CHECK(unhealthy < held.size() - 20);
}
