// Integration: probe_erc20_layout and add_erc20_override (keeper/backtest/erc20_override.hpp) against real
// contracts on anvil. Golden values come from cast, never from the code under test: the slot a real mint /
// deposit / approve wrote is found with `cast index` and read back with `cast storage`, and the probed slot
// overridden through `cast call --override-state-diff` must make balanceOf / allowance return the value.
// Tokens: the devnet's four DevnetTokens (WETH, WBTC, USDC, DAI) and Uniswap's WETH9 build (balanceOf at 3,
// allowance at 4), and a token laid out in Vyper's key order. Then real Aave v3 liquidationCall and Morpho Blue
// liquidate calls after a price drop, simulated by eth_call from an address that holds nothing, revert without the
// override and succeed with it. A contract whose balanceOf returns a constant, an address without code and an
// unreachable node give one-line errors naming the token.

#include "keeper/backtest/erc20_override.hpp"

#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/sync_client.hpp"
#include "strategy/plan/calldata.hpp"
#include "tests/support/anvil.hpp"
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

// An address no devnet or anvil account uses: the keeper of the simulations, holding nothing.
const Address kEmptyKeeper = parse_address("0x00000000000000000000000000000000000beef1").value();
const Address kSpender = parse_address("0x0000000000000000000000000000000000005be1").value();

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string cast(std::vector<std::string> args) {
  args.insert(args.begin(), node_tool("cast"));
  const auto r = run_process(args);
  REQUIRE_MESSAGE(r.exit_code == 0, "cast failed: " << r.err);
  return trim(r.out);
}

/// `cast call` of a `(uint256)` view, as a decimal string (cast prints "123 [1.23e2]" for large values).
std::string cast_uint(std::vector<std::string> args) {
  args.insert(args.begin(), "call");
  std::string out = cast(std::move(args));
  return out.substr(0, out.find(' '));
}

boost::system::result<keeper::Erc20Layout, std::string> probe(rpc::SyncClient& sync, const Address& token) {
  return sync.run([&](rpc::Client& c) { return keeper::probe_erc20_layout(c, token, rpc::BlockTag::latest()); });
}

/// Checks a found layout against what a real transaction wrote: `holder` holds a nonzero balance and approved
/// `spender` for a nonzero allowance. Golden slots from `cast index`, values from `cast storage` / `cast call`.
void check_against_chain(const std::string& url, const keeper::Erc20Layout& layout, const std::string& holder,
                         const std::string& spender) {
  const std::string token = to_checksum(layout.token);
  INFO("token ", token);
  REQUIRE_FALSE(layout.balance_vyper_order);  // Solidity tokens: `cast index` computes Solidity-order slots
  REQUIRE_FALSE(layout.allowance_vyper_order);
  const std::string bslot = cast({"index", "address", holder, std::to_string(layout.balance_index)});
  const std::string aslot =
      cast({"index", "address", spender, cast({"index", "address", holder, std::to_string(layout.allowance_index)})});
  CHECK(keeper::balance_slot(layout, parse_address(holder).value()).hex() == bslot);
  CHECK(keeper::allowance_slot(layout, parse_address(holder).value(), parse_address(spender).value()).hex() == aslot);

  const std::string balance = cast_uint({"--rpc-url", url, token, "balanceOf(address)(uint256)", holder});
  const std::string allowance =
      cast_uint({"--rpc-url", url, token, "allowance(address,address)(uint256)", holder, spender});
  REQUIRE(balance != "0");
  REQUIRE(allowance != "0");
  CHECK(cast({"to-dec", cast({"storage", "--rpc-url", url, token, bslot})}) == balance);
  CHECK(cast({"to-dec", cast({"storage", "--rpc-url", url, token, aslot})}) == allowance);

  // The slots for the empty keeper, overridden through cast itself.
  const Address keeper_spender = parse_address(spender).value();
  const std::string kb = keeper::balance_slot(layout, kEmptyKeeper).hex();
  const std::string ka = keeper::allowance_slot(layout, kEmptyKeeper, keeper_spender).hex();
  const std::string amount = "0x" + std::string(56, '0') + "12345678";
  CHECK(cast_uint({"--rpc-url", url, token, "balanceOf(address)(uint256)", to_checksum(kEmptyKeeper),
                   "--override-state-diff", token + ":" + kb + ":" + amount}) == "305419896");
  CHECK(cast_uint({"--rpc-url", url, token, "allowance(address,address)(uint256)", to_checksum(kEmptyKeeper), spender,
                   "--override-state-diff", token + ":" + ka + ":" + amount}) == "305419896");
}

