// RLP throughput on a block-body-like payload: a list of 200 legacy-transaction-shaped lists
// [nonce, gasPrice, gasLimit, to, value, data, v, r, s] with realistic field sizes.

#include "chain/rlp.hpp"

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

using namespace sluice;

namespace {

struct Tx {
  std::uint64_t nonce = 0;
  U256 gas_price;
  std::uint64_t gas_limit = 0;
  Address to;
  U256 value;
  Bytes data;
  std::uint64_t v = 0;
  U256 r, s;
};

std::vector<Tx> make_txs(std::size_t n) {
  std::mt19937_64 rng{42};
  std::vector<Tx> txs(n);
  for (auto& tx : txs) {
    tx.nonce = rng() % 100'000;
    tx.gas_price = U256{rng() % 200'000'000'000ULL};
    tx.gas_limit = 21'000 + rng() % 1'000'000;
    for (auto& b : tx.to.bytes) b = static_cast<std::uint8_t>(rng());
    tx.value = U256{rng(), rng() % 1000, 0, 0};
    tx.data.resize(rng() % 4 == 0 ? 0 : 4 + 32 * (rng() % 8));  // transfers and calls with 0..7 words
    for (auto& b : tx.data) b = static_cast<std::uint8_t>(rng());
    tx.v = 37 + rng() % 2;
    tx.r = U256{rng(), rng(), rng(), rng()};
    tx.s = U256{rng(), rng(), rng(), rng() >> 1};
  }
  return txs;
}

void encode_tx(Bytes& out, const Tx& tx) {
  Bytes fields;
  rlp::encode(fields, tx.nonce);
  rlp::encode(fields, tx.gas_price);
  rlp::encode(fields, tx.gas_limit);
  rlp::encode(fields, tx.to);
  rlp::encode(fields, tx.value);
  rlp::encode(fields, ByteView{tx.data});
  rlp::encode(fields, tx.v);
  rlp::encode(fields, tx.r);
  rlp::encode(fields, tx.s);
  rlp::encode_list(out, fields);
}

Bytes encode_txs(const std::vector<Tx>& txs) {
  Bytes payload;
  for (const auto& tx : txs) encode_tx(payload, tx);
  Bytes out;
  rlp::encode_list(out, payload);
  return out;
}

const Bytes& payload() {
  static const Bytes bytes = encode_txs(make_txs(200));
  return bytes;
}

/// Generic tree decode (allocates an Item per field).
void BM_RlpDecodeItem(benchmark::State& state) {
  const Bytes& data = payload();
  for (auto _ : state) {
    auto item = rlp::decode_item(data);
    benchmark::DoNotOptimize(item);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_RlpDecodeItem);

/// Typed decode into Tx values, as a block reader would do it.
void BM_RlpDecodeTyped(benchmark::State& state) {
  const Bytes& data = payload();
  std::vector<Tx> txs;
  txs.reserve(200);
  for (auto _ : state) {
    txs.clear();
    ByteView view{data};
    auto list = rlp::decode_list(view);
    if (!list) state.SkipWithError("decode failed");
    ByteView items = *list;
    while (!items.empty()) {
      auto fields = rlp::decode_list(items);
      ByteView f = *fields;
      Tx& tx = txs.emplace_back();
      const bool ok = rlp::decode(f, tx.nonce) && rlp::decode(f, tx.gas_price) && rlp::decode(f, tx.gas_limit) &&
                      rlp::decode(f, tx.to) && rlp::decode(f, tx.value) && rlp::decode(f, tx.data) &&
                      rlp::decode(f, tx.v) && rlp::decode(f, tx.r) && rlp::decode(f, tx.s);
      if (!ok) state.SkipWithError("decode failed");
    }
    benchmark::DoNotOptimize(txs.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_RlpDecodeTyped);

/// Encoding a generic tree (the one-pass Item encoder).
void BM_RlpEncodeItem(benchmark::State& state) {
  const auto item = rlp::decode_item(payload()).value();
  for (auto _ : state) {
    Bytes out = rlp::encode(item);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * payload().size()));
}
BENCHMARK(BM_RlpEncodeItem);

/// Encoding from typed values with the primitive encoders.
void BM_RlpEncodeTyped(benchmark::State& state) {
  const auto txs = make_txs(200);
  for (auto _ : state) {
    Bytes out = encode_txs(txs);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * payload().size()));
}
BENCHMARK(BM_RlpEncodeTyped);

}  // namespace
