// Integration: scripts/scenario on a real devnet (scripts/devnet: real Aave v3, Morpho Blue, Uniswap v2 bytecode).
// A crash with the competitor and market-coupled feeds must produce real liquidations on both protocols (counted
// here from the protocols' own events with our ABI topics and a plain JSON-RPC client, independent of the
// scenario's Node code) and leave the pool below the reference path; step: and csv: paths move the feed by exactly
// the path's ratio. Plus the scenario's Node unit tests (node --test).

#include "chain/abi/signature.hpp"
#include "chain/u256.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/devnet.hpp"
#include "tests/support/json_rpc.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::test;
namespace fs = std::filesystem;

namespace {

const std::string kSource = SLUICE_SOURCE_DIR;

std::string hex_quantity(std::int64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(n));
  return buf;
}

/// Number of logs with topic0 `topic` emitted by `address` from block `from` to the latest block.
std::size_t count_logs(RpcClient& rpc, const std::string& address, const Hash& topic, std::int64_t from) {
  const std::string response = rpc.call_raw(
      "eth_getLogs", R"([{"fromBlock":")" + hex_quantity(from) + R"(","toBlock":"latest","address":")" + address +
                         R"(","topics":[")" + topic.hex() + R"("]}])");
  simdjson::dom::parser parser;
  simdjson::dom::array logs;
  if (parser.parse(response)["result"].get_array().get(logs) != simdjson::SUCCESS)
    throw std::runtime_error("eth_getLogs: " + response.substr(0, 300));
  return logs.size();
}

/// 32-byte word `index` of an eth_call result, as U256.
U256 word(const std::string& hex_result, std::size_t index) {
  return U256::from_hex("0x" + hex_result.substr(2 + 64 * index, 64)).value();
}

std::string eth_call(RpcClient& rpc, const std::string& to, const std::string& data) {
  return rpc.call("eth_call", R"([{"to":")" + to + R"(","data":")" + data + R"("},"latest"])");
}

/// The feed's latest answer: latestRoundData() (selector from our ABI code) word 1.
U256 feed_answer(RpcClient& rpc, const std::string& feed) {
  const auto f = abi::Function::parse("latestRoundData()").value();
  return word(eth_call(rpc, feed, f.selector.hex()), 1);
}

/// The scenario rounds start * ratio to 8 decimals in doubles: allow one unit either way of the exact ratio.
bool within_one(const U256& got, const U256& expected) { return got + U256{1} >= expected && got <= expected + U256{1}; }

std::vector<std::string> read_lines(const std::string& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

double journal_number(const std::string& line, const char* pointer) {
  simdjson::dom::parser parser;
  double v = 0;
  if (parser.parse(line).at_pointer(pointer).get_double().get(v) != simdjson::SUCCESS)
    throw std::runtime_error(std::string("journal line has no number at ") + pointer + ": " + line.substr(0, 300));
  return v;
}

}  // namespace

TEST_CASE("scenario: node unit tests of the price paths, oracle policy, pool and liquidation math") {
  const ProcessResult r = run_process({"node", "--test", kSource + "/scripts/scenario.d/test/pure.test.js"});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("scenario: crash:WETH:-30:60 with the competitor and coupled feeds liquidates on Aave and Morpho") {
  Devnet devnet(300);
  RpcClient rpc(devnet.at("/rpc_http"));
  const std::int64_t first = std::stoll(rpc.call("eth_blockNumber", "[]"), nullptr, 16) + 1;

  const ProcessResult r = devnet.scenario({"crash:WETH:-30:60", "--competitor", "1", "--market-coupled"});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);

  // Liquidations, from the protocols' own events (signatures from Aave's IPool and Morpho's EventsLib).
  const auto liquidation_call = abi::Event::parse(
      "LiquidationCall(address indexed collateralAsset, address indexed debtAsset, address indexed user, "
      "uint256 debtToCover, uint256 liquidatedCollateralAmount, address liquidator, bool receiveAToken)").value();
  const auto liquidate = abi::Event::parse(
      "Liquidate(bytes32 indexed id, address indexed caller, address indexed borrower, uint256 repaidAssets, "
      "uint256 repaidShares, uint256 seizedAssets, uint256 badDebtAssets, uint256 badDebtShares)").value();
  const std::size_t aave = count_logs(rpc, devnet.at("/aave/pool"), liquidation_call.topic0, first);
  const std::size_t morpho = count_logs(rpc, devnet.at("/morpho/morpho"), liquidate.topic0, first);
  MESSAGE("liquidations: aave ", aave, ", morpho ", morpho);
  CHECK(aave > 0);
  CHECK(morpho > 0);

  // 61 journal lines (the set-up block and 60 steps); the reference ends at 70% of the start.
  const auto lines = read_lines(devnet.dir() + "/scenario.jsonl");
  REQUIRE(lines.size() == 61);
  // Every competitor transaction succeeded: its plans (close factor, Morpho seize/repay choice) match the protocols.
  for (std::size_t i = 1; i < lines.size(); ++i) {
    INFO(lines[i].substr(0, 2000));
    CHECK(lines[i].find("\"reverted\":[]") != std::string::npos);
  }
  const double start = journal_number(lines.front(), "/reference/WETH");
  const double end_reference = journal_number(lines.back(), "/reference/WETH");
  CHECK(end_reference == doctest::Approx(start * 0.7).epsilon(1e-9));

  // The pool's price, from its reserves on chain: below the reference path by the cascade's own selling.
  const std::string pair = devnet.at("/uniswap_v2/pairs/WETH~1USDC");
  const std::string reserves = eth_call(rpc, pair, abi::Function::parse("getReserves()").value().selector.hex());
  const std::string token0 = eth_call(rpc, pair, abi::Function::parse("token0()").value().selector.hex());
  const bool weth_is_token0 = U256::from_hex(token0).value() == U256::from_hex(devnet.at("/tokens/WETH")).value();
  const U256 weth = word(reserves, weth_is_token0 ? 0 : 1);
  const U256 usdc = word(reserves, weth_is_token0 ? 1 : 0);
  const auto scale = [](std::int64_t decimals) { double s = 1; while (decimals-- > 0) s *= 10; return s; };
  const double price = (std::stod(usdc.to_dec()) / scale(devnet.number_at("/aave/reserves/USDC/decimals"))) /
                       (std::stod(weth.to_dec()) / scale(devnet.number_at("/aave/reserves/WETH/decimals")));
  MESSAGE("WETH/USDC pool ", price, " vs reference ", end_reference);
  CHECK(price < end_reference * 0.999);
  CHECK(journal_number(lines.back(), "/pool/WETH~1USDC") == doctest::Approx(price).epsilon(1e-6));
}

