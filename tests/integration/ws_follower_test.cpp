// BlockFollower against a real anvil: gap backfill through random disconnects, failover, HTTP polling, reorgs.

#include "chain/rpc/block_follower.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/chain_view.hpp"
#include "tests/support/diff_seed.hpp"
#include "tests/support/io_thread.hpp"
#include "tests/support/echo_emitter.hpp"
#include "tests/support/ws_fault_proxy.hpp"

#include <boost/asio/use_future.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <mutex>
#include <random>
#include <set>
#include <thread>

using namespace sluice;
using namespace sluice::test;
namespace asio = boost::asio;

namespace {

/// A follower on its own io thread; collects what it delivers.
class FollowerRun {
 public:
  FollowerRun(std::vector<std::string> urls, rpc::FollowerOptions options) {
    follower_ = io_.sync([&] {
      return std::make_unique<rpc::BlockFollower>(
          io_.executor(), std::move(urls), std::move(options),
          [this](const rpc::FollowerItem& item) {
            std::lock_guard lock(mutex_);
            items_.push_back(item);
            if (item.kind == rpc::FollowerItem::Kind::head) highest_ = std::max(highest_, item.head.number);
          },
          [this](const std::string& line) {
            std::lock_guard lock(mutex_);
            diagnostics_.push_back(line);
          });
    });
    done_ = asio::co_spawn(io_.io(), follower_->run(), asio::use_future);
  }
  ~FollowerRun() {
    io_.sync([&] { follower_->stop(); });
    done_.wait_for(std::chrono::seconds(20));
    io_.sync([&] { follower_.reset(); });
  }

  /// Waits until a head numbered `number` or higher was delivered.
  bool wait_for_head(std::uint64_t number, std::chrono::seconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (items_.size() && highest_ >= number) return true;
      }
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::vector<rpc::FollowerItem> items() {
    std::lock_guard lock(mutex_);
    return items_;
  }
  std::size_t endpoint_index() {
    return io_.sync([&] { return follower_->endpoint_index(); });
  }
  void print_diagnostics() {
    std::lock_guard lock(mutex_);
    for (const auto& line : diagnostics_) MESSAGE(line);
  }

 private:
  IoThread io_;
  std::unique_ptr<rpc::BlockFollower> follower_;
  std::future<rpc::RpcResult<void>> done_;
  std::mutex mutex_;
  std::vector<rpc::FollowerItem> items_;
  std::vector<std::string> diagnostics_;
  std::uint64_t highest_ = 0;
};

rpc::FollowerOptions fast_options() {
  rpc::FollowerOptions options;
  options.poll_interval = std::chrono::milliseconds(100);
  options.ws.backoff_initial = std::chrono::milliseconds(20);
  options.ws.backoff_max = std::chrono::milliseconds(200);
  options.ws.connection.idle_timeout = std::chrono::milliseconds(1500);
  options.ws.call_timeout = std::chrono::seconds(5);
  return options;
}

rpc::FollowerOptions log_options(const std::string& emitter) {
  rpc::FollowerOptions options = fast_options();
  options.logs = true;
  options.addresses = {parse_address(emitter).value()};
  options.topics = {{Hash::from_hex(kEchoTopic).value()}};
  return options;
}

/// Checks that `items` are exactly the node's blocks first..last (each once, in order, same hashes), each
/// followed by exactly the node's matching logs of that block, in logIndex order.
void check_delivery(RpcClient& rpc, const std::vector<rpc::FollowerItem>& items, std::uint64_t first,
                    std::uint64_t last, const std::string& emitter) {
  std::vector<NodeLog> expected_logs;
  if (!emitter.empty()) expected_logs = node_logs(rpc, first, last, emitter, kEchoTopic);
  std::size_t next_log = 0;
  std::uint64_t expected_number = first;
  std::uint64_t current_block = 0;
  bool failed = false;
  for (const auto& item : items) {
    if (item.kind == rpc::FollowerItem::Kind::head) {
      if (item.head.number > last) break;  // mined after the end of the check
      // Every log of the previous block must have come before this head.
      while (next_log < expected_logs.size() && expected_logs[next_log].block_number < item.head.number) {
        FAIL_CHECK("missing log of block " << expected_logs[next_log].block_number << " index "
                                           << expected_logs[next_log].log_index);
        ++next_log;
        failed = true;
      }
      REQUIRE_MESSAGE(item.head.number == expected_number, "head " << item.head.number << " delivered, expected "
                                                                   << expected_number);
      const NodeBlock block = node_block(rpc, item.head.number);
      CHECK(item.head.hash.hex() == block.hash);
      CHECK(item.head.parent_hash.hex() == block.parent_hash);
      current_block = item.head.number;
      ++expected_number;
      continue;
    }
    REQUIRE_MESSAGE(next_log < expected_logs.size(), "unexpected extra log in block " << *item.log.block_number);
    const NodeLog& want = expected_logs[next_log++];
    CHECK(item.log.block_number.value() == current_block);
    CHECK(item.log.block_number.value() == want.block_number);
    CHECK(item.log.log_index.value() == want.log_index);
    CHECK(item.log.transaction_hash->hex() == want.transaction_hash);
    CHECK(item.log.address.hex() == want.address);
    CHECK(to_hex(item.log.data) == want.data);
    REQUIRE(item.log.topics.size() == want.topics.size());
    for (std::size_t i = 0; i < want.topics.size(); ++i) CHECK(item.log.topics[i].hex() == want.topics[i]);
    CHECK_FALSE(item.log.removed);
  }
  CHECK(expected_number == last + 1);
  CHECK(next_log == expected_logs.size());
  CHECK_FALSE(failed);
}

}  // namespace

