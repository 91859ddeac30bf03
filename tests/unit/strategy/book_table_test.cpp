// Position book: insertion, removal, replacement, the exposure index, sorting and filters.
#include "strategy/aave/math.hpp"
#include "strategy/book/position_book.hpp"
#include "tests/unit/strategy/book_fixture.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::book;
using namespace sluice::test::book;

namespace {



}  // namespace

TEST_CASE("book: insert, replace and remove Aave accounts and Morpho positions") {
  auto book = aave_book();
  const auto alice = address_of(1, 1), bob = address_of(1, 2);
  book.upsert_aave_user(aave_user(alice, {{kWeth, tokens(10, 18), {}}, {kUsdc, {}, tokens(10'000, 6)}}));
  book.upsert_aave_user(aave_user(bob, {{kWbtc, tokens(1, 8), {}}}));
  CHECK(book.size() == 2);
  REQUIRE(book.find(aave_key(alice)));
  CHECK(book.find(aave_key(alice))->debt.size() == 1);

  // Round trip of the stored state.
  const auto stored = book.aave_user(alice);
  REQUIRE(stored);
  CHECK(stored->config.bitmap == aave_user(alice, {{kWeth, tokens(10, 18), {}}, {kUsdc, {}, tokens(10'000, 6)}}).config.bitmap);
  REQUIRE(stored->reserves.size() == 2);
  CHECK(stored->reserves[0].scaled_a_token == tokens(10, 18));

  // Replacement: alice now holds WBTC against DAI; the old legs are gone.
  book.upsert_aave_user(aave_user(alice, {{kWbtc, tokens(2, 8), {}}, {kDai, {}, tokens(5'000, 18)}}));
  CHECK(book.size() == 2);
  const auto v = book.find(aave_key(alice));
  REQUIRE(v);
  REQUIRE(v->collateral.size() == 1);
  CHECK(v->collateral[0].asset == *book.find_asset(address_of(0xA0, kWbtc)));
  CHECK(v->collateral[0].amount == tokens(2, 8));
  // 2 WBTC at $60,000 = $120,000 in USD from the book's prices.
  CHECK(v->collateral_usd == doctest::Approx(120'000.0));
  CHECK(v->debt_usd == doctest::Approx(5'000.0));

  // An empty configuration removes the account.
  book.upsert_aave_user(aave_user(alice, {}));
  CHECK(book.size() == 1);
  CHECK_FALSE(book.find(aave_key(alice)));
  CHECK_FALSE(book.aave_user(alice));

  // Morpho: a position in a known market; an empty position removes it; unknown markets are ignored.
  const auto market = morpho_market(kWeth, 860, kT0);
  book.upsert_morpho_market(market);
  morpho::Position p;
  p.collateral = tokens(1, 18);
  p.borrow_shares = tokens(1'000, 6) * U256{1'000'000};
  book.upsert_morpho_position(market.id, alice, p);
  CHECK(book.size() == 2);
  REQUIRE(book.morpho_position(market.id, alice));
  CHECK(book.morpho_position(market.id, alice)->collateral == tokens(1, 18));
  morpho::MarketId unknown;
  unknown.bytes[0] = 0xEE;
  book.upsert_morpho_position(unknown, alice, p);
  CHECK(book.size() == 2);
  book.upsert_morpho_position(market.id, alice, morpho::Position{});
  CHECK(book.size() == 1);
  CHECK_FALSE(book.morpho_position(market.id, alice));
}

TEST_CASE("book: many inserts and removals keep the index consistent") {
  auto book = aave_book();
  std::mt19937_64 rng(7);
  std::vector<bool> present(500, false);
  for (int step = 0; step < 5'000; ++step) {
    const auto n = static_cast<std::uint32_t>(rng() % present.size());
    const auto who = address_of(2, n);
    if (rng() % 3 == 0) {
      book.upsert_aave_user(aave_user(who, {}));
      present[n] = false;
    } else {
      const auto r = static_cast<std::uint16_t>(rng() % 5);
      book.upsert_aave_user(aave_user(who, {{r, tokens(1 + rng() % 100, kReserveSpecs[r].decimals), {}},
                                             {kUsdc, {}, tokens(1 + rng() % 100, 6)}}));
      present[n] = true;
    }
  }
  std::size_t expected = 0;
  for (std::uint32_t n = 0; n < present.size(); ++n) {
    expected += present[n];
    CHECK(book.find(aave_key(address_of(2, n))).has_value() == present[n]);
  }
  CHECK(book.size() == expected);
  // After all this churn, a tick on WBTC evaluates exactly the accounts holding WBTC now.
  std::size_t holding_wbtc = 0;
  for (std::uint32_t n = 0; n < present.size(); ++n)
    if (auto u = book.aave_user(address_of(2, n)); u && u->reserve(kWbtc)) ++holding_wbtc;
  book.reset_stats();
  book.set_aave_price(kWbtc, U256{59'000'00000000ULL});
  CHECK(book.stats().aave_evaluations == holding_wbtc);
}

TEST_CASE("book: a price tick re-evaluates only the positions exposed to the asset") {
  auto book = aave_book();
  const auto a = address_of(3, 1), b = address_of(3, 2), c = address_of(3, 3);
  book.upsert_aave_user(aave_user(a, {{kWeth, tokens(10, 18), {}}, {kUsdc, {}, tokens(10'000, 6)}}));
  book.upsert_aave_user(aave_user(b, {{kWbtc, tokens(1, 8), {}}, {kUsdc, {}, tokens(20'000, 6)}}));
  book.upsert_aave_user(aave_user(c, {{kWbtc, tokens(1, 8), {}}}));
  const auto weth_market = morpho_market(kWeth, 860, kT0);
  const auto wbtc_market = morpho_market(kWbtc, 860, kT0);
  book.upsert_morpho_market(weth_market);
  book.upsert_morpho_market(wbtc_market);
  morpho::Position p;
  p.collateral = tokens(1, 18);
  p.borrow_shares = tokens(1'000, 6) * U256{1'000'000};
  book.upsert_morpho_position(weth_market.id, a, p);
  book.upsert_morpho_position(weth_market.id, b, p);
  p.collateral = tokens(1, 8);
  book.upsert_morpho_position(wbtc_market.id, c, p);

  const auto hf_b = book.find(aave_key(b))->health_factor;
  book.reset_stats();
  book.set_aave_price(kWeth, U256{1500'00000000ULL});
  CHECK(book.stats().aave_evaluations == 1);  // a only
  CHECK(book.stats().morpho_evaluations == 0);
  CHECK(book.find(aave_key(b))->health_factor == hf_b);

  book.reset_stats();
  book.set_aave_price(kUsdc, U256{1'01000000ULL});
  CHECK(book.stats().aave_evaluations == 2);  // a and b

  book.reset_stats();
  book.set_morpho_price(weth_market.id, weth_market.oracle_price / U256{2});
  CHECK(book.stats().morpho_evaluations == 2);
  CHECK(book.stats().aave_evaluations == 0);

  // USD ticks revalue every position exposed to the asset, across protocols: WBTC -> b, c (Aave), c (Morpho).
  book.reset_stats();
  book.set_usd_price(*book.find_asset(address_of(0xA0, kWbtc)), U256{50'000'00000000ULL});
  CHECK(book.stats().usd_revaluations == 3);
  CHECK(book.stats().aave_evaluations == 0);
  CHECK(book.find(aave_key(c))->collateral_usd == doctest::Approx(50'000.0));

  // A clock change re-evaluates everything, computing each reserve's indexes once (not once per account).
  book.reset_stats();
  book.set_clock(101, kT0 + 12);
  CHECK(book.stats().aave_evaluations == 3);
  CHECK(book.stats().aave_reserve_index_refreshes == std::size(kReserveSpecs));
  CHECK(book.stats().morpho_market_accruals == 2);
  CHECK(book.stats().morpho_evaluations == 3);
}

TEST_CASE("book: view sorts by health factor and filters") {
  auto book = aave_book();
  // Collateral 10 WETH ($20,000, LT 83%: $16,600 weighted); debt d USDC gives HF 16,600 / d.
  const std::uint64_t debts[] = {8'300, 20'000, 16'600, 12'000, 17'000};
  for (std::uint32_t i = 0; i < std::size(debts); ++i)
    book.upsert_aave_user(aave_user(address_of(4, i), {{kWeth, tokens(10, 18), {}}, {kUsdc, {}, tokens(debts[i], 6)}}));
  book.upsert_aave_user(aave_user(address_of(4, 99), {{kWeth, tokens(1, 18), {}}}));  // no debt

  const auto all = book.view();
  REQUIRE(all.size() == 5);  // the debt-free account is left out by default
  for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].health_factor <= all[i].health_factor);
  CHECK(all.front().key.account == address_of(4, 1));  // 16,600 / 20,000 = 0.83
  CHECK(all.front().liquidatable);
  CHECK(all.back().key.account == address_of(4, 0));  // 16,600 / 8,300 = 2
  CHECK(all.back().health_factor == U256{2'000'000'000'000'000'000ULL});

  ViewFilter risky;
  risky.max_health_factor = 1.0;
  const auto below = book.view(risky);
  REQUIRE(below.size() == 3);  // 0.83, 0.976..., and exactly 1.0 (16,600 / 16,600)
  CHECK_FALSE(below.back().liquidatable);  // HF 1 is not below the threshold
  for (const auto& v : below) CHECK(v.health_factor <= U256{1'000'000'000'000'000'000ULL});

  ViewFilter band;
  band.min_health_factor = 1.1;
  band.max_health_factor = 1.5;
  const auto mid = book.view(band);
  REQUIRE(mid.size() == 1);
  CHECK(mid[0].key.account == address_of(4, 3));  // 16,600 / 12,000 = 1.383

  ViewFilter everything;
  everything.include_debt_free = true;
  const auto with_free = book.view(everything);
  REQUIRE(with_free.size() == 6);
  CHECK(with_free.back().key.account == address_of(4, 99));
  CHECK(with_free.back().health_factor == U256::max());
}

TEST_CASE("book: accounts added before the Aave market are indexed once it arrives") {
  PositionBook book;
  const auto who = address_of(10, 1);
  book.upsert_aave_user(aave_user(who, {{kWeth, tokens(10, 18), {}}, {kUsdc, {}, tokens(17'000, 6)}}));
  CHECK(book.size() == 1);
  // No reserves yet: like the Pool, the account math ignores bits beyond the reserves list, so nothing counts.
  CHECK(book.find(aave_key(who))->health_factor == U256::max());
  CHECK(book.view().empty());
  book.set_aave_market(aave_market(kT0));
  const auto v = book.find(aave_key(who));
  REQUIRE(v);
  CHECK(v->error.empty());
  CHECK(v->health_factor == U256{976'470'588'235'294'118ULL});  // the hand case (see book_liquidation_test)
  book.reset_stats();
  book.set_aave_price(kWeth, U256{2'100'00000000ULL});
  CHECK(book.stats().aave_evaluations == 1);
  CHECK_FALSE(book.find(aave_key(who))->liquidatable);
}

TEST_CASE("book: an account the exact math rejects is reported with its error, last, never liquidatable") {
  auto book = aave_book();
  const auto bad = address_of(10, 2), good = address_of(10, 3);
  // eMode category 7 does not exist: aave::account_data fails (the Pool would read an empty category).
  book.upsert_aave_user(aave_user(bad, {{kWeth, tokens(1, 18), {}}, {kUsdc, {}, tokens(1'900, 6)}}, 7));
  book.upsert_aave_user(aave_user(good, {{kWeth, tokens(1, 18), {}}, {kUsdc, {}, tokens(1'000, 6)}}));
  const auto rows = book.view();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].key.account == good);
  CHECK(rows[1].key.account == bad);
  CHECK_FALSE(rows[1].error.empty());
  CHECK_FALSE(rows[1].liquidatable);
  CHECK_FALSE(book.aave_account_data(bad));
  CHECK(book.aave_account_data(good));
}

TEST_CASE("book: without a USD feed an Aave reserve is valued at its Aave oracle price") {
  PositionBook book;
  book.set_aave_market(aave_market(kT0));  // no set_usd_price: every Asset.usd_price is zero
  const auto who = address_of(10, 4);
  book.upsert_aave_user(aave_user(who, {{kWeth, tokens(10, 18), {}}, {kUsdc, {}, tokens(17'000, 6)}}));
  CHECK(book.find(aave_key(who))->collateral_usd == doctest::Approx(20'000.0));
  book.set_aave_price(kWeth, U256{1'500'00000000ULL});
  CHECK(book.find(aave_key(who))->collateral_usd == doctest::Approx(15'000.0));
  // A USD feed, once given, wins over the Aave oracle.
  book.set_usd_price(*book.find_asset(address_of(0xA0, kWeth)), U256{1'600'00000000ULL});
  CHECK(book.find(aave_key(who))->collateral_usd == doctest::Approx(16'000.0));
}

TEST_CASE("book: the clock only moves forward with Aave snapshots") {
  PositionBook book;
  book.set_clock(200, kT0 + 100);
  book.set_aave_market(aave_market(kT0));  // read earlier: evaluated at the book's clock
  CHECK(book.timestamp() == kT0 + 100);
  CHECK(book.aave_market().timestamp == kT0 + 100);
  auto later = aave_market(kT0 + 500);
  later.block = 250;
  book.set_aave_market(later);
  CHECK(book.block() == 250);
  CHECK(book.timestamp() == kT0 + 500);
  CHECK(book.aave_market().timestamp == kT0 + 500);
}

TEST_CASE("book: debt with no collateral is flagged as bad debt, and has no liquidation to take") {
  auto book = aave_book();
  const auto alice = address_of(1, 1), bob = address_of(1, 2);
  book.upsert_aave_user(aave_user(alice, {{kUsdc, {}, tokens(1'000, 6)}}));  // all collateral seized earlier
  book.upsert_aave_user(aave_user(bob, {{kWeth, tokens(10, 18), {}}, {kUsdc, {}, tokens(10'000, 6)}}));
  const auto a = book.find(aave_key(alice));
  REQUIRE(a.has_value());
  CHECK(a->health_factor == U256{});  // GenericLogic: zero collateral over non-zero debt
  CHECK(a->liquidatable);
  CHECK(a->bad_debt);
  CHECK_FALSE(a->best_liquidation.has_value());
  const auto b = book.find(aave_key(bob));
  REQUIRE(b.has_value());
  CHECK_FALSE(b->bad_debt);
}
