// Pure pieces of the backtest engine: Uniswap v2 Sync decoding, the inventory merge, --inventory parsing and the
// same-state rule. Sync vectors from Foundry 1.7.1: `cast keccak "Sync(uint112,uint112)"` and
// `cast abi-encode "f(uint112,uint112)" 5192296858534827628530496329220095 123456789` (2^112 - 1 and a small one).

#include "chain/bytes.hpp"
#include "keeper/backtest/inventory.hpp"
#include "keeper/backtest/same_state.hpp"
#include "keeper/backtest/uniswap_sync.hpp"
#include "keeper/cli/backtest_command.hpp"
#include "keeper/cli/cli_error.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::keeper;

namespace {

const char* kSyncTopic = "0x1c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1";
const char* kSyncData =
    "0x000000000000000000000000000000000000ffffffffffffffffffffffffffff00000000000000000000000000000000000000000000"
    "000000000000075bcd15";

Address addr(std::uint8_t last) {
  Address a;
  a.bytes[19] = last;
  return a;
}

rpc::Log sync_log(const Address& pair, const char* data = kSyncData) {
  rpc::Log log;
  log.address = pair;
  log.topics.push_back(Hash::from_hex(kSyncTopic).value());
  log.data = from_hex(data).value();
  return log;
}

}  // namespace

TEST_CASE("backtest: Sync topic and reserves decode exactly") {
  CHECK(sync_topic().hex() == kSyncTopic);
  const auto r = decode_sync(sync_log(addr(1)));
  REQUIRE(r);
  CHECK(r->reserve0.to_dec() == "5192296858534827628530496329220095");
  CHECK(r->reserve1.to_dec() == "123456789");
}

TEST_CASE("backtest: malformed Sync logs are refused") {
  // A word above uint112 (one more high byte set), a short payload, another topic.
  CHECK_FALSE(decode_sync(sync_log(addr(1), "0x0000000000000000000000000000000001ffffffffffffffffffffffffffff"
                                            "00000000000000000000000000000000000000000000000000000000075bcd15")));
  CHECK_FALSE(decode_sync(sync_log(addr(1), "0x00")));
  rpc::Log other = sync_log(addr(1));
  other.topics[0].bytes[0] ^= 1;
  CHECK_FALSE(decode_sync(other));
}

TEST_CASE("backtest: a Sync log updates only its own pool") {
  std::vector<risk::Pool> pools(2);
  pools[0].address = addr(1);
  pools[1].address = addr(2);
  pools[1].reserve0 = 7;
  CHECK(apply_sync(pools, sync_log(addr(1))));
  CHECK(pools[0].reserve1.to_dec() == "123456789");
  CHECK(pools[1].reserve0.to_dec() == "7");
  CHECK_FALSE(apply_sync(pools, sync_log(addr(3))));
}

TEST_CASE("backtest: --inventory overrides [backtest] inventory per symbol") {
  const std::vector<std::pair<std::string, std::string>> base{{"USDC", "100"}, {"WETH", "1"}};
  const std::vector<std::pair<std::string, std::string>> over{{"WETH", "2.5"}, {"DAI", "9"}};
  const std::vector<std::pair<std::string, std::string>> expected{{"USDC", "100"}, {"WETH", "2.5"}, {"DAI", "9"}};
  CHECK(merge_inventory(base, over) == expected);
}

TEST_CASE("backtest: --inventory SYMBOL=AMOUNT parsing") {
  CHECK(cli::parse_inventory_arg("USDC=250000") == std::pair<std::string, std::string>{"USDC", "250000"});
  CHECK(cli::parse_inventory_arg("WETH=1.5") == std::pair<std::string, std::string>{"WETH", "1.5"});
  for (const char* bad : {"USDC", "=5", "USDC=", "USDC=1e6", "USDC=-1"})
    CHECK_THROWS_WITH_AS(cli::parse_inventory_arg(bad),
                         ("--inventory '" + std::string(bad) +
                          "': expected SYMBOL=AMOUNT in whole tokens (e.g. USDC=250000)").c_str(),
                         cli::CliError);
}

TEST_CASE("backtest: same state unless an earlier transaction touched the position or a price") {
  FollowedContracts c;
  c.aave_pool = addr(0xaa);
  const book::PositionKey key{Protocol::aave_v3, addr(0x11), {}};
  rpc::Log event;
  event.address = c.aave_pool;
  event.transaction_index = 3;
  rpc::Log feed;  // any followed log that is not the protocols' own: a price
  feed.address = addr(0xfe);
  feed.transaction_index = 1;
  CHECK(same_state({}, event, key, c));
  CHECK_FALSE(same_state(std::vector<rpc::Log>{feed}, event, key, c));
  feed.transaction_index = 3;  // the event's own transaction does not count
  CHECK(same_state(std::vector<rpc::Log>{feed}, event, key, c));
  feed.transaction_index = 4;  // nor later ones
  CHECK(same_state(std::vector<rpc::Log>{feed}, event, key, c));
}