TEST_CASE("follower: 20 random disconnects while 200 blocks are mined: every head and log exactly once, in order") {
  const std::uint64_t seed = diff_seed(20251125);
  INFO("seed " << seed << " (override with SLUICE_DIFF_SEED)");
  std::mt19937_64 rng(seed);
  Anvil anvil;
  RpcClient rpc(anvil.http_url());
  const std::string from = Anvil::dev_address(0);
  const std::string emitter = deploy_echo_emitter(rpc, from);
  const std::string other = deploy_echo_emitter(rpc, from);
  const std::uint64_t start = node_block_number(rpc) + 1;
  WsFaultProxy proxy(anvil.port());
  auto options = log_options(emitter);
  options.from_block = 1;  // the deploy blocks too: the first ones are backfilled before live heads
  FollowerRun run({proxy.ws_url()}, options);

  constexpr int kBlocks = 200;
  std::set<int> drops;
  while (drops.size() < 20) drops.insert(static_cast<int>(rng() % kBlocks));
  std::uint64_t dropped = 0;
  for (int i = 0; i < kBlocks; ++i) {
    if (drops.count(i)) {
      // Each drop must hit a live connection: wait for the reconnect after the previous drop first.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (proxy.connections_accepted() <= dropped && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      proxy.drop_all();
      ++dropped;
    }
    switch (rng() % 4) {
      case 0:
      case 1:  // one log from the watched emitter (anvil automines one block per transaction)
        rpc.wait_for_receipt(emit_echo(rpc, from, emitter, "0x" + std::to_string(10000000 + rng() % 89999999)));  // 8 digits: even-length hex
        break;
      case 2:  // a log the filter excludes
        rpc.wait_for_receipt(emit_echo(rpc, from, other, "0x01"));
        break;
      default:
        rpc.call_raw("evm_mine", "[]");
    }
    if (rng() % 8 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 40));
  }
  const std::uint64_t last = node_block_number(rpc);
  REQUIRE(last == start + kBlocks - 1);
  const bool caught_up = run.wait_for_head(last);
  if (!caught_up) run.print_diagnostics();
  REQUIRE(caught_up);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a duplicate would show up by now
  check_delivery(rpc, run.items(), 1, last, emitter);
  CHECK(proxy.connections_accepted() >= 21);
}

TEST_CASE("follower: failover moves to the healthy endpoint and nothing is lost or doubled") {
  Anvil anvil;
  RpcClient rpc(anvil.http_url());
  WsFaultProxy primary(anvil.port());
  WsFaultProxy secondary(anvil.port());
  auto options = fast_options();
  options.from_block = 1;
  options.max_failures = 3;
  FollowerRun run({primary.ws_url(), secondary.ws_url()}, options);
  rpc.call_raw("anvil_mine", R"(["0xa"])");
  REQUIRE(run.wait_for_head(10));
  CHECK(run.endpoint_index() == 0);
  primary.set_down(true);
  for (int i = 0; i < 10; ++i) rpc.call_raw("evm_mine", "[]");
  REQUIRE(run.wait_for_head(20, std::chrono::seconds(30)));
  CHECK(run.endpoint_index() == 1);
  CHECK(secondary.connections_accepted() >= 1);
  check_delivery(rpc, run.items(), 1, 20, "");
}

