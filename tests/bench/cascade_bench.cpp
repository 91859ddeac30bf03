// Cascade engine on the two 100,000-position benchmark books (book_generator.hpp): the stress book (about a
// quarter of the positions liquidatable before any shock) and the realistic one (health factors drawn as the
// devnet seeds its borrowers, none liquidatable at 0%). For each: one WETH cascade at -20% and the 121-point grid
// 0 .. -60% by -0.5%, with the WETH/USDC and WBTC/USDC pools below and full oracle coupling; and the crossing order.
// The same grid on a 5,000-position book whose positions fit in the caches gives the arithmetic's share.
// SLUICE_POOL_X=N (environment) multiplies the two 100k books' pool reserves by N, to see how the grid's
// liquidations and time follow the depth of the market.
#include "strategy/risk/cascade.hpp"
#include "tests/bench/book_generator.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

using namespace sluice;
using namespace sluice::test::bench;

namespace {

enum class BookKind { stress, realistic };

struct CascadeFixture {
  Fixture f;
  risk::MarketModel model;
};

std::unique_ptr<CascadeFixture> make_fixture(BookKind kind) {
  auto out = std::make_unique<CascadeFixture>();
  fill(out->f);
  if (kind == BookKind::realistic) make_realistic(out->f);
  out->model = pools_model();
  // $SLUICE_POOL_X: both pools' reserves multiplied by this whole number (deeper markets, same prices).
  if (const char* x = std::getenv("SLUICE_POOL_X"); x != nullptr && std::strtoull(x, nullptr, 10) > 1) {
    const U256 factor{std::strtoull(x, nullptr, 10)};
    for (auto& pool : out->model.pools) {
      pool.reserve0 = pool.reserve0 * factor;
      pool.reserve1 = pool.reserve1 * factor;
    }
  }
  return out;
}

/// Seconds per liquidation (google benchmark divides the run's time by liquidations x iterations).
benchmark::Counter per_liquidation(std::size_t liquidations) {
  return benchmark::Counter(static_cast<double>(liquidations),
                            benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

CascadeFixture& fixture(BookKind kind) {
  static std::unique_ptr<CascadeFixture> stress, realistic;
  auto& slot = kind == BookKind::stress ? stress : realistic;
  if (!slot) slot = make_fixture(kind);
  return *slot;
}

void BM_CascadeOne(benchmark::State& state, BookKind kind) {
  auto& c = fixture(kind);
  risk::Shock shock;
  shock.asset = kWeth;
  shock.fraction = -0.20;
  for (auto _ : state) {
    auto r = risk::simulate_cascade(c.f.book, c.model, shock);
    if (!r) state.SkipWithError("cascade failed");
    benchmark::DoNotOptimize(r);
    state.counters["liquidations"] = static_cast<double>(r->liquidations);
    state.counters["rounds"] = static_cast<double>(r->rounds.size());
    state.counters["final_price"] = r->final_price;
  }
  state.SetLabel("100k positions, WETH -20%, coupling full");
}
BENCHMARK_CAPTURE(BM_CascadeOne, stress, BookKind::stress)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CascadeOne, realistic, BookKind::realistic)->Unit(benchmark::kMillisecond);

/// `betas`: wstETH (sold in no pool) and WBTC move with WETH (betas 1 and 0.8), as `--beta` does.
void BM_CascadeGrid121(benchmark::State& state, BookKind kind, bool betas) {
  auto& c = fixture(kind);
  std::vector<std::pair<book::AssetId, double>> moved;
  if (betas) moved = {{kWsteth, 1.0}, {kWbtc, 0.8}};
  for (auto _ : state) {
    auto r = risk::cascade_grid(c.f.book, c.model, kWeth, 0.0, -0.60, -0.005, 1, moved);
    if (!r || r->size() != 121) state.SkipWithError("grid failed");
    benchmark::DoNotOptimize(r);
    std::size_t liq = 0;
    for (const auto& x : *r) liq += x.liquidations;
    state.counters["liquidations"] = static_cast<double>(liq);
    state.counters["liq_at_0"] = static_cast<double>(r->front().liquidations);
    state.counters["liq_at_-5"] = static_cast<double>((*r)[10].liquidations);
    state.counters["liq_at_-10"] = static_cast<double>((*r)[20].liquidations);
    state.counters["liq_at_-20"] = static_cast<double>((*r)[40].liquidations);
    state.counters["s_per_liq"] = per_liquidation(liq);
  }
  state.SetLabel(betas ? "100k positions, 121 shocks 0..-60%, coupling full, betas wstETH 1 WBTC 0.8"
                       : "100k positions, 121 shocks 0..-60%, coupling full");
}
BENCHMARK_CAPTURE(BM_CascadeGrid121, stress, BookKind::stress, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CascadeGrid121, realistic, BookKind::realistic, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CascadeGrid121, realistic_betas, BookKind::realistic, true)->Unit(benchmark::kMillisecond);

/// The realistic grid on a 5,000-position book (the same generator; pools scaled by 5,000 / 100,000 so that the
/// cascades are alike): its positions fit in the caches, so the time per liquidation against the 100k book's
/// separates the arithmetic from the memory traffic.
void BM_CascadeGrid121InCache(benchmark::State& state) {
  static const auto small = [] {
    auto out = std::make_unique<CascadeFixture>();
    constexpr std::uint64_t kPositions = 5'000;
    fill(out->f, kPositions);
    make_realistic(out->f);
    out->model = pools_model();
    for (auto& pool : out->model.pools) {
      pool.reserve0 = pool.reserve0 * U256{kPositions} / U256{kPositions * 20};
      pool.reserve1 = pool.reserve1 * U256{kPositions} / U256{kPositions * 20};
    }
    return out;
  }();
  for (auto _ : state) {
    auto r = risk::cascade_grid(small->f.book, small->model, kWeth, 0.0, -0.60, -0.005);
    if (!r || r->size() != 121) state.SkipWithError("grid failed");
    std::size_t liq = 0;
    for (const auto& x : *r) liq += x.liquidations;
    state.counters["liquidations"] = static_cast<double>(liq);
    state.counters["s_per_liq"] = per_liquidation(liq);
  }
  state.SetLabel("5k positions (in cache), 121 shocks 0..-60%, coupling full");
}
BENCHMARK(BM_CascadeGrid121InCache)->Unit(benchmark::kMillisecond);

/// A grid of one point (0%, nothing liquidated): the preparation a grid pays once (crossing orders, tables, every
/// position's initial copy) and one quiet run.
void BM_CascadeGridPrepare(benchmark::State& state, BookKind kind) {
  auto& c = fixture(kind);
  for (auto _ : state) {
    auto r = risk::cascade_grid(c.f.book, c.model, kWeth, 0.0, 0.0, -0.005);
    if (!r || r->size() != 1) state.SkipWithError("grid failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel("100k positions, one point (0%)");
}
BENCHMARK_CAPTURE(BM_CascadeGridPrepare, realistic, BookKind::realistic)->Unit(benchmark::kMillisecond);

/// The same grid with its points spread over the machine's cores (`sluice cascade --grid`'s default): wall time.
void BM_CascadeGrid121Parallel(benchmark::State& state, BookKind kind) {
  auto& c = fixture(kind);
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  for (auto _ : state) {
    auto r = risk::cascade_grid(c.f.book, c.model, kWeth, 0.0, -0.60, -0.005, threads);
    if (!r || r->size() != 121) state.SkipWithError("grid failed");
    benchmark::DoNotOptimize(r);
  }
  state.counters["threads"] = threads;
  state.SetLabel("100k positions, 121 shocks 0..-60%, all cores");
}
BENCHMARK_CAPTURE(BM_CascadeGrid121Parallel, stress, BookKind::stress)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_CascadeGrid121Parallel, realistic, BookKind::realistic)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Crossings(benchmark::State& state, BookKind kind) {
  auto& c = fixture(kind);
  for (auto _ : state) {
    auto r = risk::crossings(c.f.book, kWeth);
    benchmark::DoNotOptimize(r);
    state.counters["positions"] = static_cast<double>(r.size());
  }
}
BENCHMARK_CAPTURE(BM_Crossings, stress, BookKind::stress)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Crossings, realistic, BookKind::realistic)->Unit(benchmark::kMillisecond);

/// Every field of every round (and, for single cascades, every liquidation) of 8 single cascades and the whole
/// 121-point grid on both books, written to $SLUICE_CASCADE_DUMP (doubles in hex, exact): compare two builds' files
/// byte for byte to check that an optimisation leaves every number unchanged. Skipped when the variable is unset.
void dump_result(std::FILE* f, const risk::CascadeResult& r) {
  std::fprintf(f, "shock %a init %a shocked %a final %a final_oracle %a liq %zu pos %zu debt %a sold %a slip %a "
                  "profit %a bad %a toxic %zu limit %d rounds %zu\n",
               r.shock, r.initial_price, r.shocked_price, r.final_price, r.final_oracle_price, r.liquidations,
               r.positions_liquidated, r.liquidated_debt_usd, r.collateral_sold_usd, r.slippage_usd,
               r.liquidator_profit_usd, r.bad_debt_usd, r.toxic_liquidations, r.hit_round_limit ? 1 : 0,
               r.rounds.size());
  for (const auto& round : r.rounds) {
    std::fprintf(f, " round %u repaid %a sold %s sold_usd %a mkt %a %a oracle %a %a slip %a %a n %zu\n", round.index,
                 round.debt_repaid_usd, round.collateral_sold.to_dec().c_str(), round.collateral_sold_usd,
                 round.market_price_before, round.market_price_after, round.oracle_price_before,
                 round.oracle_price_after, round.slippage_bps, round.slippage_usd, round.liquidations.size());
    for (const auto& l : round.liquidations)
      std::fprintf(f, "  %d %s %s %u %u %s %s %s %s %a %a %a %d\n", static_cast<int>(l.key.protocol),
                   l.key.account.hex().c_str(), l.key.market.hex().c_str(), l.collateral, l.debt,
                   l.debt_repaid.to_dec().c_str(), l.collateral_seized.to_dec().c_str(),
                   l.protocol_fee.to_dec().c_str(), l.bad_debt.to_dec().c_str(), l.debt_repaid_usd,
                   l.collateral_seized_usd, l.oracle_price_usd, l.toxic ? 1 : 0);
  }
}

void BM_GoldenDump(benchmark::State& state) {
  const char* path = std::getenv("SLUICE_CASCADE_DUMP");
  for (auto _ : state) {
    if (path == nullptr) {
      state.SkipWithError("SLUICE_CASCADE_DUMP not set");
      break;
    }
    std::FILE* f = std::fopen(path, "w");
    if (f == nullptr) {
      state.SkipWithError("cannot open SLUICE_CASCADE_DUMP");
      break;
    }
    for (auto kind : {BookKind::stress, BookKind::realistic}) {
      auto& c = fixture(kind);
      for (double fraction : {0.0, -0.01, -0.05, -0.10, -0.20, -0.30, -0.45, -0.60}) {
        risk::Shock shock;
        shock.asset = kWeth;
        shock.fraction = fraction;
        auto r = risk::simulate_cascade(c.f.book, c.model, shock);
        if (r) dump_result(f, *r);
        else std::fprintf(f, "error\n");
      }
      auto g = risk::cascade_grid(c.f.book, c.model, kWeth, 0.0, -0.60, -0.005);
      if (!g) std::fprintf(f, "grid error\n");
      else
        for (const auto& r : *g) dump_result(f, r);
    }
    std::fclose(f);
  }
}
BENCHMARK(BM_GoldenDump)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
