// Integration, end to end through the binary: `sluice scan --json --block B` on a devnet (real Aave v3 and Morpho
// Blue bytecode) at three blocks of a WETH crash, checked against the protocols themselves at the same blocks with
// a plain JSON-RPC client (tests/support/json_rpc.hpp, independent of Sluice's RPC and math code):
//  - every Aave row's `health_factor_wad` equals Pool.getUserAccountData(account).healthFactor, and every Aave
//    borrower with debt is listed;
//  - every Morpho row's `liquidatable` equals whether `liquidate(params, borrower, 1, 0, "")` simulated from the
//    liquidator succeeds (a healthy position reverts "position is healthy");
//  - for every liquidatable row, `best_liquidation`'s repaid debt and seized collateral equal, to the wei, the
//    amounts a simulated liquidation (debug_traceCall at block B) emits in its LiquidationCall / Liquidate event.

#include "chain/abi/signature.hpp"
#include "chain/u256.hpp"
#include "tests/support/devnet.hpp"
#include "tests/support/json_rpc.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::test;

namespace {

const std::string kMaxUint = "0x" + std::string(64, 'f');

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string hex_quantity(std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(n));
  return buf;
}

/// Calldata: selector of `signature` followed by the given 32-byte words (hex without 0x, already padded).
std::string calldata(const char* signature, const std::vector<std::string>& words) {
  std::string data = abi::Function::parse(signature).value().selector.hex();
  for (const auto& w : words) data += w;
  return data;
}

std::string word_of_address(const std::string& address) { return std::string(24, '0') + lower(address.substr(2)); }
std::string word_of(const U256& v) {
  const std::string h = v.to_hex().substr(2);
  return std::string(64 - h.size(), '0') + h;
}
std::string str(simdjson::dom::element e) { return std::string(std::string_view(e)); }

U256 word(std::string_view hex, std::size_t index) {
  return U256::from_hex("0x" + std::string(hex.substr(2 + 64 * index, 64))).value();
}

/// A devnet whose liquidator has approved the Pool and Morpho for every token (so simulations can pull the debt).
struct World {
  Devnet devnet{160, 11};
  RpcClient rpc{devnet.at("/rpc_http")};
  std::string liquidator = devnet.at("/liquidator/address");

  World() {
    const std::string key = devnet.at("/liquidator/private_key");
    for (const char* spender : {"/aave/pool", "/morpho/morpho"})
      for (const char* token : {"/tokens/WETH", "/tokens/USDC", "/tokens/DAI", "/tokens/WBTC"}) {
        const ProcessResult r =
            run_process({node_tool("cast"), "send", "--private-key", key, "--rpc-url", devnet.at("/rpc_http"),
                         "--gas-limit", "100000", devnet.at(token), "approve(address,uint256)", devnet.at(spender),
                         kMaxUint});
        if (r.exit_code != 0) throw std::runtime_error("approve failed: " + r.err);
      }
  }

  std::uint64_t head() { return std::stoull(rpc.call("eth_blockNumber", "[]"), nullptr, 16); }

  std::string call_at(const std::string& to, const std::string& data, std::uint64_t block, bool& ok) {
    const std::string response = rpc.call_raw(
        "eth_call", R"([{"from":")" + liquidator + R"(","to":")" + to + R"(","data":")" + data + R"("},")" +
                        hex_quantity(block) + R"("])");
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(response);
    std::string_view result;
    ok = doc["result"].get_string().get(result) == simdjson::SUCCESS;
    return ok ? std::string(result) : response;
  }

  /// The data of the first log with `topic0` in the call tree of a simulated call at `block`.
  std::string traced_log(const std::string& to, const std::string& data, std::uint64_t block, const Hash& topic0) {
    const std::string response = rpc.call_raw(
        "debug_traceCall", R"([{"from":")" + liquidator + R"(","to":")" + to + R"(","data":")" + data +
                               R"(","gas":"0x1c9c380"},")" + hex_quantity(block) +
                               R"(",{"tracer":"callTracer","tracerConfig":{"withLog":true}}])");
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(response);
    simdjson::dom::element frame;
    if (doc["result"].get(frame) != simdjson::SUCCESS) throw std::runtime_error("debug_traceCall: " + response);
    std::string found;
    find_log(frame, topic0.hex(), found);
    if (found.empty()) throw std::runtime_error("no such log in the trace: " + response.substr(0, 600));
    return found;
  }

  static void find_log(simdjson::dom::element frame, const std::string& topic0, std::string& found) {
    simdjson::dom::array logs;
    if (frame["logs"].get_array().get(logs) == simdjson::SUCCESS)
      for (auto log : logs) {
        std::string_view t0, data;
        if (log["topics"].at(0).get_string().get(t0) == simdjson::SUCCESS && t0 == topic0 &&
            log["data"].get_string().get(data) == simdjson::SUCCESS && found.empty())
          found = std::string(data);
      }
    simdjson::dom::array calls;
    if (frame["calls"].get_array().get(calls) == simdjson::SUCCESS)
      for (auto call : calls) find_log(call, topic0, found);
  }

  ProcessResult scan(std::uint64_t block) {
    return run_process({SLUICE_BINARY, "scan", "--config", devnet.dir() + "/sluice.toml", "--block",
                        std::to_string(block), "--json"});
  }
};

