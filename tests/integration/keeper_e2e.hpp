#pragma once
// Shared by the end-to-end tests of `sluice run` (keeper_*_test.cpp): a devnet with manual mining, the keeper as a
// background process on it (its config: the devnet's sluice.toml with a free metrics port and the test's
// [strategy] keys), and readers for what happened on chain (LiquidationCall / Liquidate events) and in the
// keeper (its --events lines, its log).

#include "chain/keccak.hpp"
#include "chain/u256.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/devnet.hpp"
#include "tests/support/json_rpc.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sluice::test::e2e {

inline std::string hex_quantity(std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(n));
  return buf;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// A liquidation on chain, from Aave's LiquidationCall or Morpho's Liquidate.
struct ChainLiquidation {
  std::string protocol;  ///< "aave-v3" | "morpho-blue"
  std::string user;      ///< lowercase 0x address
  std::string market;    ///< Morpho market id (lowercase), "" for Aave
  std::string collateral, debt;  ///< lowercase token addresses (Aave); "" for Morpho
  U256 debt_repaid, collateral_seized, bad_debt;
  std::string liquidator;  ///< lowercase
  std::string tx;
  std::uint64_t block = 0;
};

inline std::string topic_of(std::string_view signature) { return "0x" + keccak256(signature).hex().substr(2); }

/// Every liquidation in blocks [from, to] on the devnet's Aave pool and Morpho.
inline std::vector<ChainLiquidation> liquidations_in(RpcClient& rpc, const Devnet& dev, std::uint64_t from,
                                                     std::uint64_t to) {
  // Aave v3 IPool: LiquidationCall(address indexed collateralAsset, address indexed debtAsset, address indexed
  // user, uint256 debtToCover, uint256 liquidatedCollateralAmount, address liquidator, bool receiveAToken).
  // Morpho Blue EventsLib: Liquidate(Id indexed id, address indexed caller, address indexed borrower,
  // uint256 repaidAssets, uint256 repaidShares, uint256 seizedAssets, uint256 badDebtAssets, uint256 badDebtShares).
  const std::string aave_topic =
      topic_of("LiquidationCall(address,address,address,uint256,uint256,address,bool)");
  const std::string morpho_topic = topic_of("Liquidate(bytes32,address,address,uint256,uint256,uint256,uint256,uint256)");
  const std::string params = R"([{"fromBlock":")" + hex_quantity(from) + R"(","toBlock":")" + hex_quantity(to) +
                             R"(","address":[")" + dev.at("/aave/pool") + R"(",")" + dev.at("/morpho/morpho") +
                             R"("],"topics":[[")" + aave_topic + R"(",")" + morpho_topic + R"("]]}])";
  const std::string raw = rpc.call_raw("eth_getLogs", params);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(raw);
  std::vector<ChainLiquidation> out;
  const auto word = [](std::string_view data, std::size_t i) {
    return U256::from_hex("0x" + std::string(data.substr(2 + 64 * i, 64))).value();
  };
  const auto address_word = [](std::string_view hex32) { return "0x" + std::string(hex32.substr(2 + 24, 40)); };
  for (simdjson::dom::element log : doc["result"].get_array()) {
    ChainLiquidation l;
    std::vector<std::string> topics;
    for (simdjson::dom::element t : log["topics"].get_array()) topics.emplace_back(std::string_view(t.get_string()));
    const std::string_view data = log["data"].get_string();
    l.tx = std::string(std::string_view(log["transactionHash"].get_string()));
    l.block = std::stoull(std::string(std::string_view(log["blockNumber"].get_string())), nullptr, 16);
    if (lower(topics[0]) == lower(aave_topic)) {
      l.protocol = "aave-v3";
      l.collateral = lower(address_word(topics[1]));
      l.debt = lower(address_word(topics[2]));
      l.user = lower(address_word(topics[3]));
      l.debt_repaid = word(data, 0);
      l.collateral_seized = word(data, 1);
      l.liquidator = lower("0x" + std::string(data.substr(2 + 64 * 2 + 24, 40)));
    } else {
      l.protocol = "morpho-blue";
      l.market = lower(topics[1]);
      l.liquidator = lower(address_word(topics[2]));
      l.user = lower(address_word(topics[3]));
      l.debt_repaid = word(data, 0);
      l.collateral_seized = word(data, 2);
      l.bad_debt = word(data, 3);
    }
    out.push_back(l);
  }
  return out;
}

/// One --events line of the keeper.
struct KeeperEvent {
  std::string event, tx_kind, subject, hash, detail;
  std::uint64_t nonce = 0, block = 0;
  std::int64_t time_ms = 0;
};

inline std::vector<KeeperEvent> read_events(const std::string& path) {
  std::vector<KeeperEvent> out;
  std::ifstream in(path);
  std::string line;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    simdjson::dom::element e;
    if (parser.parse(line).get(e)) continue;  // a line being written
    KeeperEvent k;
    k.event = std::string(std::string_view(e["event"].get_string()));
    k.tx_kind = std::string(std::string_view(e["tx_kind"].get_string()));
    k.subject = std::string(std::string_view(e["subject"].get_string()));
    k.hash = std::string(std::string_view(e["hash"].get_string()));
    k.detail = std::string(std::string_view(e["detail"].get_string()));
    k.nonce = e["nonce"].get_uint64();
    k.block = e["block"].get_uint64();
    k.time_ms = e["time_ms"].get_int64();
    out.push_back(k);
  }
  return out;
}