TEST_CASE("scenario: step: and csv: paths move the feed by the path's ratio, arbitrage and the chainlink threshold") {
  Devnet devnet(20);
  RpcClient rpc(devnet.at("/rpc_http"));
  const std::string feed = devnet.at("/feeds/WETH");
  const U256 before = feed_answer(rpc, feed);

  SUBCASE("step") {
    const ProcessResult r = devnet.scenario({"step:WETH:-10", "--oracle", "every-block"});
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(within_one(feed_answer(rpc, feed), before * U256{9} / U256{10}));
    CHECK(read_lines(devnet.dir() + "/scenario.jsonl").size() == 2);
  }
  SUBCASE("arbitrage without flow moves the pool half way; chainlink ignores a 0.4% move") {
    const ProcessResult r = devnet.scenario({"step:WETH:-0.4", "--no-flow", "--arbitrage", "0.5"});
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(feed_answer(rpc, feed) == before);  // 0.4% is inside the 0.5% deviation threshold
    const auto lines = read_lines(devnet.dir() + "/scenario.jsonl");
    REQUIRE(lines.size() == 2);
    const double start = journal_number(lines[0], "/pool/WETH~1USDC");
    // Half way from the pool's start price to the reference (0.996 of the start), by a real router swap.
    CHECK(journal_number(lines[1], "/pool/WETH~1USDC") == doctest::Approx(start * 0.998).epsilon(1e-6));
    CHECK(journal_number(lines[1], "/reference/WETH") == doctest::Approx(journal_number(lines[0], "/reference/WETH") * 0.996));
  }
  SUBCASE("csv") {
    // Mid prices 1000, 950, 900, 800 (ask/bid 1 apart), one per minute: the feed ends at 80% of its start.
    const std::string csv = devnet.dir() + "/prices.csv";
    std::ofstream(csv) << "timestamp_x,ask_price,bid_price\n"
                          "1610323200000000.0,1001,999\n1610323260000000.0,951,949\n"
                          "1610323320000000.0,901,899\n1610323380000000.0,801,799\n";
    const ProcessResult r = devnet.scenario({"csv:" + csv, "--oracle", "every-block"});
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(within_one(feed_answer(rpc, feed), before * U256{8} / U256{10}));
    const auto lines = read_lines(devnet.dir() + "/scenario.jsonl");
    REQUIRE(lines.size() == 4);
    CHECK(journal_number(lines[1], "/reference/WETH") == doctest::Approx(journal_number(lines[0], "/reference/WETH") * 0.95));
  }
}

TEST_CASE("scenario: the same scenario on two fresh worlds writes byte-identical journals (explicit mining)") {
  std::vector<std::string> journals;
  for (int run = 0; run < 2; ++run) {
    Devnet devnet(100);
    const ProcessResult r = devnet.scenario({"crash:WETH:-25:15", "--competitor", "1", "--market-coupled"});
    INFO(r.out, r.err);
    REQUIRE(r.exit_code == 0);
    std::ifstream in(devnet.dir() + "/scenario.jsonl");
    journals.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // The run liquidated something, so the comparison covers the competitor's transactions too.
  REQUIRE(journals[0].find("\"protocol\":\"aave\"") != std::string::npos);
  CHECK(journals[0] == journals[1]);
}
