// The interim liquidation map: debt summed per price bucket of one asset, per protocol, from hand-built views.

#include "keeper/cli/liquidation_buckets.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::cli;

namespace {

book::PositionView view(Protocol protocol, double debt_usd, std::vector<book::LiquidationPrice> prices) {
  book::PositionView v;
  v.key.protocol = protocol;
  v.debt_usd = debt_usd;
  v.liquidation_prices = std::move(prices);
  return v;
}

}  // namespace

TEST_CASE("liquidation map: buckets from the current price down, per protocol") {
  const std::vector<book::PositionView> views{
      view(Protocol::aave_v3, 100.0, {{0, 2990.0, 0.0}}),             // 10 below: first bucket
      view(Protocol::morpho_blue, 50.0, {{0, 3100.0, 0.0}}),          // already liquidatable: first bucket
      view(Protocol::morpho_blue, 70.0, {{1, 60000.0, 0.0}, {0, 2500.0, 0.0}}),  // bucket 5 (2500 to 2600)
      view(Protocol::aave_v3, 30.0, {{0, 1000.0, 0.0}}),              // below the floor
      view(Protocol::aave_v3, 999.0, {{1, 50000.0, 0.0}}),            // not exposed to asset 0
      view(Protocol::aave_v3, 5.0, {{0, 2000.0, 0.0}}),               // the floor itself: last bucket
  };
  const LiquidationMap map = liquidation_map_from_views(views, 0, 3000.0, 2000.0, 10);
  REQUIRE(map.buckets.size() == 10);
  CHECK(map.buckets[0].price_high == 3000.0);
  CHECK(map.buckets[0].price_low == 2900.0);
  CHECK(map.buckets[9].price_low == 2000.0);
  CHECK(map.buckets[0].debt_usd[0] == 100.0);
  CHECK(map.buckets[0].debt_usd[1] == 50.0);
  CHECK(map.buckets[0].positions[0] == 1);
  CHECK(map.buckets[0].positions[1] == 1);
  CHECK(map.buckets[5].debt_usd[1] == 70.0);
  CHECK(map.buckets[5].price_high == 2500.0);
  CHECK(map.buckets[9].debt_usd[0] == 5.0);
  CHECK(map.below_floor_debt_usd[0] == 30.0);
  double total = 0.0;
  for (const auto& b : map.buckets) total += b.debt_usd[0] + b.debt_usd[1];
  CHECK(total == 225.0);
}

TEST_CASE("liquidation map: an empty or inverted range gives no buckets") {
  CHECK(liquidation_map_from_views({}, 0, 3000.0, 3000.0, 10).buckets.empty());
  CHECK(liquidation_map_from_views({}, 0, 2000.0, 3000.0, 10).buckets.empty());
  CHECK(liquidation_map_from_views({}, 0, 3000.0, 0.0, 0).buckets.empty());
  CHECK(liquidation_map_from_views({}, 0, std::numeric_limits<double>::infinity(), 0.0, 4).buckets.empty());
}
