// Position book at 100,000 positions (80% Aave accounts with 1-3 reserves, 20% Morpho positions in 3 markets):
// exact re-evaluation after one WETH price tick, a full clock move, view() with its sort, and memory per position.
#include "strategy/book/position_book.hpp"
#include "tests/bench/book_generator.hpp"

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <memory>

using namespace sluice;
using namespace sluice::book;
using namespace sluice::test::book;

namespace {

constexpr std::uint64_t kT0 = 1'700'000'000;
constexpr std::uint32_t kPositions = 100'000;

struct Fixture {
  PositionBook book;
  std::vector<morpho::Market> markets;
  double bytes_per_position = 0.0;
  double fill_ms = 0.0;
  std::uint64_t clock = kT0;
};

void fill(Fixture& f) { f.markets = fill_random_book(f.book, kPositions); }

Fixture& fixture() {
  static std::unique_ptr<Fixture> f = [] {
    auto out = std::make_unique<Fixture>();
    const auto before = mallinfo2().uordblks;
    const auto start = std::chrono::steady_clock::now();
    fill(*out);
    out->fill_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    const auto after = mallinfo2().uordblks;
    out->bytes_per_position = static_cast<double>(after - before) / static_cast<double>(out->book.size());
    return out;
  }();
  return *f;
}

/// One WETH price tick: the Aave oracle price of WETH and the WETH/USDC Morpho market's oracle, alternating
/// between two values so every iteration changes the price. Every position exposed is re-evaluated exactly.
void BM_BookWethTick(benchmark::State& state) {
  auto& f = fixture();
  const U256 prices[2] = {U256{1'900'00000000ULL}, U256{2'000'00000000ULL}};
  const U256 oracle[2] = {f.markets[0].oracle_price / U256{20} * U256{19}, f.markets[0].oracle_price};
  unsigned i = 0;
  f.book.reset_stats();
  for (auto _ : state) {
    f.book.set_aave_price(kWeth, prices[i & 1]);
    f.book.set_morpho_price(f.markets[0].id, oracle[i & 1]);
    ++i;
  }
  const auto& s = f.book.stats();
  state.counters["positions_per_tick"] =
      static_cast<double>(s.aave_evaluations + s.morpho_evaluations) / static_cast<double>(state.iterations());
  state.counters["book_size"] = static_cast<double>(f.book.size());
}
BENCHMARK(BM_BookWethTick)->Unit(benchmark::kMillisecond);

/// A new block: per-reserve indexes and per-market accruals once, then every position's balances and HF.
void BM_BookSetClock(benchmark::State& state) {
  auto& f = fixture();
  std::uint64_t block = 1'000;
  for (auto _ : state) {
    f.clock += 12;
    f.book.set_clock(++block, f.clock);
  }
  state.counters["book_size"] = static_cast<double>(f.book.size());
}
BENCHMARK(BM_BookSetClock)->Unit(benchmark::kMillisecond);

/// view(): filter, sort by HF and build the report rows (holdings, liquidation prices, best liquidations).
void BM_BookView(benchmark::State& state) {
  auto& f = fixture();
  ViewFilter filter;
  if (state.range(0) == 1) filter.max_health_factor = 1.1;
  if (state.range(0) == 2) filter.min_health_factor = 1.0;
  std::size_t rows = 0, liquidatable = 0;
  for (auto _ : state) {
    auto v = f.book.view(filter);
    rows = v.size();
    liquidatable = static_cast<std::size_t>(std::count_if(v.begin(), v.end(), [](const auto& p) { return p.liquidatable; }));
    benchmark::DoNotOptimize(v);
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["liquidatable"] = static_cast<double>(liquidatable);
}
/// Arg 0: every position with debt; 1: HF <= 1.1; 2: HF >= 1 (no liquidation simulated).
BENCHMARK(BM_BookView)->Arg(0)->Arg(1)->Arg(2)->ArgName("filter")->Unit(benchmark::kMillisecond);

/// Heap bytes per position held (mallinfo2 before and after filling the book), and the fill time (wall).
void BM_BookMemory(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(f.book.size());
  state.counters["bytes_per_position"] = f.bytes_per_position;
  state.counters["fill_ms"] = f.fill_ms;  // building the fixture and 100,000 upserts (wall time)
}
BENCHMARK(BM_BookMemory)->Iterations(1);

}  // namespace
