// Throttle plan on the 100,000-position random book (tests/bench/book_generator.hpp): the liquidation map of WETH
// alone, and a whole plan (one view() of the book, the map, the exact routed sale limits by bisection across three
// WETH/USDC pools, the schedule and the bad-debt race) for a 2,000 WETH inventory. The random book's debt is spread
// evenly (~$3-14M per 0.25% bucket below $2,000), so clusters are buckets of at least $12M: the first is at $1,889.77.

#include "strategy/risk/clusters.hpp"
#include "strategy/risk/throttle.hpp"
#include "strategy/risk/numeric.hpp"
#include "strategy/risk/sale_limit.hpp"
#include "strategy/risk/schedule.hpp"
#include "tests/bench/book_generator.hpp"

#include <benchmark/benchmark.h>

#include <memory>

using namespace sluice;
using namespace sluice::risk;
using namespace sluice::test::book;

namespace {

struct Fixture {
  sluice::book::PositionBook book;
  MarketModel model;
  sluice::book::AssetId weth = 0;
  std::vector<sluice::book::PositionView> views;
};

Fixture& fixture() {
  static std::unique_ptr<Fixture> f = [] {
    auto out = std::make_unique<Fixture>();
    fill_random_book(out->book, 100'000);
    const Address weth = address_of(0xA0, kWeth), usdc = address_of(0xA0, kUsdc);
    out->weth = *out->book.find_asset(weth);
    // 20,000 + 10,000 + 5,000 WETH at $2,000 (USDC $1).
    for (std::uint8_t i = 0; i < 3; ++i) {
      const std::uint64_t depth = 20'000ULL >> i;
      out->model.pools.push_back(Pool{address_of(0xD0, i), weth, usdc, tokens(depth, 18), tokens(depth * 2000, 6), 18, 6});
    }
    out->views = out->book.view();
    return out;
  }();
  return *f;
}

/// The WETH liquidation map from views already taken: 400 buckets of 0.25% down to $0.
void BM_LiquidationMapFromViews(benchmark::State& state) {
  auto& f = fixture();
  std::uint32_t mapped = 0;
  for (auto _ : state) {
    auto map = liquidation_map(f.views, f.weth, 2000.0, 0.0025, 0.0);
    mapped = 0;
    for (const auto& b : map->buckets) mapped += b.positions;
    benchmark::DoNotOptimize(map);
  }
  state.counters["views"] = static_cast<double>(f.views.size());
  state.counters["positions_mapped"] = mapped;
}
BENCHMARK(BM_LiquidationMapFromViews)->Unit(benchmark::kMillisecond);

/// The exact routed sale limit alone: bisection on the total (route_sale across the three pools each step) for
/// the largest sale keeping every leg above $1,889.77 x 1.0025.
void BM_MaxRoutedSale(benchmark::State& state) {
  auto& f = fixture();
  const auto& pools = f.model.pools;
  const auto raw = *raw_price(1889.77 * 1.0025, 18, 6);
  const std::vector<RawPrice> thresholds(pools.size(), raw);
  U256 bound;
  for (const auto& p : pools) bound += *max_sale_above_price(*orient(p, p.token0), 1889.77, 25.0);
  U256 out;
  for (auto _ : state) {
    out = *max_routed_sale(pools, pools[0].token0, pools[0].token1, thresholds, bound);
    benchmark::DoNotOptimize(out);
  }
  state.counters["max_sale_weth"] = to_units(out, 18);
}
BENCHMARK(BM_MaxRoutedSale)->Unit(benchmark::kMicrosecond);

/// A whole plan for 2,000 WETH, default config (25 bps margin, 0.25% buckets, 50 blocks, 100 bps impact cap) but
/// $12M clusters; arg 1 turns the impact cap off so the cluster binds.
void BM_ThrottlePlan(benchmark::State& state) {
  auto& f = fixture();
  ThrottleConfig config;
  config.min_cluster_debt_usd = 12e6;
  if (state.range(0) == 1) config.max_impact_bps = 0.0;
  ThrottlePlan plan;
  for (auto _ : state) {
    auto p = plan_throttle(f.book, f.model, {f.weth, tokens(2000, 18)}, config);
    plan = std::move(*p);
    benchmark::DoNotOptimize(plan);
  }
  state.counters["book_size"] = static_cast<double>(f.book.size());
  state.counters["reason"] = static_cast<double>(plan.reason);
  state.counters["max_sale_weth"] = to_units(plan.max_sale_this_block, 18);
  state.counters["blocks"] = plan.blocks;
  state.counters["cluster_usd"] = plan.next_cluster_price_usd;
  state.SetLabel(plan.explanation.substr(0, 200));
}
BENCHMARK(BM_ThrottlePlan)->Arg(0)->Arg(1)->ArgName("impact_cap_off")->Unit(benchmark::kMillisecond);

}  // namespace