/// The position key text of a chain liquidation, as the journal writes it (keeper/exec/subject.hpp): account in
/// lowercase here (compare with lower()).
inline std::string subject_of(const ChainLiquidation& l) {
  return l.protocol == "aave-v3" ? "aave-v3:" + l.user : "morpho-blue:" + l.market + ":" + l.user;
}

/// A position the scan reports liquidatable, with its best liquidation (the book's exact prediction).
struct Predicted {
  std::string subject;  ///< lowercase
  std::string collateral, debt;  ///< symbols
  U256 debt_repaid, collateral_seized;
};

/// `sluice scan --block B --json`: the liquidatable positions and the exact amounts the book predicts.
inline std::map<std::string, Predicted> scan_liquidatable(const std::string& config, std::uint64_t block) {
  const ProcessResult r = run_process({SLUICE_BINARY, "scan", "--config", config, "--block", std::to_string(block),
                                       "--json", "--max-hf", "1"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(r.out);
  std::map<std::string, Predicted> out;
  for (simdjson::dom::element v : doc.get_array()) {
    if (!v["liquidatable"].get_bool().value()) continue;
    Predicted p;
    const std::string protocol(std::string_view(v["protocol"].get_string()));
    const std::string account = lower(std::string(std::string_view(v["account"].get_string())));
    p.subject = protocol == "aave-v3" ? "aave-v3:" + account
                                      : "morpho-blue:" + lower(std::string(std::string_view(v["market"].get_string()))) +
                                            ":" + account;
    simdjson::dom::element best;
    if (!v["best_liquidation"].get(best)) {
      p.collateral = std::string(std::string_view(best["collateral"].get_string()));
      p.debt = std::string(std::string_view(best["debt"].get_string()));
      p.debt_repaid = U256::from_dec(std::string_view(best["debt_repaid"].get_string())).value();
      p.collateral_seized = U256::from_dec(std::string_view(best["collateral_seized"].get_string())).value();
    }
    out[p.subject] = p;
  }
  return out;
}

/// The devnet with the keeper's config next to it: metrics on a free port, journal in the devnet dir, and the
/// test's extra [strategy] keys.
class KeeperWorld {
 public:
  explicit KeeperWorld(int borrowers, const std::string& strategy_keys = "min_profit_usd = 0\nmax_in_flight = 200\n")
      : dev(borrowers), rpc(dev.at("/rpc_http")) {
    config = dev.dir() + "/keeper.toml";
    std::string text = read_text(dev.dir() + "/sluice.toml");
    // The test's keys replace the devnet's (a key given twice is a config error).
    const std::string devnet_dispose = "dispose = \"throttled\"\n";
    if (strategy_keys.find("dispose =") != std::string::npos && text.find(devnet_dispose) != std::string::npos)
      text.erase(text.find(devnet_dispose), devnet_dispose.size());
    const auto at = text.find("[strategy]\n");
    REQUIRE(at != std::string::npos);
    text.insert(at + 11, strategy_keys);
    text += "\n[metrics]\naddress = \"127.0.0.1:" + std::to_string(free_port()) + "\"\n";
    write_text(config, text);
    key = dev.at("/liquidator/private_key");
    address = lower(dev.at("/liquidator/address"));
  }

  /// Starts `sluice run` with `extra` arguments (on `config_path`, default the world's config); waits until it
  /// follows the chain (its "running" line).
  std::unique_ptr<BackgroundProcess> start_keeper(const std::vector<std::string>& extra, const std::string& log_name,
                                                  std::string config_path = {}) {
    if (config_path.empty()) config_path = config;
    std::vector<std::string> argv = {SLUICE_BINARY, "run", "--config", config_path};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto p = std::make_unique<BackgroundProcess>(argv, dev.dir() + "/" + log_name,
                                                 std::vector<std::pair<std::string, std::string>>{
                                                     {"SLUICE_DEVNET_LIQUIDATOR_KEY", key}});
    for (int i = 0; i < 600; ++i) {
      if (p->log().find(" running") != std::string::npos) return p;
      if (!p->running()) FAIL("the keeper exited at start:\n" << p->log());
      sleep_ms(100);
    }
    FAIL("the keeper did not start within 60 s:\n" << p->log());
    return p;
  }

  std::uint64_t block_number() { return std::stoull(rpc.call("eth_blockNumber", "[]"), nullptr, 16); }
  void set_automine(bool on) { rpc.call_raw("evm_setAutomine", on ? "[true]" : "[false]"); }
  void mine() { rpc.call_raw("evm_mine", "[]"); }

  /// The pool's pending and queued counts (txpool_status).
  std::pair<std::uint64_t, std::uint64_t> txpool() {
    const std::string raw = rpc.call_raw("txpool_status", "[]");
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(raw);
    const auto q = [&](const char* k) {
      return std::stoull(std::string(std::string_view(doc["result"][k].get_string())), nullptr, 16);
    };
    return {q("pending"), q("queued")};
  }

  /// Waits until the keeper's log reports block `block` processed ("block N:" line) or `timeout_ms`.
  bool wait_processed(const BackgroundProcess& p, std::uint64_t block, int timeout_ms) {
    const std::string needle = "block " + std::to_string(block) + ":";
    for (int waited = 0; waited < timeout_ms; waited += 50) {
      if (p.log().find(needle) != std::string::npos) return true;
      sleep_ms(50);
    }
    return false;
  }

  Devnet dev;
  RpcClient rpc;
  std::string config;
  std::string key;
  std::string address;
};

}  // namespace sluice::test::e2e
