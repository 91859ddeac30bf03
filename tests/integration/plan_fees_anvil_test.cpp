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
  // Gas limit 120,000 (target 60,000): a plain transfer is 21,000 gas; with n non-zero calldata bytes
  // a transfer costs 21,000 + 40 n under Prague's calldata floor (EIP-7623), anvil 1.7.1's default hardfork.
  Anvil anvil({"--gas-limit", "120000", "--no-mining"});
  RpcClient rpc(anvil.http_url());
  std::mt19937_64 rng(diff_seed(7));
  std::uint64_t below = 0, at = 0, above = 0;
  const int kBlocks = 60;
  std::uint64_t nonces[3] = {0, 0, 0};
  for (int b = 0; b < kBlocks; ++b) {
    const int txs = static_cast<int>(rng() % 8);
    std::uint64_t gas = 0;
    for (int t = 0; t < txs; ++t) {
      // 0..399 non-zero calldata bytes: up to 37,000 gas a transaction, so blocks range from empty to full.
      const std::size_t bytes = rng() % 4 == 0 ? 0 : rng() % 400;
      const std::uint64_t tx_gas = 21'000 + 40 * bytes;
      if (gas + tx_gas > 120'000) break;
      gas += tx_gas;
      std::string data = "0x";
      for (std::size_t i = 0; i < bytes; ++i) data += "ab";
      const int from = t % 3;  // the fixture's three dev accounts, nonces counted here
      rpc.call("eth_sendTransaction", R"([{"from":")" + Anvil::dev_address(from) + R"(","nonce":")" +
                                          hex_quantity(nonces[from]++) +
                                          R"(","to":"0x000000000000000000000000000000000000dEaD","value":"0x1","gas":")" +
                                          hex_quantity(tx_gas) +
                                          R"(","maxFeePerGas":"0x174876e800","maxPriorityFeePerGas":"0x1","data":")" +
                                          data + R"("}])");
    }
    rpc.call_raw("evm_mine", "[]");
  }
  const std::uint64_t head = std::stoull(rpc.call("eth_blockNumber", "[]"), nullptr, 16);
  REQUIRE(head == static_cast<std::uint64_t>(kBlocks));
  // Block 1's base fee is anvil's configured initial fee, not derived from its synthetic genesis header: the
  // comparison starts with block 2.
  Header parent = header(rpc, 1);
  for (std::uint64_t n = 2; n <= head; ++n) {
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
