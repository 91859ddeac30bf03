// Integration: the planner (strategy/plan/planner.hpp) on a devnet after `scripts/scenario step:WETH:-15`. The book
// is loaded at the head B with BookLoader (as the daemon does), the pools and the liquidator's inventory are read
// at B, and plan_block decides. For every taken order, debug_traceCall of the exact calldata
// (strategy/plan/calldata.hpp) from the devnet's liquidator at B must emit a LiquidationCall / Liquidate event with
// exactly the order's expected_debt_repaid and expected_collateral_seized: with the liquidator's real inventory,
// with a tight one (2,500 USDC, 2,500 DAI, 1 WETH: shared in sending order), and, for each order the real inventory
// takes, with half its repaid amount on hand and every other position in flight (each Aave and Morpho order capped
// by the debt asset on hand in turn).
// The liquidator holds inventory but has no approvals: the test approves Pool and Morpho with its devnet key
// (manifest /liquidator/private_key) before the price step, so block B already has them.

#include "chain/abi/event.hpp"
#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/sync_client.hpp"
#include "config/load_config.hpp"
#include "keeper/book/book_loader.hpp"
#include "keeper/cli/book_at_block.hpp"
#include "strategy/plan/calldata.hpp"
#include "strategy/plan/planner.hpp"
#include "tests/support/devnet.hpp"
#include "tests/support/json_rpc.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::test;

namespace {

std::string hex_block(std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(n));
  return buf;
}

U256 word(std::string_view hex, std::size_t i) {
  return U256::from_hex("0x" + std::string(hex.substr(2 + 64 * i, 64))).value();
}

std::string call_at(RpcClient& rpc, const std::string& to, const Bytes& data, std::uint64_t block) {
  return rpc.call("eth_call", R"([{"to":")" + to + R"(","data":")" + to_hex(data) + R"("},")" + hex_block(block) +
                                  R"("])");
}

risk::Pool read_pool(RpcClient& rpc, const book::PositionBook& book, const std::string& pair, std::uint64_t block) {
  const auto view = [&](const char* selector) {
    return rpc.call("eth_call", R"([{"to":")" + pair + R"(","data":")" + selector + R"("},")" + hex_block(block) +
                                    R"("])");
  };
  risk::Pool p;
  p.address = parse_address(pair).value();
  const auto reserves = view("0x0902f1ac");  // getReserves()
  p.reserve0 = word(reserves, 0);
  p.reserve1 = word(reserves, 1);
  p.token0 = parse_address("0x" + view("0x0dfe1681").substr(26, 40)).value();  // token0()
  p.token1 = parse_address("0x" + view("0xd21220a7").substr(26, 40)).value();  // token1()
  p.decimals0 = book.asset(book.find_asset(p.token0).value()).decimals;
  p.decimals1 = book.asset(book.find_asset(p.token1).value()).decimals;
  return p;
}

void find_log(simdjson::dom::element frame, const std::string& topic0, std::string& found) {
  simdjson::dom::array logs;
  if (frame["logs"].get_array().get(logs) == simdjson::SUCCESS)
    for (auto log : logs) {
      std::string_view t0, data;
      if (found.empty() && log["topics"].at(0).get_string().get(t0) == simdjson::SUCCESS && t0 == topic0 &&
          log["data"].get_string().get(data) == simdjson::SUCCESS)
        found = std::string(data);
    }
  simdjson::dom::array calls;
  if (frame["calls"].get_array().get(calls) == simdjson::SUCCESS)
    for (auto c : calls) find_log(c, topic0, found);
}

