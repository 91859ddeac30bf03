// The daemon's pure pieces: the watcher's queue (nothing dropped, waiting blocks taken together), the /health
// JSON, and the mapping of [strategy] onto the planner and executor options. Expected values follow
// the documented contracts in keeper/daemon/*.hpp (not read back from the code).

#include "keeper/daemon/block_queue.hpp"
#include "keeper/daemon/daemon_json.hpp"
#include "keeper/daemon/strategy_options.hpp"
#include "keeper/daemon/watcher.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::keeper;

namespace {

rpc::FollowerItem head(std::uint64_t number, std::uint8_t tag = 0) {
  rpc::FollowerItem item;
  item.kind = rpc::FollowerItem::Kind::head;
  item.head.number = number;
  item.head.hash.bytes[0] = static_cast<std::uint8_t>(number);
  item.head.hash.bytes[1] = tag;
  return item;
}

rpc::FollowerItem log_of(std::uint64_t block, std::uint64_t index, bool removed = false) {
  rpc::FollowerItem item;
  item.kind = rpc::FollowerItem::Kind::log;
  item.log.block_number = block;
  item.log.log_index = index;
  item.log.removed = removed;
  return item;
}

SteadyTime at(int ms) { return SteadyTime{} + std::chrono::milliseconds(ms); }

}  // namespace

TEST_CASE("daemon: the queue hands one block at a time when the strategy keeps up") {
  BlockQueue q;
  CHECK_FALSE(q.ready());
  CHECK_FALSE(q.take());
  q.push(head(10), at(1));
  q.push(log_of(10, 0), at(1));
  q.push(log_of(10, 1), at(1));
  REQUIRE(q.ready());
  auto batch = q.take();
  REQUIRE(batch);
  CHECK(batch->heads.size() == 1);
  CHECK(batch->newest().number == 10);
  REQUIRE(batch->logs.size() == 2);
  CHECK(batch->logs[1].log_index == 1u);
  CHECK(batch->received == at(1));
  CHECK(q.coalesced() == 0);
  CHECK_FALSE(q.ready());
}

TEST_CASE("daemon: blocks waiting while the strategy is busy are taken together, every log in order") {
  BlockQueue q;
  for (std::uint64_t b = 20; b < 25; ++b) {
    q.push(head(b), at(static_cast<int>(b)));
    for (std::uint64_t i = 0; i < b - 19; ++i) q.push(log_of(b, i), at(static_cast<int>(b)));
  }
  CHECK(q.waiting_heads() == 5);
  auto batch = q.take();
  REQUIRE(batch);
  CHECK(batch->heads.size() == 5);
  CHECK(batch->newest().number == 24);  // one decision at the newest head
  CHECK(batch->received == at(24));
  CHECK(batch->first_received == at(20));
  REQUIRE(batch->logs.size() == 1 + 2 + 3 + 4 + 5);  // none dropped
  for (std::size_t i = 1; i < batch->logs.size(); ++i) {
    const auto& a = batch->logs[i - 1];
    const auto& b = batch->logs[i];
    CHECK((*a.block_number < *b.block_number || (*a.block_number == *b.block_number && *a.log_index < *b.log_index)));
  }
  CHECK(q.coalesced() == 4);
}

TEST_CASE("daemon: removed logs of a reorg wait for the new branch's head and come first") {
  BlockQueue q;
  q.push(head(30), at(1));
  q.push(log_of(30, 0), at(1));
  REQUIRE(q.take());
  // The follower walks back: the abandoned block's log again, removed, then the new branch.
  q.push(log_of(30, 0, true), at(2));
  CHECK_FALSE(q.ready());
  CHECK_FALSE(q.take());  // a log without a head is kept, not lost
  q.push(head(30, 1), at(3));
  q.push(log_of(30, 0), at(3));
  q.push(head(31), at(4));
  auto batch = q.take();
  REQUIRE(batch);
  REQUIRE(batch->logs.size() == 2);
  CHECK(batch->logs[0].removed);
  CHECK_FALSE(batch->logs[1].removed);
  REQUIRE(batch->heads.size() == 2);
  CHECK(batch->heads[0].number == 30);
  CHECK(batch->heads[0].hash.bytes[1] == 1);
}

