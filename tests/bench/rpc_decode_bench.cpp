// JSON-RPC decode throughput: a large eth_getLogs response (envelope + typed decode of every log; MB/s of
// response body) and one newHeads-style block header (ns per header).
// The inputs have the exact shapes anvil 1.7.1 sends (field names and order as in its eth_getLogs and
// eth_getBlockByNumber answers); values are deterministic pseudo-random.

#include "chain/rpc/decode.hpp"
#include "chain/rpc/json.hpp"
#include "chain/rpc/quantity.hpp"

#include <benchmark/benchmark.h>

#include <random>

using namespace sluice;
using namespace sluice::rpc;

namespace {

std::string random_hex(std::mt19937_64& rng, std::size_t bytes) {
  Bytes b(bytes);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return to_hex(b);
}

/// A JSON-RPC response holding `n` logs shaped like ERC-20 Transfer events (3 topics, 32 bytes of data).
std::string make_logs_response(std::size_t n) {
  std::mt19937_64 rng{7};
  std::string out = R"({"jsonrpc":"2.0","id":1,"result":[)";
  const std::string address = random_hex(rng, 20);
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += ',';
    const std::uint64_t block = 19'000'000 + i / 20;
    out += R"({"address":")" + address + R"(","topics":["0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef","0x000000000000000000000000)" +
           random_hex(rng, 20).substr(2) + R"(","0x000000000000000000000000)" + random_hex(rng, 20).substr(2) +
           R"("],"data":")" + random_hex(rng, 32) + R"(","blockHash":")" + random_hex(rng, 32) +
           R"(","blockNumber":")" + to_quantity(block) + R"(","blockTimestamp":")" + to_quantity(1'700'000'000 + block * 12) +
           R"(","transactionHash":")" + random_hex(rng, 32) + R"(","transactionIndex":")" + to_quantity(i % 150) +
           R"(","logIndex":")" + to_quantity(i % 400) + R"(","removed":false})";
  }
  return out + "]}";
}

/// A newHeads-style header (all the fields geth/anvil send for a post-Cancun block).
std::string make_header() {
  std::mt19937_64 rng{11};
  return R"({"hash":")" + random_hex(rng, 32) + R"(","parentHash":")" + random_hex(rng, 32) +
         R"(","sha3Uncles":"0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347","miner":")" +
         random_hex(rng, 20) + R"(","stateRoot":")" + random_hex(rng, 32) + R"(","transactionsRoot":")" +
         random_hex(rng, 32) + R"(","receiptsRoot":")" + random_hex(rng, 32) + R"(","logsBloom":")" +
         random_hex(rng, 256) +
         R"(","difficulty":"0x0","number":"0x1220a5b","gasLimit":"0x1c9c380","gasUsed":"0xe4e1c0","timestamp":"0x6553f100","extraData":"0x6265617665726275696c642e6f7267","mixHash":")" +
         random_hex(rng, 32) + R"(","nonce":"0x0000000000000000","baseFeePerGas":"0x2540be400","withdrawalsRoot":")" +
         random_hex(rng, 32) + R"(","blobGasUsed":"0x40000","excessBlobGas":"0x0","parentBeaconBlockRoot":")" +
         random_hex(rng, 32) + R"("})";
}

void BM_RpcDecodeGetLogs(benchmark::State& state) {
  std::string body = make_logs_response(static_cast<std::size_t>(state.range(0)));
  pad_for_simdjson(body);
  ResponseDecoder envelope;
  JsonParser parser;
  for (auto _ : state) {
    auto result = envelope.decode_single(body, 1, "eth_getLogs");
    auto logs = decode_logs(parser, result.value());
    if (logs.value().size() != static_cast<std::size_t>(state.range(0))) state.SkipWithError("wrong count");
    benchmark::DoNotOptimize(logs);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.counters["logs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * state.range(0)),
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RpcDecodeGetLogs)->Arg(10'000);

void BM_RpcDecodeBlockHeader(benchmark::State& state) {
  const std::string header = make_header();
  JsonParser parser;
  for (auto _ : state) {
    auto h = decode_block_header(parser, header, "eth_subscription");
    benchmark::DoNotOptimize(h);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * header.size()));
}
BENCHMARK(BM_RpcDecodeBlockHeader);

void BM_RpcBuildBatch(benchmark::State& state) {
  std::vector<RawCall> calls(1000, RawCall{"eth_getBalance", R"(["0x70997970c51812dc3a010c7d01b50e0d17dc79c8","latest"])"});
  for (auto _ : state) benchmark::DoNotOptimize(build_batch(1, calls));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * calls.size()));
}
BENCHMARK(BM_RpcBuildBatch);

}  // namespace
