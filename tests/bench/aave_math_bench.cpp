// Cost of the exact Aave v3 account math the position book runs per position and per price tick: account_data
// for a user with two reserves (WETH collateral, USDC debt), with and without interest to accrue since the
// reserves' last update, liquidation amounts, liquidation price, and reserve configuration decoding.

#include "strategy/aave/liquidation_price.hpp"
#include "strategy/aave/math.hpp"
#include "tests/unit/strategy/aave_fixture.hpp"

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

using namespace sluice;
using namespace sluice::aave;
using namespace sluice::aave::test;

namespace {

constexpr std::size_t kCount = 1024;  ///< users cycled through, so the branch predictor cannot learn one

/// Borrowers with 1-100 WETH of collateral and a debt of 60-95% of its liquidation value, so about a third are
/// liquidatable at $2,000.
std::vector<UserState> users() {
  std::mt19937_64 rng(7);
  std::vector<UserState> out;
  for (std::size_t i = 0; i < kCount; ++i) {
    const std::uint64_t milli_eth = 1'000 + rng() % 99'000;
    const std::uint64_t debt_usdc = milli_eth * 2 * 830 * (60 + rng() % 36) / 100'000;  // whole USDC
    out.push_back(borrower(U256{milli_eth} * pow10(15), usdc(debt_usdc)));
  }
  return out;
}

/// The fixture market with rates set and the reserves last updated an hour and a half before the snapshot, so
/// every call accrues interest as it would between two updates.
MarketSnapshot accruing_market() {
  MarketSnapshot m = market();
  for (Reserve& r : m.reserves) {
    r.current_liquidity_rate = kRay / U256{40};
    r.current_variable_borrow_rate = kRay / U256{20};
    r.last_update_timestamp = kNow - 5'400;
  }
  return m;
}

void BM_AaveAccountData(benchmark::State& state, const MarketSnapshot& m) {
  const auto u = users();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(account_data(m, u[i]));
    i = (i + 1) % kCount;
  }
}
BENCHMARK_CAPTURE(BM_AaveAccountData, two_reserves_fresh_index, market());
BENCHMARK_CAPTURE(BM_AaveAccountData, two_reserves_accruing, accruing_market());

void BM_AaveLiquidation(benchmark::State& state) {
  const MarketSnapshot m = accruing_market();
  const auto u = users();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(liquidation(m, u[i], {kWeth, kUsdc, U256::max()}));
    i = (i + 1) % kCount;
  }
}
BENCHMARK(BM_AaveLiquidation);

void BM_AaveLiquidationPrice(benchmark::State& state) {
  const MarketSnapshot m = accruing_market();
  const auto u = users();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(liquidation_price(m, u[i], kWeth));
    i = (i + 1) % kCount;
  }
}
BENCHMARK(BM_AaveLiquidationPrice);

void BM_AaveDecodeReserveConfig(benchmark::State& state) {
  const U256 bitmap = U256::from_dec("379853409927534986584376461080836915087631515918194").value();
  for (auto _ : state) benchmark::DoNotOptimize(decode_reserve_config(bitmap));
}
BENCHMARK(BM_AaveDecodeReserveConfig);

}  // namespace
