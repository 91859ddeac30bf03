#include "chain/u256.hpp"

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

using namespace sluice;

namespace {

std::vector<U256> random_values(std::size_t n, unsigned max_bits, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<U256> out(n);
  for (auto& v : out) v = U256{rng(), rng(), rng(), rng()} >> (256 - max_bits);
  return out;
}

/// mul_div_down with operands the size of WAD/RAY math (128-bit amounts times 1e27-scale factors).
void BM_MulDivDown(benchmark::State& state) {
  const auto bits = static_cast<unsigned>(state.range(0));
  const auto a = random_values(1024, bits, 1), b = random_values(1024, bits, 2), d = random_values(1024, bits, 3);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(mul_div_down(a[i], b[i], d[i] | U256{1}));
    i = (i + 1) & 1023;
  }
}
BENCHMARK(BM_MulDivDown)->Arg(128)->Arg(192)->Arg(256);

void BM_Divmod256(benchmark::State& state) {
  const auto n = random_values(1024, 256, 4), d = random_values(1024, static_cast<unsigned>(state.range(0)), 5);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(divmod(n[i], d[i] | U256{1}));
    i = (i + 1) & 1023;
  }
}
BENCHMARK(BM_Divmod256)->Arg(64)->Arg(128)->Arg(256);

}  // namespace