/// balanceOf / allowance through Sluice's own eth_call with add_erc20_override.
void check_override_reads(rpc::SyncClient& sync, const keeper::Erc20Layout& layout, const Address& spender) {
  const U256 amount = U256::from_dec("123456789000000000000000000").value();
  rpc::StateOverride overrides;
  const std::array<Address, 1> spenders{spender};
  keeper::add_erc20_override(overrides, layout, kEmptyKeeper, amount, spenders);
  const auto read = [&](Bytes data, const rpc::StateOverride& o) {
    rpc::CallRequest request;
    request.to = layout.token;
    request.data = std::move(data);
    auto out = sync.run([&](rpc::Client& c) { return c.call(request, rpc::BlockTag::latest(), o); });
    REQUIRE(out.has_value());
    REQUIRE(out->size() == 32);
    return *U256::from_be(*out);
  };
  CHECK(read(plan::erc20_balance_of(kEmptyKeeper), {}) == U256{0});
  CHECK(read(plan::erc20_balance_of(kEmptyKeeper), overrides) == amount);
  CHECK(read(plan::erc20_allowance(kEmptyKeeper, spender), {}) == U256{0});
  CHECK(read(plan::erc20_allowance(kEmptyKeeper, spender), overrides) == U256::max());
}

std::string hex_word(std::string_view hex, std::size_t i) { return "0x" + std::string(hex.substr(2 + 64 * i, 64)); }

}  // namespace

