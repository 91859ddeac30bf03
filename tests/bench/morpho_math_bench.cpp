// Cost of the exact Morpho Blue math per position (strategy/morpho): the health decision a price tick re-runs for
// every exposed position, interest accrual per market and block, and the liquidation amounts for a plan.

#include "strategy/morpho/liquidation_price.hpp"
#include "strategy/morpho/math.hpp"

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

using namespace sluice;
using namespace sluice::morpho;

namespace {

constexpr std::size_t kCount = 1024;  ///< positions cycled through, so the branch predictor cannot learn one

/// A WETH/USDC market at lltv 86% with 50M USDC borrowed (shares at 1e6 per unit plus accrued interest), WETH at
/// ~$2,000 (oracle 2e27), and positions of 0.1 to ~100 WETH borrowing 60% to 110% of their max: about a fifth are
/// unhealthy.
struct Fixture {
  MarketParams params;
  MarketState state;
  U256 price{U256{2'000'000'000ULL} * U256{1'000'000'000'000'000'000ULL}};
  std::vector<Position> positions;
  std::vector<Position> unhealthy;
};

Fixture fixture() {
  Fixture f;
  f.params.lltv = U256{860'000'000'000'000'000ULL};
  f.state.total_supply_assets = U256{100'000'000'000'000ULL};
  f.state.total_supply_shares = U256{97'000'000'000'000ULL} * U256{1'000'000ULL};
  f.state.total_borrow_assets = U256{50'000'000'000'000ULL};
  f.state.total_borrow_shares = U256{48'500'000'000'000ULL} * U256{1'000'000ULL};
  f.state.last_update = 1'700'000'000;
  f.state.fee = U256{100'000'000'000'000'000ULL};
  std::mt19937_64 rng(7);
  while (f.positions.size() < kCount) {
    const U256 collateral = U256{100'000'000'000'000'000ULL} * U256{1 + rng() % 1000};  // 0.1 to 100 WETH
    Position p{U256{}, U256{}, collateral};
    const U256 max = max_borrow(f.params, p, f.price).value();
    const U256 borrowed = max * U256{60 + rng() % 51} / U256{100};
    // shares for `borrowed` at the market's share price (toSharesDown-like, good enough for a fixture)
    p.borrow_shares = borrowed * f.state.total_borrow_shares / f.state.total_borrow_assets;
    f.positions.push_back(p);
    if (!is_healthy(f.params, f.state, p, f.price).value()) f.unhealthy.push_back(p);
  }
  return f;
}

void BM_MorphoIsHealthy(benchmark::State& state) {
  const Fixture f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(is_healthy(f.params, f.state, f.positions[i], f.price));
    i = (i + 1) % kCount;
  }
}
BENCHMARK(BM_MorphoIsHealthy);

void BM_MorphoAccrueInterest(benchmark::State& state) {
  const Fixture f = fixture();
  const U256 rate{15'854'895'991ULL};  // 50% APR per second
  std::uint64_t elapsed = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(accrue_interest(f.state, rate, f.state.last_update + elapsed));
    elapsed = elapsed % 86'400 + 12;  // a block to a day
  }
}
BENCHMARK(BM_MorphoAccrueInterest);

void BM_MorphoLiquidateSeized(benchmark::State& state) {
  const Fixture f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    const Position& p = f.unhealthy[i];
    benchmark::DoNotOptimize(liquidate(f.params, f.state, p, f.price, p.collateral / U256{3}, U256{}));
    i = (i + 1) % f.unhealthy.size();
  }
}
BENCHMARK(BM_MorphoLiquidateSeized);

void BM_MorphoLiquidateMax(benchmark::State& state) {
  const Fixture f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(liquidate_max(f.params, f.state, f.unhealthy[i], f.price));
    i = (i + 1) % f.unhealthy.size();
  }
}
BENCHMARK(BM_MorphoLiquidateMax);

void BM_MorphoLiquidationPrice(benchmark::State& state) {
  const Fixture f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(liquidation_price(f.params, f.state, f.positions[i]));
    i = (i + 1) % kCount;
  }
}
BENCHMARK(BM_MorphoLiquidationPrice);

}  // namespace
