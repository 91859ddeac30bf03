// Cost of the on-chain fixed-point math the risk engine evaluates per position and per price move:
// Aave rayMul/rayDiv (index times scaled balance) and Morpho wTaylorCompounded (interest accrual).

#include "chain/fixed_point.hpp"

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

using namespace sluice;

namespace {

constexpr std::size_t kCount = 1024;  ///< inputs cycled through, so the branch predictor cannot learn one

/// Realistic operands: amounts up to 2^100 (~1.3e30 wei), indexes of 1.0 to ~2.0 ray.
struct Operands {
  std::vector<U256> amounts, indexes;
};
Operands operands() {
  std::mt19937_64 rng(7);
  Operands o;
  for (std::size_t i = 0; i < kCount; ++i) {
    o.amounts.push_back(U256{rng(), rng() >> 28, 0, 0});
    o.indexes.push_back(kRay + U256{rng(), rng() % 0x33b2e3c, 0, 0});
  }
  return o;
}

void BM_RayMulHalfUp(benchmark::State& state) {
  const auto o = operands();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ray_mul_half_up(o.amounts[i], o.indexes[i]));
    i = (i + 1) % kCount;
  }
}
BENCHMARK(BM_RayMulHalfUp);

void BM_RayDivHalfUp(benchmark::State& state) {
  const auto o = operands();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ray_div_half_up(o.amounts[i], o.indexes[i]));
    i = (i + 1) % kCount;
  }
}
BENCHMARK(BM_RayDivHalfUp);

void BM_WadTaylorCompounded(benchmark::State& state) {
  // Per-second borrow rates up to ~100% APR and elapsed times up to ~12 days.
  std::mt19937_64 rng(8);
  std::vector<U256> rates, seconds;
  for (std::size_t i = 0; i < kCount; ++i) {
    rates.push_back(U256{rng() % 32'000'000'000ULL});
    seconds.push_back(U256{rng() % 1'000'000});
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(wad_taylor_compounded(rates[i], seconds[i]));
    i = (i + 1) % kCount;
  }
}
BENCHMARK(BM_WadTaylorCompounded);

}  // namespace
