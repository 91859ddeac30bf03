// strategy/risk/clusters: the liquidation map against hand sums. Positions are built with WETH liquidation prices
// chosen by hand (Aave outside eMode: p = debt / (WETH x 0.83); Morpho at LLTV 86%: p = borrowed / (WETH x 0.86)),
// reference $2,000 and buckets of 0.25% ($5): bucket i covers [2000 - 5 (i + 1), 2000 - 5 i).

#include "strategy/risk/clusters.hpp"

#include "tests/unit/strategy/throttle_fixture.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::risk;
using namespace sluice::test::throttle;

namespace {

constexpr auto kAave = static_cast<std::size_t>(Protocol::aave_v3);
constexpr auto kMorpho = static_cast<std::size_t>(Protocol::morpho_blue);

/// A: 10 WETH, 16,533.6 USDC -> 16,533.6 / 8.3 = $1,992 (bucket 1, [1990, 1995)).
/// B: 2 WETH, 3,308.38 USDC -> 3,308.38 / 1.66 = $1,993 (bucket 1).
/// C: 5 WETH, 8,179.65 USDC -> 8,179.65 / 4.15 = $1,971 (bucket 5, [1970, 1975)).
/// D (Morpho, LLTV 86%): 10 WETH, 17,135.5 USDC -> 17,135.5 / 8.6 = $1,992.5 (bucket 1).
/// E: 1 WETH, 1,700 USDC: HF 2000 x 0.83 / 1700 = 0.976, liquidatable (counted apart).
/// F: 1 WETH, 414.17 USDC -> $499, below a $1,000 floor.
/// G: WBTC collateral only (not exposed to WETH). H: WETH without debt (no liquidation price).
sluice::book::PositionBook cluster_book() {
  auto b = make_book();
  add_aave(b, 1, tokens(10, 18), tokens(16'533, 6, 600'000));
  add_aave(b, 2, tokens(2, 18), tokens(3'308, 6, 380'000));
  add_aave(b, 3, tokens(5, 18), tokens(8'179, 6, 650'000));
  add_aave(b, 5, tokens(1, 18), tokens(1'700, 6));
  add_aave(b, 6, tokens(1, 18), tokens(414, 6, 170'000));
  b.upsert_aave_user(aave_user(address_of(0x10, 7), {{kUsdc, 0, tokens(10'000, 6)}, {kWbtc, tokens(1, 8), 0}}));
  b.upsert_aave_user(aave_user(address_of(0x10, 8), {{kWeth, tokens(3, 18), 0}}));
  auto m = morpho_market(kWeth, 860, kT0);
  b.upsert_morpho_market(m);
  morpho::Position p;
  p.collateral = tokens(10, 18);
  p.borrow_shares = tokens(17'135, 6, 500'000) * U256{1'000'000};  // the market's 1e6 shares per unit
  b.upsert_morpho_position(m.id, address_of(0x20, 1), p);
  return b;
}

}  // namespace

TEST_CASE("clusters: liquidation map buckets are the hand sums per protocol") {
  const auto book = cluster_book();
  const auto weth = *book.find_asset(kWethToken);
  CHECK(*asset_price_usd(book, weth) == 2000.0);
  const auto map = liquidation_map(book, weth, 0.0025, 1000.0);
  REQUIRE(map.has_value());
  CHECK(map->reference_price_usd == 2000.0);
  REQUIRE(map->buckets.size() == 200);  // (2000 - 1000) / 5
  CHECK(map->buckets[0].price_high == 2000.0);
  CHECK(map->buckets[1].price_low == doctest::Approx(1990.0));
  CHECK(map->buckets[1].price_high == doctest::Approx(1995.0));
  CHECK(map->buckets.back().price_low == 1000.0);

  const auto& b1 = map->buckets[1];
  CHECK(b1.positions == 3);
  CHECK(b1.debt_usd[kAave] == doctest::Approx(16'533.6 + 3'308.38).epsilon(1e-12));
  // Morpho debt: shares to assets rounds with the virtual shares, within a micro-USDC per 1e13.
  CHECK(b1.debt_usd[kMorpho] == doctest::Approx(17'135.5).epsilon(1e-9));
  CHECK(b1.max_price_usd == doctest::Approx(1993.0).epsilon(1e-9));
  CHECK(b1.collateral_usd == doctest::Approx(22 * 2000.0).epsilon(1e-12));
  const auto& b5 = map->buckets[5];
  CHECK(b5.positions == 1);
  CHECK(b5.debt_usd[kAave] == doctest::Approx(8'179.65).epsilon(1e-12));
  CHECK(b5.max_price_usd == doctest::Approx(1971.0).epsilon(1e-9));
  // Nothing else inside the map: F is below the floor, G has no WETH, H no debt.
  std::uint32_t positions = 0;
  for (const auto& b : map->buckets) positions += b.positions;
  CHECK(positions == 4);
  CHECK(map->at_or_above_positions == 1);  // E
  CHECK(map->at_or_above_debt_usd[kAave] == doctest::Approx(1'700.0));
  CHECK(map->at_or_above_debt_usd[kMorpho] == 0.0);

  // A floor of 0 takes F in: $499 is in bucket floor((2000 - 499) / 5) = 300, [495, 500).
  const auto full = liquidation_map(book, weth, 0.0025, 0.0);
  REQUIRE(full.has_value());
  REQUIRE(full->buckets.size() == 400);
  CHECK(full->buckets[300].positions == 1);
  CHECK(full->buckets[300].debt_usd[kAave] == doctest::Approx(414.17));
}

TEST_CASE("clusters: a lower reference price puts the positions above it apart") {
  const auto book = cluster_book();
  const auto weth = *book.find_asset(kWethToken);
  // Market at $1,992.2: A ($1,992) is in bucket 0, [1992.2 x 0.9975, 1992.2); B ($1,993) and D ($1,992.5) cross
  // at or above the market and join E.
  const auto map = liquidation_map(book, weth, 0.0025, 1000.0, 1992.2);
  REQUIRE(map.has_value());
  CHECK(map->buckets[0].positions == 1);
  CHECK(map->buckets[0].debt_usd[kAave] == doctest::Approx(16'533.6));
  CHECK(map->at_or_above_positions == 3);
  CHECK(map->at_or_above_debt_usd[kAave] == doctest::Approx(1'700.0 + 3'308.38));
  CHECK(map->at_or_above_debt_usd[kMorpho] == doctest::Approx(17'135.5).epsilon(1e-9));
}

TEST_CASE("clusters: a position net short the asset is not in its map") {
  // S: 1 WETH (LT 83%) and 10,000 USDC (LT 78%) of collateral against 3 WETH of debt: HF(p) = (7,800 + 0.83 p) /
  // (3 p). WETH is net debt: S is liquidatable only above p* = 7,800 / 2.17 = $3,594.47 (a rise), and a fall makes
  // it healthier. The map, which shows what a fall liquidates, must be cluster_book()'s.
  auto book = cluster_book();
  const auto weth = *book.find_asset(kWethToken);
  const auto before = liquidation_map(book, weth, 0.0025, 1000.0);
  book.upsert_aave_user(aave_user(address_of(0x10, 9), {{kWeth, tokens(1, 18), tokens(3, 18)}, {kUsdc, tokens(10'000, 6), 0}}));
  const auto after = liquidation_map(book, weth, 0.0025, 1000.0);
  REQUIRE(before.has_value());
  REQUIRE(after.has_value());
  CHECK(after->at_or_above_positions == before->at_or_above_positions);
  CHECK(after->at_or_above_debt_usd[kAave] == before->at_or_above_debt_usd[kAave]);
  std::uint32_t positions = 0;
  for (const auto& b : after->buckets) positions += b.positions;
  CHECK(positions == 4);
  // Its view still gives the price, marked as a rise.
  sluice::book::ViewFilter all;
  all.best_liquidation = false;
  std::size_t seen = 0;
  for (const auto& v : book.view(all)) {
    if (v.key.account != address_of(0x10, 9)) continue;
    for (const auto& lp : v.liquidation_prices) {
      if (lp.asset != weth) continue;
      CHECK(lp.price_usd == doctest::Approx(7800.0 / 2.17));
      CHECK_FALSE(lp.liquidatable_below);
      ++seen;
    }
    CHECK_FALSE(liquidation_price_in(v, weth).has_value());
  }
  CHECK(seen == 1);
}

TEST_CASE("clusters: next cluster is the first bucket with enough debt") {
  const auto book = cluster_book();
  const auto weth = *book.find_asset(kWethToken);
  const auto map = liquidation_map(book, weth, 0.0025, 1000.0);
  REQUIRE(map.has_value());
  // Bucket 1 holds 16,533.6 + 3,308.38 + 17,135.5 = 36,977.48; bucket 5 holds 8,179.65.
  CHECK(next_cluster(*map, 1000.0) == &map->buckets[1]);
  CHECK(next_cluster(*map, 36'977.0) == &map->buckets[1]);
  CHECK(next_cluster(*map, 36'978.0) == nullptr);
  // Without the Morpho position bucket 1 holds 19,841.98: a $19,842 minimum skips it and bucket 5.
  auto views = book.view();
  std::erase_if(views, [](const auto& v) { return v.key.protocol == Protocol::morpho_blue; });
  const auto aave_only = liquidation_map(views, weth, 2000.0, 0.0025, 1000.0);
  REQUIRE(aave_only.has_value());
  CHECK(next_cluster(*aave_only, 8'000.0) == &aave_only->buckets[1]);
  CHECK(next_cluster(*aave_only, 19'841.0) == &aave_only->buckets[1]);
  CHECK(next_cluster(*aave_only, 19'842.0) == nullptr);
}

TEST_CASE("clusters: bad input is an error, not a crash") {
  const auto book = cluster_book();
  const auto weth = *book.find_asset(kWethToken);
  CHECK(liquidation_map(book, 200, 0.0025, 0.0).error() == ClusterError::unknown_asset);
  CHECK(liquidation_map(book, weth, 0.0, 0.0).error() == ClusterError::invalid_bucket);
  CHECK(liquidation_map(book, weth, 1.0, 0.0).error() == ClusterError::invalid_bucket);
  CHECK(liquidation_map(book, weth, 0.0025, -1.0).error() == ClusterError::invalid_bucket);
  CHECK(liquidation_map(book, weth, 0.0025, 0.0, std::nan("")).error() == ClusterError::invalid_bucket);
  // A floor at or above the reference: no buckets, the liquidatable position still counted.
  const auto empty = liquidation_map(book, weth, 0.0025, 2500.0);
  REQUIRE(empty.has_value());
  CHECK(empty->buckets.empty());
  CHECK(empty->at_or_above_positions == 1);
  // An asset without any price.
  auto b = make_book();
  const auto unpriced = b.intern_asset(address_of(0xE0), "XYZ", 18);
  CHECK(liquidation_map(b, unpriced, 0.0025, 0.0).error() == ClusterError::no_price);
}
