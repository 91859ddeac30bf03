// Keccak-256 throughput, ours against Crypto++'s Keccak_256 (the same function: Keccak padding, not SHA3's), on
// the sizes that matter: 32 bytes (a word, a storage slot), 136 bytes (one full block, the rate) and 1 KiB
// (calldata, RLP of a transaction).

#include "chain/keccak.hpp"

#include <benchmark/benchmark.h>
#include <cryptopp/keccak.h>

#include <cstdint>
#include <vector>

namespace {

std::vector<std::uint8_t> input(std::size_t size) {
  std::vector<std::uint8_t> data(size);
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return data;
}

void BM_Keccak256_Sluice(benchmark::State& state) {
  const auto data = input(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(sluice::keccak256(sluice::ByteView{data.data(), data.size()}));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Keccak256_Sluice)->Arg(32)->Arg(136)->Arg(1024);

void BM_Keccak256_CryptoPP(benchmark::State& state) {
  const auto data = input(static_cast<std::size_t>(state.range(0)));
  CryptoPP::Keccak_256 hash;
  std::uint8_t digest[32];
  for (auto _ : state) {
    hash.Update(data.data(), data.size());
    hash.Final(digest);  // also resets the hasher for the next round
    benchmark::DoNotOptimize(digest);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Keccak256_CryptoPP)->Arg(32)->Arg(136)->Arg(1024);

}  // namespace