TEST_CASE("erc20 override: devnet tokens probed, slots agree with cast, Aave liquidation simulated from nothing") {
  Devnet devnet{40, 7};
  const std::string url = devnet.at("/rpc_http");
  RpcClient rpc{url};
  rpc::SyncClient sync(std::make_shared<rpc::HttpTransport>(url));
  const std::string liquidator = devnet.at("/liquidator/address");
  const std::string pool = devnet.at("/aave/pool");

  std::vector<std::pair<std::string, keeper::Erc20Layout>> layouts;
  for (const char* symbol : {"WETH", "WBTC", "USDC", "DAI"}) {
    INFO(std::string(symbol));
    const Address token = parse_address(devnet.at(std::string("/tokens/") + symbol)).value();
    // A real mint (anvil's dev account 0 deployed the DevnetTokens and is a minter) and a real approve write the
    // liquidator's balance and allowance.
    cast({"send", "--private-key", Anvil::dev_private_key(0), "--rpc-url", url, to_checksum(token),
          "mint(address,uint256)", liquidator, "5000"});
    cast({"send", "--private-key", devnet.at("/liquidator/private_key"), "--rpc-url", url, to_checksum(token),
          "approve(address,uint256)", pool, "777000"});
    const auto layout = probe(sync, token);
    REQUIRE_MESSAGE(layout.has_value(), layout.error());
    CHECK(layout->token == token);
    check_against_chain(url, *layout, liquidator, pool);
    check_override_reads(sync, *layout, parse_address(pool).value());
    layouts.emplace_back(symbol, *layout);
  }

  // A price drop makes Aave positions liquidatable (scenario's default chainlink policy updates the feed).
  const auto step = devnet.scenario({"step:WETH:-35"});
  REQUIRE_MESSAGE(step.exit_code == 0, step.err);

  // An Aave borrower with health factor < 1, its collateral (aToken balance) and its debt (variable debt).
  std::string victim, collateral_symbol, debt_symbol;
  for (const auto& borrower : devnet.strings_at("/borrowers")) {
    const auto data = rpc.call("eth_call", R"([{"to":")" + pool + R"(","data":")" +
                                               cast({"calldata", "getUserAccountData(address)", borrower}) +
                                               R"("},"latest"])");
    const U256 health = U256::from_hex(hex_word(data, 5)).value();
    if (health >= U256{1'000'000'000'000'000'000ULL}) continue;
    std::string coll, debt;
    for (const char* s : {"WETH", "WBTC", "USDC", "DAI"}) {
      const std::string base = std::string("/aave/reserves/") + s;
      if (coll.empty() && cast_uint({"--rpc-url", url, devnet.at(base + "/a_token"), "balanceOf(address)(uint256)",
                                     borrower}) != "0")
        coll = s;
      if (debt.empty() && cast_uint({"--rpc-url", url, devnet.at(base + "/variable_debt_token"),
                                     "balanceOf(address)(uint256)", borrower}) != "0")
        debt = s;
    }
    if (!coll.empty() && !debt.empty()) {
      victim = borrower;
      collateral_symbol = coll;
      debt_symbol = debt;
      break;
    }
  }
  REQUIRE_MESSAGE(!victim.empty(), "no liquidatable Aave borrower after the drop");
  MESSAGE("liquidating ", victim, ": ", collateral_symbol, " collateral, ", debt_symbol, " debt");

  const auto layout_of = [&](const std::string& s) {
    for (const auto& [symbol, l] : layouts)
      if (symbol == s) return l;
    FAIL("no layout for " << s);
    return keeper::Erc20Layout{};
  };
  const keeper::Erc20Layout debt_layout = layout_of(debt_symbol);
  rpc::CallRequest request;
  request.from = kEmptyKeeper;
  request.to = parse_address(pool).value();
  request.data = plan::aave_liquidation_call(parse_address(devnet.at("/tokens/" + collateral_symbol)).value(),
                                             debt_layout.token, parse_address(victim).value(), U256::max());
  const auto simulate = [&](const rpc::StateOverride& o) {
    return sync.run([&](rpc::Client& c) { return c.call(request, rpc::BlockTag::latest(), o); });
  };
  const U256 inventory = U256::from_dec("1000000000000000000000000000000").value();  // 1e30 base units
  const std::array<Address, 1> spenders{request.to.value()};

  const auto bare = simulate({});
  REQUIRE_FALSE(bare.has_value());
  MESSAGE("without override: ", bare.error().describe());

  rpc::StateOverride balance_only;
  keeper::add_erc20_override(balance_only, debt_layout, kEmptyKeeper, inventory, {});
  const auto no_allowance = simulate(balance_only);
  CHECK_FALSE(no_allowance.has_value());

  rpc::StateOverride full;
  keeper::add_erc20_override(full, debt_layout, kEmptyKeeper, inventory, spenders);
  const auto with = simulate(full);
  CHECK_MESSAGE(with.has_value(), (with ? std::string() : with.error().describe()));

  // Morpho Blue: every borrower of every market is tried with half its borrow shares repaid; those the override
  // lets liquidate must revert without it (healthy positions revert both ways).
  const std::string morpho = devnet.at("/morpho/morpho");
  int liquidated = 0;
  simdjson::dom::array markets;
  REQUIRE(devnet.manifest().at_pointer("/morpho/markets").get_array().get(markets) == simdjson::SUCCESS);
  for (auto market : markets) {
    const auto field = [&](const char* name) { return std::string(market[name].get_string().value()); };
    morpho::MarketParams params;
    params.loan_token = parse_address(field("loan_token")).value();
    params.collateral_token = parse_address(field("collateral_token")).value();
    params.oracle = parse_address(field("oracle")).value();
    params.irm = parse_address(field("irm")).value();
    params.lltv = U256::from_dec(field("lltv")).value();
    keeper::Erc20Layout loan_layout;
    for (const auto& [symbol, l] : layouts)
      if (l.token == params.loan_token) loan_layout = l;
    REQUIRE(loan_layout.token == params.loan_token);
    for (const auto& borrower : devnet.strings_at("/borrowers")) {
      const std::string data = cast({"calldata", "position(bytes32,address)", field("id"), borrower});
      const auto position = rpc.call("eth_call", R"([{"to":")" + morpho + R"(","data":")" + data + R"("},"latest"])");
      const U256 shares = U256::from_hex(hex_word(position, 1)).value();  // borrowShares
      if (shares == U256{0}) continue;
      rpc::CallRequest liquidate;
      liquidate.from = kEmptyKeeper;
      liquidate.to = parse_address(morpho).value();
      liquidate.data = plan::morpho_liquidate(params, parse_address(borrower).value(), U256{0}, shares / U256{2});
      rpc::StateOverride o;
      const std::array<Address, 1> morpho_spender{liquidate.to.value()};
      keeper::add_erc20_override(o, loan_layout, kEmptyKeeper, inventory, morpho_spender);
      const auto with_override =
          sync.run([&](rpc::Client& c) { return c.call(liquidate, rpc::BlockTag::latest(), o); });
      if (!with_override) continue;
      const auto without =
          sync.run([&](rpc::Client& c) { return c.call(liquidate, rpc::BlockTag::latest(), {}); });
      CHECK_FALSE(without.has_value());
      ++liquidated;
    }
  }
  MESSAGE(liquidated, " Morpho positions liquidatable only with the override");
  CHECK(liquidated > 0);
}

