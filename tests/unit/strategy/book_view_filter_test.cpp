// PositionBook::view filters added for the risk engine: `exposed_to` (through the exposure index) must select
// exactly the positions holding the asset as collateral or debt, in the same order as the full view; and
// `best_liquidation = false` must leave everything but the best liquidation unchanged.

#include "strategy/book/position_book.hpp"

#include "tests/unit/strategy/book_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>

using namespace sluice;
using namespace sluice::book;
using namespace sluice::test::book;

namespace {

bool exposed(const PositionView& v, AssetId a) {
  const auto has = [&](const std::vector<Holding>& hs) {
    return std::any_of(hs.begin(), hs.end(), [&](const Holding& h) { return h.asset == a; });
  };
  return has(v.collateral) || has(v.debt);
}

}  // namespace

TEST_CASE("book: view(exposed_to) is the full view restricted to the asset's positions") {
  std::mt19937_64 rng(7);
  PositionBook book;
  book.set_aave_market(aave_market(1'700'000'000));
  set_usd_prices(book);
  auto m = morpho_market(kWbtc, 770, 1'700'000'000);
  book.upsert_morpho_market(m);
  for (std::uint32_t i = 0; i < 300; ++i) {
    // Collateral in reserve c, debt in reserve d (one leg when they are the same), legs sorted by reserve id.
    const auto c = static_cast<std::uint16_t>(rng() % 5), d = static_cast<std::uint16_t>(rng() % 5);
    const U256 coll = tokens(1 + rng() % 20, kReserveSpecs[c].decimals);
    const U256 debt = tokens(1 + rng() % 1000, kReserveSpecs[d].decimals) / U256{kReserveSpecs[d].price / 1'000'000 + 1};
    const Address who = address_of(0x10, i);
    if (c == d) book.upsert_aave_user(aave_user(who, {{c, coll, debt}}));
    else if (c < d) book.upsert_aave_user(aave_user(who, {{c, coll, 0}, {d, 0, debt}}));
    else book.upsert_aave_user(aave_user(who, {{d, 0, debt}, {c, coll, 0}}));
    morpho::Position p;
    p.collateral = tokens(1 + rng() % 3, 8);
    p.borrow_shares = tokens(1 + rng() % 150'000, 6) * U256{1'000'000};
    book.upsert_morpho_position(m.id, address_of(0x20, i), p);
  }
  // Re-upserts leave stale index entries behind, which the filter must skip.
  for (std::uint32_t i = 0; i < 300; i += 7)
    book.upsert_aave_user(aave_user(address_of(0x10, i), {{kWeth, tokens(5, 18), 0}, {kUsdc, 0, tokens(9'000, 6)}}));
  const auto all = book.view();
  std::size_t liquidatable_seen = 0;
  for (AssetId a = 0; a < book.asset_count(); ++a) {
    ViewFilter f;
    f.exposed_to = a;
    const auto got = book.view(f);
    std::vector<PositionKey> want;
    for (const auto& v : all)
      if (exposed(v, a)) want.push_back(v.key);
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].key == want[i]);
  }
  ViewFilter lean;
  lean.best_liquidation = false;
  const auto cheap = book.view(lean);
  REQUIRE(cheap.size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(cheap[i].key == all[i].key);
    CHECK(cheap[i].liquidation_prices.size() == all[i].liquidation_prices.size());
    CHECK(cheap[i].debt_usd == all[i].debt_usd);
    CHECK_FALSE(cheap[i].best_liquidation.has_value());
    liquidatable_seen += all[i].best_liquidation.has_value();
  }
  CHECK(liquidatable_seen > 0);  // the full view did compute some
}