/// The data of the first `topic0` log of a simulated call at `block` (empty if none; the error in `failure`).
std::string traced_log(RpcClient& rpc, const std::string& from, const std::string& to, const Bytes& data,
                       std::uint64_t block, const Hash& topic0, std::string& failure) {
  const std::string response = rpc.call_raw(
      "debug_traceCall", R"([{"from":")" + from + R"(","to":")" + to + R"(","data":")" + to_hex(data) +
                             R"(","gas":"0x1c9c380"},")" + hex_block(block) +
                             R"(",{"tracer":"callTracer","tracerConfig":{"withLog":true}}])");
  simdjson::dom::parser parser;
  simdjson::dom::element frame;
  if (parser.parse(response)["result"].get(frame) != simdjson::SUCCESS) {
    failure = response;
    return {};
  }
  std::string_view error;
  if (frame["error"].get_string().get(error) == simdjson::SUCCESS) failure = response.substr(0, 800);
  std::string found;
  find_log(frame, topic0.hex(), found);
  return found;
}

}  // namespace

TEST_CASE("planner: every taken order's calldata moves exactly the expected amounts on a devnet") {
  Devnet devnet{120, 11};
  RpcClient rpc{devnet.at("/rpc_http")};
  const std::string liquidator = devnet.at("/liquidator/address");
  const std::string pool = devnet.at("/aave/pool"), morpho = devnet.at("/morpho/morpho");
  const std::vector<std::string> symbols{"WETH", "USDC", "DAI", "WBTC"};
  for (const auto* spender : {"/aave/pool", "/morpho/morpho"})
    for (const auto& s : symbols) {
      const auto r = run_process({node_tool("cast"), "send", "--private-key", devnet.at("/liquidator/private_key"),
                                  "--rpc-url", devnet.at("/rpc_http"), "--gas-limit", "100000",
                                  devnet.at("/tokens/" + s), "approve(address,uint256)", devnet.at(spender),
                                  "0x" + std::string(64, 'f')});
      REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    }
  REQUIRE(devnet.scenario({"step:WETH:-15", "--oracle", "every-block"}).exit_code == 0);
  const std::uint64_t block = std::stoull(rpc.call("eth_blockNumber", "[]"), nullptr, 16);

  auto cfg = config::load_keeper_config(devnet.dir() + "/sluice.toml");
  REQUIRE(cfg.has_value());
  rpc::SyncClient sync(std::make_shared<rpc::HttpTransport>(cfg->chain.rpc_http.front()));
  keeper::BookLoader loader(sync.client(), cli::book_source_from_config(*cfg, std::nullopt));
  book::PositionBook book;
  REQUIRE(sync.run([&](rpc::Client&) { return loader.load(book, block); }).has_value());

  const auto id = [&](const std::string& s) { return book.find_asset(parse_address(devnet.at("/tokens/" + s)).value()).value(); };
  risk::MarketModel model;
  model.pools = {read_pool(rpc, book, devnet.at("/uniswap_v2/pairs/WETH~1USDC"), block),
                 read_pool(rpc, book, devnet.at("/uniswap_v2/pairs/WBTC~1USDC"), block),
                 read_pool(rpc, book, devnet.at("/uniswap_v2/pairs/WETH~1DAI"), block)};
  model.sell_for = {{id("WETH"), id("USDC")}, {id("WBTC"), id("USDC")}};
  model.sell_only_listed = true;

  plan::PlannerConfig config;
  config.min_profit_usd = 0.0;
  config.max_in_flight = 1000;
  config.dispose = plan::Dispose::throttled;
  plan::GasModel gas;
  gas.base_fee = U256{1'000'000'000};
  gas.priority_fee = U256{1'000'000'000};
  gas.native = id("WETH");

  plan::KeeperState real;
  for (const auto& s : symbols) {
    const U256 balance = word(call_at(rpc, devnet.at("/tokens/" + s), plan::erc20_balance_of(parse_address(liquidator).value()), block), 0);
    real.balances.emplace_back(id(s), balance);
  }
  plan::KeeperState tight;
  tight.balances = {{id("USDC"), U256{2'500'000'000ULL}},                      // 2,500 USDC
                    {id("DAI"), U256{2'500} * U256{1'000'000'000'000'000'000ULL}},  // 2,500 DAI
                    {id("WETH"), U256{1'000'000'000'000'000'000ULL}}};          // 1 WETH

  const auto liquidation_call = abi::Event::parse(
      "LiquidationCall(address indexed,address indexed,address indexed,uint256,uint256,address,bool)").value();
  const auto liquidate = abi::Event::parse(
      "Liquidate(bytes32 indexed,address indexed,address indexed,uint256,uint256,uint256,uint256,uint256)").value();

  // One state per order the real inventory takes: half its repaid amount on hand, every other liquidatable
  // position in flight, so that each Aave and Morpho order is capped in turn.
  std::vector<plan::KeeperState> states{real, tight};
  {
    const auto full = plan::plan_block(book, model, config, gas, real);
    REQUIRE(full.has_value());
    for (const auto& d : full->decisions) {
      if (d.skip != plan::SkipReason::none) continue;
      plan::KeeperState half;
      half.balances = {{d.order.debt, d.order.expected_debt_repaid / U256{2}}};
      for (const auto& other : full->decisions)
        if (!(other.key == d.key)) half.in_flight.push_back(other.key);
      states.push_back(std::move(half));
    }
  }
  int aave = 0, morpho_count = 0, capped = 0, capped_aave = 0;
  for (const auto& state_value : states) {
    const auto* state = &state_value;
    const bool is_tight = state != &states[0];
    const auto plan = plan::plan_block(book, model, config, gas, *state);
    REQUIRE(plan.has_value());
    MESSAGE(plan->taken(), " taken of ", plan->decisions.size(), " liquidatable (",
            std::string(is_tight ? "tight" : "real"), " inventory)");
    CHECK(plan->taken() > 0);
    if (state->balances.size() == 1) CHECK(plan->taken() == 1);
    for (const auto& d : plan->decisions) {
      if (d.skip != plan::SkipReason::none) continue;
      const auto& o = d.order;
      INFO(protocol_name(o.key.protocol), " ", o.key.account.hex(), " ", d.detail);
      std::string failure, log;
      if (o.key.protocol == Protocol::aave_v3) {
        const Bytes data = plan::aave_liquidation_call(book.asset(o.collateral).address, book.asset(o.debt).address,
                                                       o.key.account, o.debt_to_cover);
        log = traced_log(rpc, liquidator, pool, data, block, liquidation_call.topic0, failure);
        ++aave;
      } else {
        const auto* m = book.morpho_market(o.key.market);
        REQUIRE(m);
        const Bytes data = plan::morpho_liquidate(m->params, o.key.account, o.morpho_seized_assets, o.morpho_repaid_shares);
        log = traced_log(rpc, liquidator, morpho, data, block, liquidate.topic0, failure);
        ++morpho_count;
      }
      REQUIRE_MESSAGE(!log.empty(), failure);
      CHECK(failure.empty());
      // LiquidationCall data: debtToCover, liquidatedCollateralAmount, ...; Liquidate: repaidAssets, repaidShares,
      // seizedAssets, ...
      const bool is_aave = o.key.protocol == Protocol::aave_v3;
      CHECK(word(log, 0) == o.expected_debt_repaid);
      CHECK(word(log, is_aave ? 1 : 2) == o.expected_collateral_seized);
      for (const auto& [asset, amount] : state->balances)
        if (asset == o.debt) {
          CHECK(o.expected_debt_repaid <= amount);
          if (is_tight && o.expected_debt_repaid + U256{1'000'000} >= amount) {
            ++capped;
            capped_aave += is_aave ? 1 : 0;
          }
        }
    }
  }
  MESSAGE("simulated: ", aave, " Aave, ", morpho_count, " Morpho orders; ", capped, " capped by a tight inventory (",
          capped_aave, " Aave)");
  CHECK(aave > 0);
  CHECK(morpho_count > 0);
  CHECK(capped > capped_aave);
  CHECK(capped_aave > 0);
}
