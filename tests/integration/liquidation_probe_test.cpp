// Integration: the liquidation probe (keeper/backtest/liquidation_probe.hpp).
// 1. The embedded runtime bytecode is exactly what solc-js 0.8.19 makes of keeper/backtest/LiquidationProbe.sol
//    today (no metadata is appended, so the comparison is byte for byte).
// 2. On a devnet (real Aave v3 and Morpho Blue bytecode) after a WETH fall: a keeper address with no code and no
//    tokens is given the debt token and the protocols' allowances by state override; one batch probes every
//    seeded position. Healthy ones revert with plan::classify_revert = position_healthy; for a liquidatable Aave
//    position and a Morpho one the probe's (debt spent, collateral received) must equal the amounts of the
//    LiquidationCall / Liquidate event of the same call then sent for real from that address (impersonated, with the
//    same balances written into storage and the probe's block overrides as the next block's number and time), and
//    the keeper's real balance changes. The golden values are the protocols' own events.

#include "keeper/backtest/liquidation_probe.hpp"

#include "chain/abi/encode.hpp"
#include "chain/keccak.hpp"
#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/sync_client.hpp"
#include "strategy/aave/events.hpp"
#include "strategy/core/abi_io.hpp"
#include "strategy/morpho/events.hpp"
#include "strategy/plan/calldata.hpp"
#include "strategy/plan/revert_reason.hpp"

#include "tests/support/devnet.hpp"
#include "tests/support/json_rpc.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::test;
namespace fs = std::filesystem;

namespace {

Address addr(const std::string& s) { return Address::from_hex(s).value(); }
std::string hex(const Address& a) { return to_hex(a.view()); }

/// DevnetToken's layout (scripts/contracts/DevnetToken.sol): name 0, symbol 1, totalSupply 2, owner 3, isMinter 4,
/// balanceOf 5, allowance 6 (decimals is immutable: no slot). Solidity mapping slots: keccak(key . index).
Hash mapping_slot(ByteView key32, const U256& index) {
  Bytes buf(64, 0);
  std::copy(key32.begin(), key32.end(), buf.begin());
  const auto word = index.to_be();
  std::copy(word.begin(), word.end(), buf.begin() + 32);
  return keccak256(ByteView(buf));
}
Bytes word_of(const Address& a) {
  Bytes w(32, 0);
  std::copy(a.bytes.begin(), a.bytes.end(), w.begin() + 12);
  return w;
}
Hash balance_slot(const Address& owner) { return mapping_slot(word_of(owner), U256{5}); }
Hash allowance_slot(const Address& owner, const Address& spender) {
  const Hash inner = mapping_slot(word_of(owner), U256{6});
  return mapping_slot(word_of(spender), U256::from_be(inner.view()).value());
}
Hash hash_of(const U256& v) {
  Hash h;
  h.bytes = v.to_be();
  return h;
}

struct Candidate {
  std::string protocol;
  std::string borrower;
  keeper::ProbeCall call;
};

}  // namespace

TEST_CASE("liquidation probe: embedded runtime code equals a fresh solc-js 0.8.19 compile of the source") {
  const fs::path source = SLUICE_SOURCE_DIR;
  const fs::path solc = fs::path(SLUICE_NODE_BIN).parent_path() / "solc0819";
  const auto r = run_process({"node", (source / "keeper/backtest/compile_probe.js").string(), solc.string(),
                              (source / "keeper/backtest/LiquidationProbe.sol").string()});
  REQUIRE_MESSAGE(r.exit_code == 0, "compile_probe.js failed (run scripts/setup?): " << r.err);
  const auto newline = r.out.find('\n');
  REQUIRE(newline != std::string::npos);
  CHECK(r.out.substr(0, newline) == "0.8.19+commit.7dd6d404.Emscripten.clang");
  const std::string fresh = r.out.substr(newline + 1, r.out.find('\n', newline + 1) - newline - 1);
  REQUIRE(fresh.size() > 100);
  CHECK(to_hex_no_prefix(keeper::liquidation_probe_code()) == fresh);
}

