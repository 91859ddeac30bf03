// Cascade primitives (strategy/risk): what one round of the cascade engine and the throttle evaluate per sale:
// Uniswap v2 getAmountOut, an exact route across three pools, an Almgren-Chriss schedule of 100 blocks and the
// largest sale that keeps a pool above a threshold price.

#include "strategy/risk/route.hpp"
#include "strategy/risk/schedule.hpp"
#include "strategy/risk/uniswap_v2.hpp"

#include <benchmark/benchmark.h>

#include <array>
#include <random>
#include <vector>

using namespace sluice;
using namespace sluice::risk;

namespace {

constexpr std::size_t kCount = 1024;  ///< inputs cycled through, so the branch predictor cannot learn one

Address token(std::uint8_t last) {
  Address a;
  a.bytes[19] = last;
  return a;
}
const Address kWeth = token(0xee), kUsdc = token(0x0c);

/// WETH/USDC pools of 100 to 100,000 ETH at 2,500-3,500 USDC, and sales up to ~10% of the deepest.
struct Inputs {
  std::vector<std::array<Pool, 3>> pools;
  std::vector<U256> amounts;
};
Inputs inputs() {
  std::mt19937_64 rng(11);
  Inputs in;
  const U256 eth = pow10(18), usdc = pow10(6);
  for (std::size_t i = 0; i < kCount; ++i) {
    std::array<Pool, 3> ps;
    for (std::uint8_t k = 0; k < 3; ++k) {
      const std::uint64_t depth = 100 + rng() % 100'000, price = 2500 + rng() % 1000;
      ps[k] = Pool{token(k), kUsdc, kWeth, depth * price * usdc, depth * eth, 6, 18};
    }
    in.pools.push_back(ps);
    in.amounts.push_back(U256{1 + rng() % 10'000} * eth / 1000);  // 0.001 to 10 ETH... times 1000 below
    in.amounts.back() *= 1 + rng() % 1000;
  }
  return in;
}

void BM_GetAmountOut(benchmark::State& state) {
  const auto in = inputs();
  std::size_t i = 0;
  for (auto _ : state) {
    const Pool& p = in.pools[i][0];
    benchmark::DoNotOptimize(get_amount_out(in.amounts[i], p.reserve1, p.reserve0));
    i = (i + 1) % kCount;
  }
}
BENCHMARK(BM_GetAmountOut);

void BM_Route3Pools(benchmark::State& state) {
  const auto in = inputs();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(route_sale(in.pools[i], kWeth, kUsdc, in.amounts[i]));
    i = (i + 1) % kCount;
  }
}
BENCHMARK(BM_Route3Pools);

void BM_AlmgrenChriss100Blocks(benchmark::State& state) {
  const AlmgrenChrissParams params{0.1, 0.02, 1.0, static_cast<double>(state.range(0)) / 1000.0};
  const U256 total = U256{1234} * pow10(18) + 5;
  for (auto _ : state) benchmark::DoNotOptimize(ac_schedule(total, 100, params));
}
BENCHMARK(BM_AlmgrenChriss100Blocks)->Arg(0)->Arg(10);

void BM_MaxSaleAbovePrice(benchmark::State& state) {
  const auto in = inputs();
  std::size_t i = 0;
  for (auto _ : state) {
    const PoolSide side = *orient(in.pools[i][0], kWeth);
    benchmark::DoNotOptimize(max_sale_above_price(side, spot_price(side) * 0.95, 25.0));
    i = (i + 1) % kCount;
  }
}
BENCHMARK(BM_MaxSaleAbovePrice);

}  // namespace
