// Integration: next_base_fee (strategy/plan/fees.hpp) against a real node. Anvil with a small block gas limit
// mines blocks of 0 to 7 transactions of varied calldata size (gas used from 0 to the limit, below, at and above
// the target), and every block's baseFeePerGas must equal next_base_fee(parent's base fee, gas used, gas limit).

#include "strategy/plan/fees.hpp"

#include "tests/support/anvil.hpp"
#include "tests/support/diff_seed.hpp"
#include "tests/support/json_rpc.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <random>
#include <string>

using namespace sluice;
using namespace sluice::test;

namespace {

struct Header {
  U256 base_fee;
  std::uint64_t gas_used = 0, gas_limit = 0;
};

std::string hex_quantity(std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(n));
  return buf;
}

Header header(RpcClient& rpc, std::uint64_t number) {
  const std::string body = rpc.call_raw("eth_getBlockByNumber", "[\"" + hex_quantity(number) + "\",false]");
  simdjson::dom::parser parser;
  const simdjson::dom::element block = parser.parse(body)["result"];
  const auto q = [&](const char* field) { return U256::from_hex(std::string_view(block[field])).value(); };
  return Header{q("baseFeePerGas"), *q("gasUsed").to_uint64(), *q("gasLimit").to_uint64()};
}

}  // namespace

TEST_CASE("fees: next_base_fee equals anvil's baseFeePerGas on blocks of varied gas use") {
  // Gas limit 250,000 (target 125,000): a plain transfer is 21,000 gas, calldata adds 16 gas per non-zero byte.
  Anvil anvil({"--gas-limit", "250000", "--no-mining"});
  RpcClient rpc(anvil.http_url());
  std::mt19937_64 rng(diff_seed(7));
  std::uint64_t below = 0, at = 0, above = 0;
  const int kBlocks = 60;
  for (int b = 0; b < kBlocks; ++b) {
    const int txs = static_cast<int>(rng() % 8);
    std::uint64_t gas = 0;
    for (int t = 0; t < txs; ++t) {
      // One transaction per dev account per block (nonces stay simple), 0..1,500 non-zero calldata bytes.
      const std::size_t bytes = rng() % 4 == 0 ? 0 : rng() % 1500;
      const std::uint64_t tx_gas = 21'000 + 16 * bytes;
      if (gas + tx_gas > 250'000) break;
      gas += tx_gas;
      std::string data = "0x";
      for (std::size_t i = 0; i < bytes; ++i) data += "ab";
      rpc.call("eth_sendTransaction", R"([{"from":")" + Anvil::dev_address(t) + R"(","to":")" +
                                          Anvil::dev_address(9) + R"(","value":"0x1","gas":")" + hex_quantity(tx_gas) +
                                          R"(","maxFeePerGas":"0x174876e800","maxPriorityFeePerGas":"0x1","data":")" +
                                          data + R"("}])");
    }
    rpc.call_raw("evm_mine", "[]");
  }
  const std::uint64_t head = std::stoull(rpc.call("eth_blockNumber", "[]"), nullptr, 16);
  REQUIRE(head == static_cast<std::uint64_t>(kBlocks));
  Header parent = header(rpc, 0);
  for (std::uint64_t n = 1; n <= head; ++n) {
    const Header child = header(rpc, n);
    INFO("block ", n, " parent gas used ", parent.gas_used, " of ", parent.gas_limit);
    CHECK(plan::next_base_fee(parent.base_fee, parent.gas_used, parent.gas_limit) == child.base_fee);
    const std::uint64_t target = parent.gas_limit / 2;
    (parent.gas_used < target ? below : parent.gas_used == target ? at : above) += 1;
    parent = child;
  }
  MESSAGE("parents below / at / above target: ", below, " / ", at, " / ", above);
  CHECK(below > 5);
  CHECK(above > 5);
}
