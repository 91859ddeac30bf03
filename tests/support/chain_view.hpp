#pragma once
/// The node's own view of blocks and logs, read over plain HTTP (tests/support/json_rpc.hpp), to check what a
/// follower delivered against: independent of Sluice's RPC code.

#include "tests/support/json_rpc.hpp"

#include <simdjson.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace sluice::test {

struct NodeBlock {
  std::uint64_t number = 0;
  std::string hash;
  std::string parent_hash;
  std::string base_fee_hex;
};

struct NodeLog {
  std::uint64_t block_number = 0;
  std::uint64_t log_index = 0;
  std::string transaction_hash;
  std::string address;
  std::vector<std::string> topics;
  std::string data;
};

inline std::string hex_quantity(std::uint64_t n) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(n));
  return buffer;
}

inline std::uint64_t parse_quantity(std::string_view hex) { return std::stoull(std::string(hex), nullptr, 16); }

inline std::uint64_t node_block_number(RpcClient& rpc) { return parse_quantity(rpc.call("eth_blockNumber", "[]")); }

inline NodeBlock node_block(RpcClient& rpc, std::uint64_t number) {
  const std::string body = rpc.call_raw("eth_getBlockByNumber", "[\"" + hex_quantity(number) + "\",false]");
  simdjson::dom::parser parser;
  simdjson::dom::element result = parser.parse(body)["result"];
  NodeBlock block;
  block.number = parse_quantity(std::string_view(result["number"]));
  block.hash = std::string(std::string_view(result["hash"]));
  block.parent_hash = std::string(std::string_view(result["parentHash"]));
  block.base_fee_hex = std::string(std::string_view(result["baseFeePerGas"]));
  return block;
}

/// eth_getLogs over [from, to] for `address` and topic0 `topic` (block order, as the node returns them).
inline std::vector<NodeLog> node_logs(RpcClient& rpc, std::uint64_t from, std::uint64_t to, const std::string& address,
                                      const std::string& topic) {
  const std::string body = rpc.call_raw(
      "eth_getLogs", R"([{"fromBlock":")" + hex_quantity(from) + R"(","toBlock":")" + hex_quantity(to) +
                         R"(","address":")" + address + R"(","topics":[")" + topic + "\"]}]");
  simdjson::dom::parser parser;
  std::vector<NodeLog> logs;
  for (simdjson::dom::element item : parser.parse(body)["result"].get_array()) {
    NodeLog log;
    log.block_number = parse_quantity(std::string_view(item["blockNumber"]));
    log.log_index = parse_quantity(std::string_view(item["logIndex"]));
    log.transaction_hash = std::string(std::string_view(item["transactionHash"]));
    log.address = std::string(std::string_view(item["address"]));
    for (simdjson::dom::element t : item["topics"].get_array()) log.topics.emplace_back(std::string_view(t));
    log.data = std::string(std::string_view(item["data"]));
    logs.push_back(std::move(log));
  }
  return logs;
}

}  // namespace sluice::test
