// Position discovery figures: time to discover every account from the protocols' events (eth_getLogs from block 0)
// and to read all their state at the head (batched eth_calls), against a running devnet.
//   scripts/devnet up --dir /tmp/d --borrowers 10000 && ./build/tests/bench/book_discovery /tmp/d/manifest.json [calls_per_batch]

#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/sync_client.hpp"
#include "keeper/book/chain_reader.hpp"

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <string>

using namespace sluice;
using namespace sluice::keeper;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: book_discovery <manifest.json> [calls_per_batch]\n");
    return 2;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element m = parser.load(argv[1]);
  const auto a = [&](const char* p) { return parse_address(std::string(m.at_pointer(p).get_string().value())).value(); };
  BookSource source;
  source.aave = AaveSource{a("/aave/pool"), a("/aave/oracle"), 0};
  source.morpho = MorphoSource{a("/morpho/morpho"), {}, 0};
  for (const char* sym : {"WETH", "WBTC", "USDC", "DAI"})
    source.tokens.push_back({sym, a((std::string("/tokens/") + sym).c_str()), a((std::string("/feeds/") + sym).c_str())});
  LoaderOptions options;
  if (argc > 2) options.calls_per_batch = std::stoul(argv[2]);
  rpc::SyncClient sync(std::make_shared<rpc::HttpTransport>(std::string(m["rpc_http"].get_string().value())));
  ChainReader reader(sync.client(), source, options);
  const std::uint64_t block = sync.block_number().value();

  using Clock = std::chrono::steady_clock;
  const auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  const auto t0 = Clock::now();
  auto market = sync.run([&](rpc::Client&) { return reader.read_aave_market(block); }).value();
  const Discovery d = sync.run([&](rpc::Client&) { return reader.discover(block, &market); }).value();
  const auto t1 = Clock::now();
  const ChainState s = sync.run([&](rpc::Client&) { return reader.read_all(d, block); }).value();
  const auto t2 = Clock::now();
  std::printf("block %llu: %llu logs, %zu aave accounts, %zu morpho positions in %zu markets\n",
              static_cast<unsigned long long>(block), static_cast<unsigned long long>(d.logs), d.aave_accounts.size(),
              d.morpho_positions.size(), d.morpho_markets.size());
  std::printf("discovery (logs) %.1f ms; state read %.1f ms (%llu eth_calls in %llu batches of <= %zu); total %.1f ms\n",
              ms(t1 - t0), ms(t2 - t1), static_cast<unsigned long long>(reader.state_reader().calls_sent()),
              static_cast<unsigned long long>(reader.state_reader().batches_sent()), options.calls_per_batch,
              ms(t2 - t0));
  return s.aave_users.size() == d.aave_accounts.size() ? 0 : 1;
}
