// The shortcuts the cascade engine takes must not change a number: the light book view (no best-liquidation
// search) equals the full one but for that field, and aave::liquidation with the caller's account data equals the
// call that computes it, on random accounts of the fixture market (about half of them liquidatable).
#include "strategy/aave/math.hpp"
#include "strategy/book/position_book.hpp"
#include "tests/unit/strategy/book_fixture.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace sluice;
using namespace sluice::book;
using namespace sluice::test::book;

namespace {

constexpr std::uint64_t kT0 = 1'700'000'000;

PositionBook random_book(std::mt19937_64& rng, std::uint32_t users) {
  PositionBook book;
  book.set_aave_market(aave_market(kT0, &rng));
  set_usd_prices(book);
  for (std::uint32_t i = 0; i < users; ++i) {
    const auto c = static_cast<std::uint16_t>(rng() % std::size(kReserveSpecs));
    const auto d = static_cast<std::uint16_t>((c + 1 + rng() % 2) % std::size(kReserveSpecs));
    const auto whole = [&](std::uint16_t r) { return 100'000ULL * 100'000'000ULL / kReserveSpecs[r].price + 1; };
    book.upsert_aave_user(aave_user(address_of(0x30, i),
                                    {{c, tokens(1 + rng() % whole(c), kReserveSpecs[c].decimals), U256{}},
                                     {d, U256{}, tokens(1 + rng() % whole(d), kReserveSpecs[d].decimals)}},
                                    rng() % 8 == 0 ? 1 : 0));
  }
  return book;
}

}  // namespace

TEST_CASE("cascade fast paths: the light view equals the full view without best_liquidation") {
  std::mt19937_64 rng(20261125);
  const auto book = random_book(rng, 400);
  ViewFilter light;
  light.best_liquidation = false;
  const auto full = book.view();
  const auto lite = book.view(light);
  REQUIRE(full.size() == lite.size());
  std::size_t with_best = 0;
  for (std::size_t i = 0; i < full.size(); ++i) {
    const auto& f = full[i];
    const auto& l = lite[i];
    CHECK(f.key == l.key);
    CHECK(f.health_factor == l.health_factor);
    CHECK(f.liquidatable == l.liquidatable);
    CHECK(f.collateral_usd == l.collateral_usd);
    CHECK(f.debt_usd == l.debt_usd);
    REQUIRE(f.collateral.size() == l.collateral.size());
    for (std::size_t k = 0; k < f.collateral.size(); ++k) CHECK(f.collateral[k].amount == l.collateral[k].amount);
    REQUIRE(f.liquidation_prices.size() == l.liquidation_prices.size());
    for (std::size_t k = 0; k < f.liquidation_prices.size(); ++k)
      CHECK(f.liquidation_prices[k].price_usd == l.liquidation_prices[k].price_usd);
    CHECK(!l.best_liquidation);
    with_best += f.best_liquidation ? 1 : 0;
  }
  CHECK(with_best > 50);  // the full view did search (the random book is about half liquidatable)
}

TEST_CASE("cascade fast paths: aave::liquidation with the caller's account data equals the plain call") {
  std::mt19937_64 rng(7);
  const auto book = random_book(rng, 400);
  const auto& market = book.aave_market();
  std::size_t compared = 0, failed = 0;
  for (std::uint32_t i = 0; i < 400; ++i) {
    const auto user = book.aave_user(address_of(0x30, i));
    REQUIRE(user.has_value());
    const auto data = aave::account_data(market, *user);
    REQUIRE(data.has_value());
    for (const auto& c : user->reserves)
      for (const auto& d : user->reserves) {
        const aave::LiquidationRequest req{c.reserve_id, d.reserve_id, U256::max()};
        const auto plain = aave::liquidation(market, *user, req);
        const auto given = aave::liquidation(market, *user, req, *data);
        REQUIRE(plain.has_value() == given.has_value());
        if (!plain) {
          CHECK(plain.error() == given.error());
          ++failed;
          continue;
        }
        CHECK(plain->debt_repaid == given->debt_repaid);
        CHECK(plain->collateral_to_liquidator == given->collateral_to_liquidator);
        CHECK(plain->protocol_fee == given->protocol_fee);
        CHECK(plain->close_factor_bps == given->close_factor_bps);
        CHECK(plain->health_factor_before == given->health_factor_before);
        ++compared;
      }
  }
  CHECK(compared > 50);
  CHECK(failed > 50);  // healthy accounts and wrong pairs revert the same way in both
}