struct MorphoMarketWords {
  std::string params;  ///< the five MarketParams words
  std::string id;
};

/// Checks one `sluice scan --json` at `block` against the chain; returns the number of liquidatable rows checked.
int check_block(World& w, std::uint64_t block, const std::map<std::string, MorphoMarketWords>& markets,
                const std::set<std::string>& aave_debtors_expected) {
  const ProcessResult r = w.scan(block);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  simdjson::dom::parser parser;
  simdjson::dom::array rows;
  REQUIRE(parser.parse(r.out).get_array().get(rows) == simdjson::SUCCESS);

  const std::string pool = w.devnet.at("/aave/pool");
  const std::string morpho = w.devnet.at("/morpho/morpho");
  const auto liquidation_call = abi::Event::parse(
      "LiquidationCall(address indexed,address indexed,address indexed,uint256,uint256,address,bool)").value();
  const auto liquidate = abi::Event::parse(
      "Liquidate(bytes32 indexed,address indexed,address indexed,uint256,uint256,uint256,uint256,uint256)").value();

  std::set<std::string> aave_seen;
  int liquidatable_checked = 0;
  for (auto row : rows) {
    const std::string protocol = str(row["protocol"]);
    const std::string account = str(row["account"]);
    const bool liquidatable = bool(row["liquidatable"]);
    simdjson::dom::object best;
    const bool has_best = row["best_liquidation"].get_object().get(best) == simdjson::SUCCESS;
    INFO("block ", block, " ", protocol, " ", account);
    if (protocol == "aave-v3") {
      aave_seen.insert(lower(account));
      bool ok = false;
      const std::string data = w.call_at(pool, calldata("getUserAccountData(address)", {word_of_address(account)}),
                                         block, ok);
      REQUIRE_MESSAGE(ok, data);
      const U256 onchain_hf = word(data, 5);
      CHECK(str(row["health_factor_wad"]) == onchain_hf.to_dec());
      CHECK(liquidatable == (onchain_hf < U256::from_dec("1000000000000000000").value()));
      if (liquidatable) {
        REQUIRE(has_best);
        const std::string collateral = w.devnet.at("/tokens/" + str(best["collateral"]));
        const std::string debt = w.devnet.at("/tokens/" + str(best["debt"]));
        const std::string log = w.traced_log(
            pool,
            calldata("liquidationCall(address,address,address,uint256,bool)",
                     {word_of_address(collateral), word_of_address(debt), word_of_address(account),
                      std::string(64, 'f'), std::string(64, '0')}),
            block, liquidation_call.topic0);
        CHECK(word(log, 0).to_dec() == str(best["debt_repaid"]));
        CHECK(word(log, 1).to_dec() == str(best["collateral_seized"]));
        ++liquidatable_checked;
      }
    } else {
      REQUIRE(protocol == "morpho-blue");
      const std::string market = lower(str(row["market"]));
      REQUIRE(markets.count(market) == 1);
      const MorphoMarketWords& m = markets.at(market);
      // liquidate(MarketParams,address,uint256,uint256,bytes): params words, borrower, seized, shares, offset, 0.
      const auto liquidate_data = [&](const U256& seized, const U256& shares) {
        return calldata("liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)",
                        {m.params, word_of_address(account), word_of(seized), word_of(shares),
                         word_of(U256{0x120}), word_of(U256{0})});
      };
      bool ok = false;
      const std::string answer = w.call_at(morpho, liquidate_data(U256{1}, U256{}), block, ok);
      CHECK_MESSAGE(liquidatable == ok, answer);
      if (!ok) CHECK(answer.find("position is healthy") != std::string::npos);
      if (liquidatable) {
        REQUIRE(has_best);
        // position(id, borrower): supplyShares, borrowShares, collateral.
        const std::string position =
            w.call_at(morpho, calldata("position(bytes32,address)", {m.id, word_of_address(account)}), block, ok);
        REQUIRE(ok);
        const U256 borrow_shares = word(position, 1), collateral = word(position, 2);
        const U256 seized = U256::from_dec(std::string_view(best["collateral_seized"])).value();
        // liquidate_max seizes everything, or repays every share: replay the same branch on chain.
        const std::string log = seized == collateral
                                    ? w.traced_log(morpho, liquidate_data(collateral, U256{}), block, liquidate.topic0)
                                    : w.traced_log(morpho, liquidate_data(U256{}, borrow_shares), block,
                                                   liquidate.topic0);
        // Liquidate data: repaidAssets, repaidShares, seizedAssets, badDebtAssets, badDebtShares.
        CHECK(word(log, 0).to_dec() == str(best["debt_repaid"]));
        CHECK(word(log, 2) == seized);
        ++liquidatable_checked;
      }
    }
  }
  for (const auto& a : aave_debtors_expected) CHECK_MESSAGE(aave_seen.count(a) == 1, "missing Aave borrower ", a);
  return liquidatable_checked;
}

}  // namespace

