// End to end (issue 7, test (e)): fork mode. scripts/fork starts anvil forked from a devnet (the origin) with a
// keeper config derived from the origin's; the keeper runs unchanged against the fork, and a 15% WETH step played
// on the fork (scripts/scenario pointed at it) gets liquidated there by the keeper. The origin is untouched: its
// block number, the keeper's nonce on it and its transaction pool are what they were before.
#include "tests/integration/keeper_e2e.hpp"

using namespace sluice;
using namespace sluice::test;
using namespace sluice::test::e2e;

namespace {

/// scripts/fork down at the end, whatever happens.
struct ForkGuard {
  std::string dir;
  ~ForkGuard() { run_process({Devnet::source() + "/scripts/fork", "down", "--dir", dir}); }
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace

TEST_CASE("keeper run (e): fork mode liquidates on the fork and leaves the origin untouched") {
  KeeperWorld origin(300);
  const std::string origin_url = origin.dev.at("/rpc_http");
  const std::uint64_t origin_block = origin.block_number();
  const std::string nonce_params = "[\"" + origin.address + "\",\"latest\"]";
  const std::string origin_nonce = origin.rpc.call("eth_getTransactionCount", nonce_params);

  const std::string dir = origin.dev.dir() + "/fork";
  ForkGuard guard{dir};
  const ProcessResult fork = run_process({Devnet::source() + "/scripts/fork", origin_url, "--dir", dir, "--config",
                                          origin.config});
  REQUIRE_MESSAGE(fork.exit_code == 0, fork.err);
  const std::string fork_config = dir + "/sluice.toml";
  CHECK(fork.out == fork_config + "\n");
  CHECK(fork.err.find("sluice run --config " + fork_config) != std::string::npos);

  // The scenario drives the fork: the origin's manifest with the fork's endpoints.
  simdjson::dom::parser parser;
  const simdjson::dom::element info = parser.load(dir + "/fork.json");
  const std::string fork_http(std::string_view(info["rpc_http"].get_string()));
  const std::string fork_ws(std::string_view(info["rpc_ws"].get_string()));
  std::string manifest = read_text(origin.dev.dir() + "/manifest.json");
  manifest = replace_all(replace_all(manifest, origin.dev.at("/rpc_ws"), fork_ws), origin_url, fork_http);
  write_text(dir + "/manifest.json", manifest);

  const std::string events = dir + "/events-e.jsonl";
  auto keeper = origin.start_keeper({"--events", events}, "keeper-e.log", fork_config);
  const ProcessResult s = run_process({Devnet::source() + "/scripts/scenario", "--dir", dir, "step:WETH:-15",
                                       "--pace-ms", "1000"});
  REQUIRE_MESSAGE(s.exit_code == 0, s.err);

  // The fork automines again after the scenario: the keeper's liquidations land as it sends them.
  RpcClient fork_rpc(fork_http);
  Devnet& dev = origin.dev;
  std::size_t ours = 0;
  for (int i = 0; i < 300 && ours == 0; ++i) {
    const std::uint64_t head = std::stoull(fork_rpc.call("eth_blockNumber", "[]"), nullptr, 16);
    for (const auto& l : liquidations_in(fork_rpc, dev, origin_block + 1, head))
      if (l.liquidator == origin.address) ++ours;
    if (ours == 0) sleep_ms(100);
  }
  CHECK_MESSAGE(ours > 0, "no liquidation by the keeper on the fork:\n" << keeper->log());
  keeper->signal(SIGTERM);
  CHECK(keeper->wait(30000).value_or(-1) == 0);

  CHECK(origin.block_number() == origin_block);
  CHECK(origin.rpc.call("eth_getTransactionCount", nonce_params) == origin_nonce);
  const auto [pending, queued] = origin.txpool();
  CHECK(pending == 0);
  CHECK(queued == 0);
}
