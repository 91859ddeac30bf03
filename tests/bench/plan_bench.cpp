// plan_block (strategy/plan/planner.hpp) on the 100,000-position generated book (tests/bench/book_generator.hpp).
// The stress book (fill(): about a quarter of the positions liquidatable) is the worst case: every liquidatable
// position is sized with the exact protocol math (Aave: every collateral/debt pair, twice; Morpho: liquidate_max)
// and valued. Inventory: 10M of every asset (no cap binds), so every candidate is sized once. Variants: collateral
// kept (no slippage routes, no disposal), and throttled disposal (slippage routes for every order through three
// WETH/USDC pools, and a throttle plan for a 2,000 WETH inventory).

#include "strategy/plan/planner.hpp"
#include "tests/bench/book_generator.hpp"

#include <benchmark/benchmark.h>

#include <memory>

using namespace sluice;
using namespace sluice::test::book;

namespace {

struct PlanFixture {
  sluice::test::bench::Fixture base;
  risk::MarketModel model;
  plan::GasModel gas;
  plan::KeeperState state;
};

PlanFixture& fixture() {
  static std::unique_ptr<PlanFixture> f = [] {
    auto out = std::make_unique<PlanFixture>();
    sluice::test::bench::fill(out->base);
    auto& book = out->base.book;
    const auto weth = *book.find_asset(address_of(0xA0, kWeth));
    const auto usdc = *book.find_asset(address_of(0xA0, kUsdc));
    for (std::uint8_t i = 0; i < 3; ++i) {
      const std::uint64_t depth = 20'000ULL >> i;
      out->model.pools.push_back(risk::Pool{address_of(0xD0, i), address_of(0xA0, kWeth), address_of(0xA0, kUsdc),
                                            tokens(depth, 18), tokens(depth * 2000, 6), 18, 6});
    }
    out->model.sell_for = {{weth, usdc}};
    out->model.sell_only_listed = true;
    out->gas.base_fee = U256{20'000'000'000};
    out->gas.priority_fee = U256{1'000'000'000};
    out->gas.native = weth;
    for (book::AssetId a = 0; a < book.asset_count(); ++a)
      out->state.balances.emplace_back(a, tokens(10'000'000, book.asset(a).decimals));
    return out;
  }();
  return *f;
}

void run(benchmark::State& state, plan::Dispose dispose, bool weth_inventory) {
  auto& f = fixture();
  plan::PlannerConfig config;
  config.dispose = dispose;
  auto keeper = f.state;
  if (!weth_inventory)  // no collateral waiting to be sold: no throttle plan
    std::erase_if(keeper.balances, [&](const auto& b) { return b.first == f.gas.native; });
  else
    for (auto& [asset, amount] : keeper.balances)
      if (asset == f.gas.native) amount = tokens(2'000, 18);
  if (weth_inventory) keeper.for_sale = {{f.gas.native, tokens(2'000, 18)}};
  std::size_t taken = 0, decisions = 0;
  for (auto _ : state) {
    auto p = plan::plan_block(f.base.book, f.model, config, f.gas, keeper);
    taken = p->taken();
    decisions = p->decisions.size();
    benchmark::DoNotOptimize(p);
  }
  state.counters["liquidatable"] = static_cast<double>(decisions);
  state.counters["taken"] = static_cast<double>(taken);
}

void BM_PlanBlockKeep(benchmark::State& state) { run(state, plan::Dispose::keep, false); }
void BM_PlanBlockThrottled(benchmark::State& state) { run(state, plan::Dispose::throttled, true); }

}  // namespace

BENCHMARK(BM_PlanBlockKeep)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_PlanBlockThrottled)->Unit(benchmark::kMillisecond)->Iterations(3);
