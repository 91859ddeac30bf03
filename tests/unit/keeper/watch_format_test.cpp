#include "keeper/cli/cli_error.hpp"
#include "keeper/cli/watch.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::cli;

namespace {

Hash hash(const char* hex) { return Hash::from_hex(hex).value(); }

}  // namespace

// Block 1 of a fresh anvil (Foundry 1.7.1, default genesis) after `anvil_mine 1`, as eth_getBlockByNumber shows it.
TEST_CASE("chain watch: a head is one JSON line with decimal number and base fee, 0x-hex hashes") {
  rpc::BlockHeader head;
  head.number = 1;
  head.hash = hash("0x1605db230e455a705daab76c26504e5bf9299b13cb84ab07a14f8db7aebaae42");
  head.parent_hash = hash("0xd422f2a5ea5ded595a5a8439e6244eaf8058c86eeb20493c158ff783eb829843");
  head.base_fee_per_gas = U256(1000000000);
  CHECK(head_json_line(head) ==
        R"({"type":"head","number":1,"hash":"0x1605db230e455a705daab76c26504e5bf9299b13cb84ab07a14f8db7aebaae42",)"
        R"("parentHash":"0xd422f2a5ea5ded595a5a8439e6244eaf8058c86eeb20493c158ff783eb829843","baseFeePerGas":1000000000})");
  head.base_fee_per_gas.reset();  // pre-London
  CHECK(head_json_line(head).ends_with(R"("baseFeePerGas":null})"));
}

TEST_CASE("chain watch: a log is one JSON line with its position, topics, data and removed flag") {
  rpc::Log log;
  log.block_number = 7;
  log.log_index = 2;
  log.transaction_hash = hash(("0x" + std::string(64, 'a')).c_str());
  log.address = parse_address("0x5FbDB2315678afecb367f032d93F642f64180aa3").value();
  log.topics = {hash(("0x" + std::string(62, '0') + "e7").c_str())};
  log.data = Bytes{0x12, 0x34};
  const std::string expected = R"({"type":"log","blockNumber":7,"logIndex":2,"transactionHash":"0x)" +
                               std::string(64, 'a') +
                               R"(","address":"0x5fbdb2315678afecb367f032d93f642f64180aa3","topics":["0x)" +
                               std::string(62, '0') + R"(e7"],"data":"0x1234","removed":false})";
  CHECK(log_json_line(log) == expected);
  log.removed = true;
  log.topics.clear();
  log.data.clear();
  CHECK(log_json_line(log).ends_with(R"("topics":[],"data":"0x","removed":true})"));
}

TEST_CASE("chain watch: arguments become follower options, bad ones are refused naming the problem") {
  WatchConfig config;
  config.rpc_urls = {"ws://127.0.0.1:8545", "http://127.0.0.1:8546"};
  config.logs = true;
  config.addresses = {"0x5FbDB2315678afecb367f032d93F642f64180aa3"};
  config.topics = {"0x" + std::string(64, '1'), "null", "0x" + std::string(64, '2') + ",0x" + std::string(64, '3')};
  config.from_block = 5;
  const auto options = watch_options(config);
  CHECK(options.logs);
  REQUIRE(options.addresses.size() == 1);
  REQUIRE(options.topics.size() == 3);
  CHECK(options.topics[0].size() == 1);
  CHECK(options.topics[1].empty());
  CHECK(options.topics[2].size() == 2);
  CHECK(options.from_block == 5u);

  auto refused = [&](WatchConfig bad, const char* fragment) {
    try {
      watch_options(bad);
      FAIL("accepted");
    } catch (const CliError& e) {
      CHECK_MESSAGE(std::string(e.what()).find(fragment) != std::string::npos, e.what());
    }
  };
  refused(WatchConfig{}, "--rpc");
  WatchConfig bad = config;
  bad.rpc_urls = {"ftp://x"};
  refused(bad, "expected a ws://");
  bad = config;
  bad.rpc_urls = {"ws://host:0"};
  refused(bad, "ws: URL");
  bad = config;
  bad.addresses = {"0x1234"};
  refused(bad, "--address");
  bad = config;
  bad.topics = {"0x12"};
  refused(bad, "--topic");
  bad = config;
  bad.logs = false;
  refused(bad, "add --logs");
  bad = config;
  bad.until_block = 4;
  refused(bad, "--until-block");
}