TEST_CASE("erc20 override: WETH9 (Uniswap v2 periphery build) is probed at balanceOf 3, allowance 4") {
  Anvil anvil;
  RpcClient rpc{anvil.http_url()};
  simdjson::dom::parser parser;
  const auto artifact =
      parser.load(Devnet::source() + "/scripts/node_modules/@uniswap/v2-periphery/build/WETH9.json");
  std::string_view bytecode;
  REQUIRE(artifact["bytecode"].get_string().get(bytecode) == simdjson::SUCCESS);
  const std::string holder = Anvil::dev_address(0);
  const std::string tx = rpc.call("eth_sendTransaction", R"([{"from":")" + holder + R"(","data":"0x)" +
                                                             std::string(bytecode) + R"(","gas":"0x1c9c380"}])");
  rpc.wait_for_receipt(tx);
  const std::string weth = rpc.call_field("eth_getTransactionReceipt", "[\"" + tx + "\"]", "contractAddress");

  // A real deposit and approve write the slots cast then reads.
  cast({"send", "--private-key", Anvil::dev_private_key(0), "--rpc-url", anvil.http_url(), weth, "deposit()",
        "--value", "3ether"});
  cast({"send", "--private-key", Anvil::dev_private_key(0), "--rpc-url", anvil.http_url(), weth,
        "approve(address,uint256)", to_checksum(kSpender), "4242"});

  rpc::SyncClient sync(std::make_shared<rpc::HttpTransport>(anvil.http_url()));
  const auto layout = probe(sync, parse_address(weth).value());
  REQUIRE_MESSAGE(layout.has_value(), layout.error());
  // WETH9 declares name, symbol, decimals, balanceOf, allowance: the mappings sit at slots 3 and 4.
  CHECK(layout->balance_index == 3);
  CHECK(layout->allowance_index == 4);
  check_against_chain(anvil.http_url(), *layout, holder, to_checksum(kSpender));
  check_override_reads(sync, *layout, kSpender);
}

TEST_CASE("erc20 override: a balanceOf that is not a mapping, or no contract, is a one-line error naming the token") {
  Anvil anvil;
  RpcClient rpc{anvil.http_url()};
  // Runtime code returning the constant 42 for any call: PUSH1 0x2a PUSH1 0 MSTORE PUSH1 0x20 PUSH1 0 RETURN.
  const std::string constant = "0x00000000000000000000000000000000000C0457";
  rpc.call_raw("anvil_setCode", "[\"" + constant + "\",\"0x602a60005260206000f3\"]");
  REQUIRE(cast({"call", "--rpc-url", anvil.http_url(), constant, "balanceOf(address)(uint256)", constant}) == "42");

  rpc::SyncClient sync(std::make_shared<rpc::HttpTransport>(anvil.http_url()));
  const auto token = parse_address(constant).value();
  const auto constant_layout = probe(sync, token);
  REQUIRE_FALSE(constant_layout.has_value());
  CHECK(constant_layout.error() ==
        "token " + to_checksum(token) + ": balanceOf is not a plain mapping in the first 101 slots");

  const auto nothing = parse_address("0x00000000000000000000000000000000000DEAD0").value();
  const auto empty_layout = probe(sync, nothing);
  REQUIRE_FALSE(empty_layout.has_value());
  CHECK(empty_layout.error() ==
        "token " + to_checksum(nothing) + ": balanceOf probe failed: returned 0 bytes, not a uint256");
  CHECK(empty_layout.error().find('\n') == std::string::npos);

  // An unreachable node: the RPC error text, on one line, naming the token.
  rpc::SyncClient down(std::make_shared<rpc::HttpTransport>("http://127.0.0.1:" + std::to_string(free_port())));
  const auto unreachable = probe(down, token);
  REQUIRE_FALSE(unreachable.has_value());
  CHECK(unreachable.error().rfind("token " + to_checksum(token) + ": probe failed: ", 0) == 0);
  CHECK(unreachable.error().find('\n') == std::string::npos);
  MESSAGE(unreachable.error());
}

