// Cascade engine on the two 100,000-position benchmark books (book_generator.hpp): the stress book (about a
// quarter of the positions liquidatable before any shock) and the realistic one (health factors drawn as the
// devnet seeds its borrowers, none liquidatable at 0%). For each: one WETH cascade at -20% and the 121-point grid
// 0 .. -60% by -0.5%, with the WETH/USDC and WBTC/USDC pools below and full oracle coupling; and the crossing order.
#include "strategy/risk/cascade.hpp"
#include "tests/bench/book_generator.hpp"

#include <benchmark/benchmark.h>

#include <memory>

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
  return out;
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

void BM_CascadeGrid121(benchmark::State& state, BookKind kind) {
  auto& c = fixture(kind);
  for (auto _ : state) {
    auto r = risk::cascade_grid(c.f.book, c.model, kWeth, 0.0, -0.60, -0.005);
    if (!r || r->size() != 121) state.SkipWithError("grid failed");
    benchmark::DoNotOptimize(r);
    std::size_t liq = 0;
    for (const auto& x : *r) liq += x.liquidations;
    state.counters["liquidations"] = static_cast<double>(liq);
    state.counters["liq_at_0"] = static_cast<double>(r->front().liquidations);
    state.counters["liq_at_-5"] = static_cast<double>((*r)[10].liquidations);
    state.counters["liq_at_-10"] = static_cast<double>((*r)[20].liquidations);
    state.counters["liq_at_-20"] = static_cast<double>((*r)[40].liquidations);
  }
  state.SetLabel("100k positions, 121 shocks 0..-60%, coupling full");
}
BENCHMARK_CAPTURE(BM_CascadeGrid121, stress, BookKind::stress)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CascadeGrid121, realistic, BookKind::realistic)->Unit(benchmark::kMillisecond);

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

}  // namespace
