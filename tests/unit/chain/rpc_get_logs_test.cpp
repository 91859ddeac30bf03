// Unit: Client::get_logs splits block ranges that a node refuses ("query returned more than N results"), over a
// fake in-memory Transport that behaves like geth's limit, and never loses, duplicates or reorders a log.

#include "chain/rpc/client.hpp"
#include "chain/rpc/quantity.hpp"
#include "chain/rpc/sync_client.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <map>

using namespace sluice;
using namespace sluice::rpc;

namespace {

/// A node with `logs_per_block[b]` logs in block b that refuses any eth_getLogs answer above `limit` logs.
class FakeLogNode final : public Transport {
 public:
  FakeLogNode(std::vector<int> logs_per_block, int limit) : logs_per_block_(std::move(logs_per_block)), limit_(limit) {}

  boost::asio::awaitable<RpcResult<std::string>> call(std::string method, std::string params) override {
    ++calls;
    if (method == "eth_blockNumber") co_return '"' + to_quantity(std::uint64_t(logs_per_block_.size() - 1)) + '"';
    if (method != "eth_getLogs") co_return make_error(ErrorKind::node_error, method, "unsupported");
    simdjson::dom::parser parser;
    simdjson::dom::element filter = parser.parse(params).at(0);
    const auto bound = [&](const char* key, std::uint64_t fallback) -> std::uint64_t {
      std::string_view v;
      if (filter[key].get_string().get(v) != simdjson::SUCCESS) return fallback;
      if (v == "latest") return logs_per_block_.size() - 1;
      if (v == "earliest") return 0;
      return parse_quantity_u64(v).value();
    };
    const std::uint64_t from = bound("fromBlock", logs_per_block_.size() - 1);
    const std::uint64_t to = std::min<std::uint64_t>(bound("toBlock", logs_per_block_.size() - 1), logs_per_block_.size() - 1);
    ranges.emplace_back(from, to);
    std::string out = "[";
    int count = 0;
    for (std::uint64_t b = from; b <= to; ++b) {
      for (int i = 0; i < logs_per_block_[b]; ++i) {
        if (++count > limit_) {
          RpcError e = make_error(ErrorKind::node_error, method, "query returned more than " + std::to_string(limit_) + " results");
          e.code = -32005;
          co_return e;
        }
        if (count > 1) out += ',';
        out += R"({"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3","topics":[],"data":"0x","blockNumber":")" +
               to_quantity(b) + R"(","logIndex":")" + to_quantity(std::uint64_t(i)) + R"("})";
      }
    }
    co_return out + "]";
  }
  boost::asio::awaitable<RpcResult<BatchResults>> batch(std::vector<RawCall>) override {
    co_return make_error(ErrorKind::node_error, "batch", "unsupported");
  }
  std::string endpoint() const override { return "fake://node"; }

  int calls = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;

 private:
  std::vector<int> logs_per_block_;
  int limit_;
};

void check_complete(const std::vector<Log>& logs, const std::vector<int>& per_block, std::uint64_t from, std::uint64_t to) {
  std::size_t k = 0;
  for (std::uint64_t b = from; b <= to; ++b)
    for (int i = 0; i < per_block[b]; ++i, ++k) {
      REQUIRE(k < logs.size());
      CHECK(logs[k].block_number == b);
      CHECK(logs[k].log_index == std::uint64_t(i));
    }
  CHECK(k == logs.size());
}

}  // namespace

TEST_CASE("rpc get_logs: a refused range is bisected until every part fits, logs in order, none lost") {
  std::vector<int> per_block(1000);
  for (std::size_t b = 0; b < per_block.size(); ++b) per_block[b] = static_cast<int>((b * 7919) % 13);  // 0..12 per block
  auto node = std::make_shared<FakeLogNode>(per_block, 100);
  SyncClient client(node);
  LogFilter filter;
  filter.from_block = std::uint64_t{10};
  filter.to_block = std::uint64_t{900};
  const auto logs = client.get_logs(filter).value();
  check_complete(logs, per_block, 10, 900);
  CHECK(logs.size() > 100);
  // Ranges answered are disjoint and cover 10..900 in order.
  std::uint64_t next = 10;
  const auto& ranges = node->ranges;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const bool last_attempt_for_range = i + 1 == ranges.size() || ranges[i + 1].first != ranges[i].first ||
                                        ranges[i + 1].second >= ranges[i].second;
    if (last_attempt_for_range && ranges[i].first == next) next = ranges[i].second + 1;
  }
  CHECK(next == 901);
}

TEST_CASE("rpc get_logs: named bounds are pinned to the head before splitting; errors pass through") {
  std::vector<int> per_block(64, 5);
  auto node = std::make_shared<FakeLogNode>(per_block, 40);
  SyncClient client(node);
  LogFilter filter;
  filter.from_block = BlockTag::earliest();
  filter.to_block = BlockTag::latest();
  check_complete(client.get_logs(filter).value(), per_block, 0, 63);

  // A single block over the limit cannot be split: the node's error comes back.
  auto dense = std::make_shared<FakeLogNode>(std::vector<int>{1, 50, 1}, 10);
  SyncClient dense_client(dense);
  filter.from_block = std::uint64_t{0};
  filter.to_block = std::uint64_t{2};
  auto refused = dense_client.get_logs(filter);
  REQUIRE(!refused);
  CHECK(refused.error().code == -32005);
  CHECK(refused.error().method == "eth_getLogs");

  filter.from_block = std::uint64_t{5};
  filter.to_block = std::uint64_t{4};
  CHECK(client.get_logs(filter).error().kind == ErrorKind::invalid_argument);
}

TEST_CASE("rpc get_logs: max_log_range splits up front") {
  std::vector<int> per_block(100, 1);
  auto node = std::make_shared<FakeLogNode>(per_block, 1000);
  SyncClient client(node, ClientOptions{.min_log_range = 1, .max_log_range = 30});
  LogFilter filter;
  filter.from_block = std::uint64_t{0};
  filter.to_block = std::uint64_t{99};
  check_complete(client.get_logs(filter).value(), per_block, 0, 99);
  CHECK(node->ranges == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{0, 29}, {30, 59}, {60, 89}, {90, 99}});
}