TEST_CASE("follower: a dead WebSocket endpoint fails over to HTTP polling") {
  Anvil anvil;
  RpcClient rpc(anvil.http_url());
  auto options = fast_options();
  options.from_block = 1;
  options.max_failures = 2;
  FollowerRun run({"ws://127.0.0.1:" + std::to_string(free_port()), anvil.http_url()}, options);
  rpc.call_raw("anvil_mine", R"(["0x5"])");
  REQUIRE(run.wait_for_head(5, std::chrono::seconds(30)));
  CHECK(run.endpoint_index() == 1);
  check_delivery(rpc, run.items(), 1, 5, "");
}

TEST_CASE("follower: HTTP polling delivers every block and matching log exactly once") {
  Anvil anvil;
  RpcClient rpc(anvil.http_url());
  const std::string from = Anvil::dev_address(0);
  const std::string emitter = deploy_echo_emitter(rpc, from);
  auto options = log_options(emitter);
  options.from_block = 1;
  FollowerRun run({anvil.http_url()}, options);
  for (int i = 0; i < 20; ++i) {
    rpc.wait_for_receipt(emit_echo(rpc, from, emitter, "0x" + std::string(static_cast<std::size_t>(2 * (i % 5 + 1)), 'a')));
    if (i % 3 == 0) rpc.call_raw("evm_mine", "[]");
  }
  const std::uint64_t last = node_block_number(rpc);
  REQUIRE(run.wait_for_head(last));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  check_delivery(rpc, run.items(), 1, last, emitter);
}

TEST_CASE("follower: a reorg re-delivers the abandoned blocks' logs with removed=true, then the new branch") {
  Anvil anvil;
  RpcClient rpc(anvil.http_url());
  const std::string from = Anvil::dev_address(0);
  const std::string emitter = deploy_echo_emitter(rpc, from);  // block 1
  auto options = log_options(emitter);
  options.from_block = 1;
  FollowerRun run({anvil.ws_url()}, options);
  const std::string snapshot = rpc.call("evm_snapshot", "[]");
  rpc.wait_for_receipt(emit_echo(rpc, from, emitter, "0x0a"));  // block 2 (abandoned)
  rpc.wait_for_receipt(emit_echo(rpc, from, emitter, "0x0b"));  // block 3 (abandoned)
  REQUIRE(run.wait_for_head(3));
  const NodeBlock abandoned = node_block(rpc, 3);
  REQUIRE(rpc.call_raw("evm_revert", "[\"" + snapshot + "\"]").find("true") != std::string::npos);
  rpc.call_raw("evm_setNextBlockTimestamp", "[\"" + hex_quantity(4000000000) + "\"]");
  rpc.wait_for_receipt(emit_echo(rpc, from, emitter, "0x0c"));  // new block 2
  rpc.call_raw("evm_mine", "[]");        // new block 3
  rpc.wait_for_receipt(emit_echo(rpc, from, emitter, "0x0d"));  // new block 4
  REQUIRE(run.wait_for_head(4));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  REQUIRE(node_block(rpc, 3).hash != abandoned.hash);
  // Expected sequence: heads 1,2,3 with logs 0a,0b; removed 0b,0a (newest first); heads 2,3,4 with 0c,0d.
  std::vector<std::string> seen;
  for (const auto& item : run.items()) {
    if (item.kind == rpc::FollowerItem::Kind::head)
      seen.push_back("head " + std::to_string(item.head.number));
    else
      seen.push_back(std::string(item.log.removed ? "removed " : "log ") + to_hex(item.log.data));
  }
  const std::vector<std::string> expected = {"head 1", "head 2",      "log 0x0a",    "head 3", "log 0x0b",
                                             "removed 0x0b", "removed 0x0a", "head 2", "log 0x0c",
                                             "head 3", "head 4",      "log 0x0d"};
  CHECK(seen == expected);
  const auto items = run.items();
  CHECK(items.back().kind == rpc::FollowerItem::Kind::log);
  CHECK(items[items.size() - 2].head.hash.hex() == node_block(rpc, 4).hash);
}