TEST_CASE("liquidation probe: amounts equal the protocols' events of the same liquidation sent for real") {
  Devnet devnet(60, 7);
  RpcClient rpc(devnet.at("/rpc_http"));
  rpc::SyncClient sync(std::make_shared<rpc::HttpTransport>(devnet.at("/rpc_http")));
  const Address pool = addr(devnet.at("/aave/pool"));
  const Address morpho = addr(devnet.at("/morpho/morpho"));
  const auto token = [&](std::string_view symbol) { return addr(devnet.at("/tokens/" + std::string(symbol))); };
  // A fresh address: no code, no tokens, no history (not one of the devnet's accounts).
  const Address keeper = addr("0x5100000000000000000000000000000000005100");
  const U256 inventory = U256::from_dec("1000000000000000000000000000000").value();  // 1e30 of any token

  REQUIRE(devnet.scenario({"step:WETH:-15", "--oracle", "every-block"}).exit_code == 0);

  // Every seeded position: Aave with its first collateral and debt (close factor's maximum), Morpho seizing half of
  // the collateral (read from Morpho.position).
  const auto position_fn = abi_io::function("position(bytes32,address)(uint256,uint128,uint128)");
  std::vector<Candidate> candidates;
  simdjson::dom::parser parser;
  simdjson::dom::array plan;
  REQUIRE(parser.load(devnet.dir() + "/borrowers.json").get_array().get(plan) == simdjson::SUCCESS);
  for (auto b : plan) {
    Candidate c;
    c.protocol = std::string(std::string_view(b["protocol"]));
    c.borrower = std::string(std::string_view(b["address"]));
    c.call.keeper = keeper;
    if (c.protocol == "aave") {
      simdjson::dom::array debts = b["debts"];
      if (debts.size() == 0) continue;
      const Address collateral = token(std::string_view(b["collaterals"].at(0)["symbol"]));
      const Address debt = token(std::string_view(debts.at(0)["symbol"]));
      c.call.target = pool;
      c.call.calldata = plan::aave_liquidation_call(collateral, debt, addr(c.borrower), U256::max());
      c.call.debt_token = debt;
      c.call.collateral_token = collateral;
    } else {
      const std::string m = "/morpho/markets/" + std::to_string(std::int64_t(b["market"])) + "/";
      const morpho::MarketParams market{addr(devnet.at(m + "loan_token")), addr(devnet.at(m + "collateral_token")),
                                        addr(devnet.at(m + "oracle")), addr(devnet.at(m + "irm")),
                                        U256::from_dec(devnet.at(m + "lltv")).value()};
      rpc::CallRequest read;
      read.to = morpho;
      read.data = abi::encode_call(position_fn, std::vector<abi::Value>{
                                                    Bytes(from_hex(devnet.at(m + "id")).value()), addr(c.borrower)})
                      .value();
      const Bytes out = sync.run([&](rpc::Client& client) { return client.call(read); }).value();
      REQUIRE(out.size() == 96);
      const U256 collateral = U256::from_be(ByteView(out.data() + 64, 32)).value();
      if (collateral.is_zero()) continue;
      c.call.target = morpho;
      c.call.calldata = plan::morpho_liquidate(market, addr(c.borrower), collateral / U256{2}, U256{});
      c.call.debt_token = market.loan_token;
      c.call.collateral_token = market.collateral_token;
    }
    candidates.push_back(std::move(c));
  }
  REQUIRE(candidates.size() > 10);

  // The inventory: 1e30 of each debt token and unlimited allowances to both protocols.
  const auto inventory_overrides = [&] {
    rpc::StateOverride overrides;
    for (const std::string_view symbol : {"WETH", "WBTC", "USDC", "DAI"}) {
      rpc::AccountOverride o;
      o.state_diff = std::vector<std::pair<Hash, Hash>>{{balance_slot(keeper), hash_of(inventory)},
                                                       {allowance_slot(keeper, pool), hash_of(U256::max())},
                                                       {allowance_slot(keeper, morpho), hash_of(U256::max())}};
      overrides.emplace_back(token(symbol), std::move(o));
    }
    return overrides;
  };

  // The next block's environment, for the probe (block overrides) and the real transaction alike.
  const auto next_block = [&] {
    const auto head = sync.get_block_by_number(rpc::BlockTag::latest()).value().value();
    return std::pair{head.number, rpc::BlockOverrides{head.number + 1, head.timestamp + 12, std::nullopt}};
  };
  const auto probe = [&](std::span<const keeper::ProbeCall> calls, std::uint64_t tag,
                         const rpc::BlockOverrides& env) {
    return sync
        .run([&](rpc::Client& client) {
          return keeper::probe_liquidations(client, calls, rpc::BlockTag(tag), inventory_overrides(), env);
        })
        .value();
  };

  const auto [head, env] = next_block();
  std::vector<keeper::ProbeCall> calls;
  for (const auto& c : candidates) calls.push_back(c.call);
  const auto results = probe(calls, head, env);
  REQUIRE(results.size() == calls.size());

  std::optional<std::size_t> aave_pick, morpho_pick;
  int healthy = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO(candidates[i].protocol, " ", candidates[i].borrower, " ", results[i].node_message);
    if (results[i].reverted) {
      const auto reason = plan::classify_revert(results[i].revert_data, results[i].node_message);
      CHECK(reason.kind == plan::RevertKind::position_healthy);
      ++healthy;
      continue;
    }
    CHECK(!results[i].debt_spent.is_zero());
    CHECK(!results[i].collateral_received.is_zero());
    auto& pick = candidates[i].protocol == "aave" ? aave_pick : morpho_pick;
    if (!pick) pick = i;
  }
  MESSAGE(results.size(), " probes: ", healthy, " healthy");
  CHECK(healthy > 0);
  REQUIRE(aave_pick.has_value());
  REQUIRE(morpho_pick.has_value());

  // Aave: a later time accrues more debt, so the same call (close factor's maximum) spends more.
  {
    rpc::BlockOverrides later = env;
    later.time = *env.time + 365 * 24 * 3600;
    const auto aged = probe(std::span(&calls[*aave_pick], 1), head, later);
    REQUIRE(!aged.at(0).reverted);
    CHECK(results[*aave_pick].debt_spent < aged.at(0).debt_spent);
  }

  // The golden check: probe at the head, then send the same call for real in the next block.
  const auto balance_of = [&](const Address& t) {
    rpc::CallRequest read;
    read.to = t;
    read.data = plan::erc20_balance_of(keeper);
    const Bytes out = sync.run([&](rpc::Client& client) { return client.call(read); }).value();
    return U256::from_be(ByteView(out)).value();
  };
  // anvil's controls answer null: only the absence of an error is checked.
  const auto control = [&](const std::string& method, const std::string& params) {
    const std::string body = rpc.call_raw(method, params);
    REQUIRE_MESSAGE(body.find("\"error\"") == std::string::npos, method << ": " << body);
  };
  control("anvil_impersonateAccount", "[\"" + hex(keeper) + "\"]");
  control("anvil_setBalance", "[\"" + hex(keeper) + "\",\"0x56bc75e2d63100000\"]");  // 100 ETH for gas
  for (const std::size_t pick : {*aave_pick, *morpho_pick}) {
    const Candidate& c = candidates[pick];
    INFO(c.protocol, " ", c.borrower);
    const auto [tag, next] = next_block();
    const auto probed = probe(std::span(&c.call, 1), tag, next).at(0);
    REQUIRE(!probed.reverted);
    if (pick == *aave_pick && tag == head) CHECK(probed.debt_spent == results[pick].debt_spent);

    // The same inventory, written for real, and the probe's block environment for the next block.
    for (const auto& [t, o] : inventory_overrides())
      for (const auto& [slot, value] : *o.state_diff)
        control("anvil_setStorageAt", "[\"" + hex(t) + "\",\"" + to_hex(slot.view()) + "\",\"" +
                                           to_hex(value.view()) + "\"]");
    control("evm_setNextBlockTimestamp", "[" + std::to_string(*next.time) + "]");
    const U256 debt_before = balance_of(c.call.debt_token);
    const U256 collateral_before = balance_of(c.call.collateral_token);
    const std::string tx = json_rpc_result_string(rpc.call_raw(
        "eth_sendTransaction", "[{\"from\":\"" + hex(keeper) + "\",\"to\":\"" + hex(c.call.target) +
                                   "\",\"data\":\"" + to_hex(c.call.calldata) + "\",\"gas\":\"0x2dc6c0\"}]"));
    rpc.wait_for_receipt(tx);
    const auto receipt =
        sync.run([&](rpc::Client& client) { return client.get_transaction_receipt(Hash::from_hex(tx).value()); })
            .value()
            .value();
    REQUIRE(receipt.status == 1);
    CHECK(receipt.block_number == *next.number);

    std::optional<std::pair<U256, U256>> event;  // (debt repaid, collateral to the liquidator)
    for (const auto& log : receipt.logs) {
      if (log.topics.empty()) continue;
      if (c.protocol == "aave" && log.topics[0] == aave::events::liquidation_call_topic()) {
        const auto e = aave::events::decode_liquidation_call(log).value();
        CHECK(e.liquidator == keeper);
        event = std::pair{e.debt_to_cover, e.liquidated_collateral_amount};
      } else if (c.protocol == "morpho" && log.topics[0] == morpho::events::liquidate_topic()) {
        const auto e = morpho::events::decode_liquidate(log).value();
        CHECK(e.caller == keeper);
        event = std::pair{e.repaid_assets, e.seized_assets};
      }
    }
    REQUIRE(event.has_value());
    MESSAGE(c.protocol, ": probe (", probed.debt_spent.to_dec(), ", ", probed.collateral_received.to_dec(),
            "), event (", event->first.to_dec(), ", ", event->second.to_dec(), ")");
    CHECK(probed.debt_spent == event->first);
    CHECK(probed.collateral_received == event->second);
    CHECK(debt_before - balance_of(c.call.debt_token) == probed.debt_spent);
    CHECK(balance_of(c.call.collateral_token) - collateral_before == probed.collateral_received);
  }
}

TEST_CASE("liquidation probe: a failed batch is an error naming eth_call and the block") {
  // Nothing listens on port 1: the batch fails as a whole (transport error).
  rpc::SyncClient sync(std::make_shared<rpc::HttpTransport>("http://127.0.0.1:1"));
  const keeper::ProbeCall call{addr("0x5100000000000000000000000000000000005100"),
                               addr("0x94099942864EA81cCF197E9D71ac53310b1468D8"), Bytes{0x01},
                               addr("0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9"),
                               addr("0x5FbDB2315678afecb367f032d93F642f64180aa3")};
  const auto r = sync.run([&](rpc::Client& client) {
    return keeper::probe_liquidations(client, std::span(&call, 1), rpc::BlockTag(std::uint64_t{0x1234}), {});
  });
  REQUIRE(!r.has_value());
  const std::string text = r.error().describe();
  INFO(text);
  CHECK(text.find("eth_call batch of 1 probes at block \"0x1234\"") != std::string::npos);

  // No calls: no request at all, an empty answer.
  const auto none = sync.run([&](rpc::Client& client) {
    return keeper::probe_liquidations(client, {}, rpc::BlockTag(std::uint64_t{1}), {});
  });
  REQUIRE(none.has_value());
  CHECK(none->empty());
}
