// Integration: revert decoding (strategy/plan/revert_reason.hpp) on revert data captured from real calls on a devnet
// (real Aave v3 and Morpho Blue bytecode, the devnet's ERC-20s), with the calldata of strategy/plan/calldata.hpp:
// Aave liquidationCall on a healthy account (45), with a collateral the account does not supply (46) and a debt it
// does not owe (47), and without an allowance (the token's "allowance", bubbled up by Aave); Morpho liquidate on a
// healthy position ("position is healthy") and without an allowance ("transferFrom reverted").

#include "strategy/plan/calldata.hpp"
#include "strategy/plan/revert_reason.hpp"

#include "tests/support/devnet.hpp"
#include "tests/support/json_rpc.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::test;

namespace {

Address addr(const std::string& s) { return Address::from_hex(s).value(); }

struct Reverted {
  bool reverted = false;
  Bytes data;
  std::string message;
};

/// eth_call from `from` at the head; the revert data and message of a failed call.
Reverted simulate(RpcClient& rpc, const std::string& from, const std::string& to, const Bytes& data) {
  const std::string body = rpc.call_raw(
      "eth_call", R"([{"from":")" + from + R"(","to":")" + to + R"(","data":")" + to_hex(data) + R"("},"latest"])");
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = parser.parse(body);
  simdjson::dom::element error;
  if (doc["error"].get(error) != simdjson::SUCCESS) return {};
  Reverted r{true, {}, std::string(std::string_view(error["message"]))};
  std::string_view hex;
  if (error["data"].get_string().get(hex) == simdjson::SUCCESS) r.data = from_hex(hex).value();
  return r;
}

plan::RevertReason classify(const Reverted& r) {
  REQUIRE(r.reverted);
  return plan::classify_revert(r.data, r.message);
}

struct Borrower {
  std::string address, protocol;
  std::int64_t market = -1;
  std::vector<std::string> collaterals, debts;
};

std::vector<Borrower> borrowers(const Devnet& devnet) {
  simdjson::dom::parser parser;
  simdjson::dom::array plan;
  REQUIRE(parser.load(devnet.dir() + "/borrowers.json").get_array().get(plan) == simdjson::SUCCESS);
  std::vector<Borrower> out;
  for (auto b : plan) {
    Borrower x;
    x.address = std::string(std::string_view(b["address"]));
    x.protocol = std::string(std::string_view(b["protocol"]));
    std::int64_t m = 0;
    if (b["market"].get_int64().get(m) == simdjson::SUCCESS) x.market = m;
    for (auto c : simdjson::dom::array(b["collaterals"])) x.collaterals.emplace_back(std::string_view(c["symbol"]));
    for (auto d : simdjson::dom::array(b["debts"])) x.debts.emplace_back(std::string_view(d["symbol"]));
    out.push_back(std::move(x));
  }
  return out;
}

morpho::MarketParams market_params(const Devnet& devnet, std::int64_t index) {
  const std::string p = "/morpho/markets/" + std::to_string(index) + "/";
  return {addr(devnet.at(p + "loan_token")), addr(devnet.at(p + "collateral_token")), addr(devnet.at(p + "oracle")),
          addr(devnet.at(p + "irm")), U256::from_dec(devnet.at(p + "lltv")).value()};
}

}  // namespace

TEST_CASE("revert: reasons decoded from real Aave and Morpho reverts on a devnet") {
  Devnet devnet(120, 11);
  RpcClient rpc(devnet.at("/rpc_http"));
  const std::string liquidator = devnet.at("/liquidator/address");
  const std::string pool = devnet.at("/aave/pool");
  const std::string morpho = devnet.at("/morpho/morpho");
  const auto token = [&](const std::string& symbol) { return addr(devnet.at("/tokens/" + symbol)); };
  const auto all = borrowers(devnet);

  const auto aave_call = [&](const Borrower& b, const std::string& collateral, const std::string& debt) {
    return simulate(rpc, liquidator, pool,
                    plan::aave_liquidation_call(token(collateral), token(debt), addr(b.address), U256::max()));
  };
  const auto morpho_call = [&](const Borrower& b) {
    return simulate(rpc, liquidator, morpho,
                    plan::morpho_liquidate(market_params(devnet, b.market), addr(b.address), U256{1}, U256{}));
  };

  // Before any price move every position is healthy.
  int aave_healthy = 0, morpho_healthy = 0;
  for (const auto& b : all) {
    if (b.protocol == "aave" && !b.debts.empty()) {
      const auto r = classify(aave_call(b, b.collaterals.at(0), b.debts.at(0)));
      CHECK(r.kind == plan::RevertKind::position_healthy);
      CHECK(r.text == "Aave 45 HEALTH_FACTOR_NOT_BELOW_THRESHOLD");
      ++aave_healthy;
    } else if (b.protocol == "morpho") {
      const auto r = classify(morpho_call(b));
      CHECK(r.kind == plan::RevertKind::position_healthy);
      CHECK(r.text == "Morpho: position is healthy");
      ++morpho_healthy;
    }
  }
  CHECK(aave_healthy > 0);
  CHECK(morpho_healthy > 0);

  REQUIRE(devnet.scenario({"step:WETH:-15", "--oracle", "every-block"}).exit_code == 0);

  // After the fall: liquidatable positions revert for the liquidator's missing allowance (it holds inventory but
  // approved nothing), or, with a wrong asset pair, for the pair.
  int aave_allowance = 0, aave_pair = 0, morpho_transfer = 0;
  for (const auto& b : all) {
    INFO(b.protocol, " ", b.address);
    if (b.protocol == "aave" && !b.debts.empty()) {
      const auto r = classify(aave_call(b, b.collaterals.at(0), b.debts.at(0)));
      if (r.kind == plan::RevertKind::position_healthy) continue;
      CHECK(r.kind == plan::RevertKind::insufficient_allowance);
      CHECK(r.text == "ERC-20: allowance");
      ++aave_allowance;
      for (const std::string other : {"WETH", "WBTC", "USDC", "DAI"}) {
        const bool supplies = std::find(b.collaterals.begin(), b.collaterals.end(), other) != b.collaterals.end();
        const bool owes = std::find(b.debts.begin(), b.debts.end(), other) != b.debts.end();
        if (!supplies) {
          const auto c = classify(aave_call(b, other, b.debts.at(0)));
          CHECK(c.kind == plan::RevertKind::collateral_not_liquidatable);
          CHECK(c.text == "Aave 46 COLLATERAL_CANNOT_BE_LIQUIDATED");
          ++aave_pair;
        }
        if (!owes) {
          const auto d = classify(aave_call(b, b.collaterals.at(0), other));
          CHECK(d.kind == plan::RevertKind::debt_not_borrowed);
          CHECK(d.text == "Aave 47 SPECIFIED_CURRENCY_NOT_BORROWED_BY_USER");
          ++aave_pair;
        }
      }
    } else if (b.protocol == "morpho") {
      const auto r = classify(morpho_call(b));
      if (r.kind == plan::RevertKind::position_healthy) continue;
      CHECK(r.kind == plan::RevertKind::insufficient_inventory);
      CHECK(r.text == "Morpho: transferFrom reverted");
      ++morpho_transfer;
    }
  }
  MESSAGE("liquidatable after the fall: Aave ", aave_allowance, " (", aave_pair, " wrong pairs), Morpho ",
          morpho_transfer);
  CHECK(aave_allowance > 0);
  CHECK(aave_pair > 0);
  CHECK(morpho_transfer > 0);
}