TEST_CASE("erc20 override: a token hashing index before key (Vyper's HashMap order) is probed in that order") {
  // Runtime code of this Solidity 0.8.19 contract (solc0819 from scripts/node_modules, optimizer on, 200 runs, no
  // metadata), which stores balances at index 7 and allowances at 8 the way Vyper lays out HashMaps:
  //   function balanceOf(address o) external view returns (uint256 v) {
  //     assembly { mstore(0, 7) mstore(32, o) v := sload(keccak256(0, 64)) } }
  //   function allowance(address o, address s) external view returns (uint256 v) {
  //     assembly { mstore(0, 8) mstore(32, o) mstore(0, keccak256(0, 64)) mstore(32, s)
  //                v := sload(keccak256(0, 64)) } }
  const std::string code =
      "0x6080604052348015600f57600080fd5b506004361060325760003560e01c806370a08231146037578063dd62ed3e146069575b600080fd"
      "5b6057604236600460ac565b60076000908152602091909152604090205490565b60405190815260200160405180910390f35b605760"
      "7436600460cb565b600860009081526020928352604080822082529190925290205490565b80356001600160a01b038116811460a757"
      "600080fd5b919050565b60006020828403121560bd57600080fd5b60c4826091565b9392505050565b6000806040838503121560dd57"
      "600080fd5b60e4836091565b915060f0602084016091565b9050925092905056";
  Anvil anvil;
  RpcClient rpc{anvil.http_url()};
  const std::string token = "0x00000000000000000000000000000000000fe001";
  rpc.call_raw("anvil_setCode", "[\"" + token + "\",\"" + code + "\"]");

  // Golden slots from cast (keccak of index . key, then of that . spender), written with anvil_setStorageAt.
  const std::string holder = Anvil::dev_address(1);
  const std::string spender = to_checksum(kSpender);
  const auto padded = [](const std::string& a) { return cast({"pad", a, "--len", "32"}); };
  const std::string bslot = cast({"keccak", cast({"concat-hex", cast({"to-uint256", "7"}), padded(holder)})});
  const std::string inner = cast({"keccak", cast({"concat-hex", cast({"to-uint256", "8"}), padded(holder)})});
  const std::string aslot = cast({"keccak", cast({"concat-hex", inner, padded(spender)})});
  rpc.call_raw("anvil_setStorageAt", "[\"" + token + "\",\"" + bslot + "\",\"" + cast({"to-uint256", "1111"}) + "\"]");
  rpc.call_raw("anvil_setStorageAt", "[\"" + token + "\",\"" + aslot + "\",\"" + cast({"to-uint256", "2222"}) + "\"]");
  REQUIRE(cast_uint({"--rpc-url", anvil.http_url(), token, "balanceOf(address)(uint256)", holder}) == "1111");
  REQUIRE(cast_uint({"--rpc-url", anvil.http_url(), token, "allowance(address,address)(uint256)", holder, spender}) ==
          "2222");

  rpc::SyncClient sync(std::make_shared<rpc::HttpTransport>(anvil.http_url()));
  const auto layout = probe(sync, parse_address(token).value());
  REQUIRE_MESSAGE(layout.has_value(), layout.error());
  CHECK(layout->balance_index == 7);
  CHECK(layout->balance_vyper_order);
  CHECK(layout->allowance_index == 8);
  CHECK(layout->allowance_vyper_order);
  CHECK(keeper::balance_slot(*layout, parse_address(holder).value()).hex() == bslot);
  CHECK(keeper::allowance_slot(*layout, parse_address(holder).value(), kSpender).hex() == aslot);
  check_override_reads(sync, *layout, kSpender);
}