TEST_CASE("scan: health factors, liquidatability and liquidation amounts equal the protocols' at three crash blocks") {
  World w;
  // Morpho market params words, from the manifest.
  std::map<std::string, MorphoMarketWords> markets;
  simdjson::dom::array manifest_markets;
  REQUIRE(w.devnet.manifest().at_pointer("/morpho/markets").get_array().get(manifest_markets) == simdjson::SUCCESS);
  for (auto m : manifest_markets) {
    MorphoMarketWords words;
    for (const char* field : {"loan_token", "collateral_token", "oracle", "irm"})
      words.params += word_of_address(str(m[field]));
    words.params += word_of(U256::from_dec(std::string_view(m["lltv"])).value());
    words.id = str(m["id"]).substr(2);
    markets[lower(str(m["id"]))] = words;
  }
  // Aave borrowers seeded with debt (borrowers.json): each must appear in the scan.
  std::set<std::string> aave_debtors;
  simdjson::dom::parser parser;
  simdjson::dom::array plan;
  REQUIRE(parser.load(w.devnet.dir() + "/borrowers.json").get_array().get(plan) == simdjson::SUCCESS);
  for (auto b : plan)
    if (std::string_view(b["protocol"]) == "aave" && simdjson::dom::array(b["debts"]).size() > 0)
      aave_debtors.insert(lower(str(b["address"])));
  REQUIRE(aave_debtors.size() > 20);

  const std::uint64_t before = w.head();
  REQUIRE(w.devnet.scenario({"crash:WETH:-18:6", "--oracle", "every-block"}).exit_code == 0);
  const std::uint64_t middle = w.head();
  REQUIRE(w.devnet.scenario({"crash:WETH:-25:6", "--oracle", "every-block"}).exit_code == 0);
  const std::uint64_t after = w.head();
  REQUIRE(before < middle);
  REQUIRE(middle < after);

  CHECK(check_block(w, before, markets, aave_debtors) == 0);  // the seed leaves every position healthy
  const int mid = check_block(w, middle, markets, aave_debtors);
  const int end = check_block(w, after, markets, aave_debtors);
  CHECK(mid > 0);
  CHECK(end > mid);  // nobody liquidates: the crash only adds liquidatable positions
  MESSAGE("liquidatable positions checked: ", mid, " mid-crash, ", end, " at the end");
}
