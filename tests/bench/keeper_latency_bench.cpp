// Keeper latency in process (BENCHMARKS.md, "Keeper latency"): the CPU part of head received -> transaction sent on
// a 10,000-position book (book_generator.hpp, stress variant: about a quarter liquidatable, so the planner sizes
// and ranks thousands of candidates), the pools of the cascade benchmarks, dispose throttled. One iteration is what
// the daemon does between the book refresh and eth_sendRawTransaction, minus the node round trips (simulation,
// estimate: measured end to end by scripts/bench-keeper): plan::plan_block, then for each taken liquidation (up to
// max_in_flight = 4) its calldata, an EIP-1559 transaction, signing and the raw encoding. Reported: mean (Google
// Benchmark) and the p50/p99 of single iterations as counters.
#include "chain/keccak.hpp"
#include "chain/private_key.hpp"
#include "chain/transaction.hpp"
#include "strategy/plan/calldata.hpp"
#include "strategy/plan/planner.hpp"
#include "tests/bench/book_generator.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>

using namespace sluice;
using namespace sluice::test::bench;

namespace {

struct LatencyFixture {
  Fixture f;
  risk::MarketModel model;
  plan::KeeperState state;
  plan::GasModel gas;
};

LatencyFixture& fixture() {
  static std::unique_ptr<LatencyFixture> slot;
  if (!slot) {
    slot = std::make_unique<LatencyFixture>();
    fill(slot->f, 10'000);
    slot->model = pools_model();
    // Inventory of every asset (inventory mode): the planner is capped by what is on hand, never starved.
    for (AssetId a = 0; a < slot->f.book.asset_count(); ++a)
      slot->state.balances.emplace_back(a, tokens(1'000'000'000, slot->f.book.asset(a).decimals));
    slot->gas.base_fee = U256{20'000'000'000ULL};
    slot->gas.priority_fee = U256{1'000'000'000ULL};
    slot->gas.native = kWeth;
  }
  return *slot;
}

/// plan + calldata + sign + encode for the taken orders; returns the number of raw transactions built.
std::size_t head_to_signed(const LatencyFixture& fx, const plan::PlannerConfig& config, const PrivateKey& key,
                           std::uint64_t& nonce) {
  auto planned = plan::plan_block(fx.f.book, fx.model, config, fx.gas, fx.state);
  if (!planned) return 0;
  std::size_t built = 0;
  for (const plan::Decision& d : planned->decisions) {
    if (d.skip != plan::SkipReason::none) break;  // taken ones come first
    const auto& o = d.order;
    Bytes data;
    if (d.key.protocol == Protocol::aave_v3) {
      data = plan::aave_liquidation_call(fx.f.book.asset(o.collateral).address, fx.f.book.asset(o.debt).address,
                                         d.key.account, o.debt_to_cover);
    } else {
      const morpho::Market* m = fx.f.book.morpho_market(d.key.market);
      if (m == nullptr) continue;
      data = plan::morpho_liquidate(m->params, d.key.account, o.morpho_seized_assets, o.morpho_repaid_shares);
    }
    Eip1559Transaction tx;
    tx.chain_id = 1;
    tx.nonce = nonce++;
    tx.max_priority_fee_per_gas = fx.gas.priority_fee;
    tx.max_fee_per_gas = fx.gas.base_fee * U256{2} + fx.gas.priority_fee;
    tx.gas_limit = o.gas_units + o.gas_units / 4;
    tx.to = d.key.protocol == Protocol::aave_v3 ? address_of(0xC0, 0) : address_of(0xC0, 1);
    tx.data = std::move(data);
    const Bytes raw = encode_raw(sign(tx, key));
    benchmark::DoNotOptimize(raw.data());
    ++built;
  }
  return built;
}

void BM_KeeperHeadToSigned10k(benchmark::State& state) {
  const LatencyFixture& fx = fixture();
  plan::PlannerConfig config;
  config.min_profit_usd = 0.0;
  const PrivateKey key = PrivateKey::from_bytes(keccak256(std::string_view("sluice-bench-keeper")).view()).value();
  std::uint64_t nonce = 0;
  std::vector<double> micros;
  std::size_t built = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    built = head_to_signed(fx, config, key, nonce);
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(micros.begin(), micros.end());
  const auto at = [&](double q) { return micros[std::min(micros.size() - 1, static_cast<std::size_t>(q * micros.size()))]; };
  state.counters["p50_us"] = at(0.50);
  state.counters["p99_us"] = at(0.99);
  state.counters["txs"] = static_cast<double>(built);
  state.counters["positions"] = static_cast<double>(fx.f.book.size());
}
BENCHMARK(BM_KeeperHeadToSigned10k)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