TEST_CASE("daemon: watcher endpoints: WebSocket first, then HTTP") {
  config::ChainConfig chain;
  chain.rpc_http = {"http://a", "http://b"};
  chain.rpc_ws = {"ws://c"};
  CHECK(watcher_urls(chain) == std::vector<std::string>{"ws://c", "http://a", "http://b"});
  chain.rpc_ws.clear();
  CHECK(watcher_urls(chain) == std::vector<std::string>{"http://a", "http://b"});
}

TEST_CASE("daemon: /health JSON") {
  HealthView v;
  CHECK(health_json(v) ==
        R"({"status":"starting","head":null,"head_age_seconds":null,"endpoints":[],"endpoint_in_use":0,)"
        R"("signer":"0x0000000000000000000000000000000000000000","signer_balance_wei":null,"inventory":{},)"
        R"("in_flight":0,"dry_run":false})");
  v.head = 123;
  v.head_age_seconds = 1.5;
  v.endpoints = {"ws://127.0.0.1:8545", "http://127.0.0.1:8545"};
  v.endpoint_in_use = 1;
  // The first dev account of anvil (its docs): 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.
  v.signer = *parse_address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  v.signer_balance_wei = U256::from_dec("100000000000000000000000").value();  // 1e23 > 2^64: a decimal string
  v.inventory = {{"USDC", U256(2500000000ULL)}, {"WETH", U256(1)}};
  v.in_flight = 2;
  v.dry_run = true;
  CHECK(health_json(v) ==
        R"({"status":"ok","head":123,"head_age_seconds":1.500,"endpoints":["ws://127.0.0.1:8545",)"
        R"("http://127.0.0.1:8545"],"endpoint_in_use":1,"signer":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",)"
        R"("signer_balance_wei":"100000000000000000000000","inventory":{"USDC":"2500000000","WETH":"1"},)"
        R"("in_flight":2,"dry_run":true})");
  v.stopping = true;
  CHECK(health_json(v).starts_with(R"({"status":"stopping")"));
}

TEST_CASE("daemon: [strategy] onto the planner and the executor") {
  config::StrategyConfig s;
  s.min_profit_usd = 25;
  s.max_collateral_sold_usd_per_block = 1e6;
  s.max_price_impact_bps = 50;
  s.max_in_flight = 8;
  s.priority_fee_gwei = 2.5;
  s.max_fee_share_of_profit = 0.25;
  s.dispose = config::DisposeMode::immediate;
  const plan::PlannerConfig p = planner_config(s);
  CHECK(p.min_profit_usd == 25);
  CHECK(p.max_collateral_sold_usd_per_block == 1e6);
  CHECK(p.max_price_impact_bps == 50);
  CHECK(p.throttle.max_impact_bps == 50);
  CHECK(p.max_in_flight == 8);
  CHECK(p.dispose == plan::Dispose::immediate);
  CHECK(dispose_of(config::DisposeMode::throttled) == plan::Dispose::throttled);
  CHECK(dispose_of(config::DisposeMode::keep) == plan::Dispose::keep);
  const plan::FeePolicy f = fee_policy(s);
  CHECK(f.priority_fee == U256(2'500'000'000ULL));  // 2.5 gwei in wei
  CHECK(f.max_fee_share_of_profit == 0.25);

  config::KeeperConfig c;
  c.strategy = s;
  c.morpho = config::MorphoConfig{};
  c.morpho->morpho = *parse_address("0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb");  // Morpho Blue on mainnet
  const ExecutorOptions o = executor_options(c, 1, true);
  CHECK(o.dry_run);
  CHECK(o.chain_id == 1);
  CHECK(o.aave_pool == Address{});  // not configured
  CHECK(o.morpho == c.morpho->morpho);
  CHECK(o.router == Address{});
  CHECK(o.fees.priority_fee == f.priority_fee);
}
