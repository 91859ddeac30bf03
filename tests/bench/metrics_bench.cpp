// Metrics on the hot path (Counter::inc, Histogram::observe), rendering a scrape of ~100 series, and the journal's
// insert_tx (commit with fsync, WAL mode), which sits on the send path before every broadcast.
#include "chain/keccak.hpp"
#include "keeper/exec/journal.hpp"
#include "keeper/metrics/registry.hpp"
#include "tests/support/temp_dir.hpp"

#include <benchmark/benchmark.h>

#include <string>

using namespace sluice;
using namespace sluice::keeper;
using namespace sluice::keeper::metrics;

static void BM_CounterInc(benchmark::State& state) {
  Registry r;
  auto& c = r.counter("bench_total", "bench");
  for (auto _ : state) c.inc();
  benchmark::DoNotOptimize(c.value());
}
BENCHMARK(BM_CounterInc);

static void BM_HistogramObserve(benchmark::State& state) {
  Registry r;
  auto& h = r.histogram("bench_seconds", "bench", latency_buckets());
  double v = 0.0001;
  for (auto _ : state) {
    h.observe(v);
    v = v < 20 ? v * 1.7 : 0.0001;  // walk the buckets
  }
  benchmark::DoNotOptimize(h.count());
}
BENCHMARK(BM_HistogramObserve);

// ~100 series: 6 stage histograms (17 buckets + sum + count each = 114 lines) and 40 labelled counters and gauges.
static void BM_RegistryRender100Series(benchmark::State& state) {
  Registry r;
  for (const char* stage : {"book_updated", "candidates", "simulated", "signed", "sent", "included"}) {
    auto& h = r.histogram("sluice_stage_seconds", "stage latency", latency_buckets(), {{"stage", stage}});
    for (int i = 0; i < 100; ++i) h.observe(0.0001 * i);
  }
  for (int i = 0; i < 20; ++i) {
    r.counter("sluice_reverts_total", "reverts", {{"reason", "reason_" + std::to_string(i)}}).inc(i);
    r.gauge("sluice_gauge_" + std::to_string(i), "a gauge").set(i * 1.5);
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto text = r.render();
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RegistryRender100Series);

// One insert_tx: BEGIN IMMEDIATE, a lookup, the insert of a ~300-byte raw transaction and COMMIT with
// synchronous=FULL (an fsync of the WAL). The figure depends on the disk: it is the write-ahead cost per send.
static void BM_JournalInsertTx(benchmark::State& state) {
  sluice::test::TempDir dir("sluice-journal-bench");
  auto journal = Journal::open(dir / "j.sqlite", 31337, *parse_address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
  if (!journal) {
    state.SkipWithError(journal.error().message.c_str());
    return;
  }
  TxRecord tx;
  tx.raw = Bytes(300, 0xab);
  tx.subject = "aave-v3:0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  tx.max_fee_per_gas = U256(30'000'000'000ULL);
  tx.max_priority_fee_per_gas = U256(1'000'000'000ULL);
  tx.gas_limit = 450'000;
  std::uint64_t nonce = 0;
  for (auto _ : state) {
    tx.nonce = nonce;
    tx.hash = keccak256(std::string_view(std::to_string(nonce)));
    ++nonce;
    auto id = (*journal)->insert_tx(tx);
    if (!id) state.SkipWithError(id.error().message.c_str());
  }
}
BENCHMARK(BM_JournalInsertTx)->Unit(benchmark::kMicrosecond)->UseRealTime();
