// Transaction signing and sender recovery: the executor's hot path when it submits a liquidation.
#include "chain/transaction.hpp"

#include <benchmark/benchmark.h>

using namespace sluice;

namespace {

/// A typical liquidation call: type 2, 4 + 5 * 32 bytes of calldata, a contract target.
Eip1559Transaction liquidation_call() {
  Eip1559Transaction tx;
  tx.chain_id = 1;
  tx.nonce = 1234;
  tx.max_priority_fee_per_gas = 2'000'000'000ULL;
  tx.max_fee_per_gas = 80'000'000'000ULL;
  tx.gas_limit = 900'000;
  tx.to = *parse_address("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
  tx.data.assign(4 + 5 * 32, 0xab);
  return tx;
}

PrivateKey bench_key() {
  return std::move(*PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));
}

void BM_SignAndEncodeEip1559(benchmark::State& state) {
  const PrivateKey key = bench_key();
  Eip1559Transaction tx = liquidation_call();
  for (auto _ : state) {
    ++tx.nonce;  // a new signing hash every time
    Bytes raw = encode_raw(sign(tx, key));
    benchmark::DoNotOptimize(raw.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignAndEncodeEip1559);

void BM_RecoverSender(benchmark::State& state) {
  const SignedTransaction signed_tx = sign(liquidation_call(), bench_key());
  for (auto _ : state) {
    auto sender = recover_sender(signed_tx);
    benchmark::DoNotOptimize(sender);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecoverSender);

void BM_DecodeAndRecover(benchmark::State& state) {
  const Bytes raw = encode_raw(SignedTransaction{sign(liquidation_call(), bench_key())});
  for (auto _ : state) {
    auto tx = decode_raw(raw);
    auto sender = recover_sender(*tx);
    benchmark::DoNotOptimize(sender);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeAndRecover);

}  // namespace
