// Integration: the chain side of the position book (keeper/book ChainReader, LogRouter, StateReader and the
// strategy reads/events under them) on a real devnet (scripts/devnet: real Aave v3 and Morpho Blue bytecode).
// Discovery must find exactly the seeded borrowers (plus the seeding lender), and the raw state read must equal what
// `cast call` returns at the same block; after a price step and a supply on a borrower's behalf, the routed logs
// must tick the WETH price to the feed's new answer and touch exactly that borrower, whose re-read matches cast.

#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/sync_client.hpp"
#include "keeper/book/chain_reader.hpp"
#include "keeper/book/log_router.hpp"
#include "tests/support/devnet.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>

using namespace sluice;
using namespace sluice::keeper;
using namespace sluice::test;

namespace {

Address addr(const std::string& s) { return parse_address(s).value(); }

/// Raw return data of `cast call to sig args --block block` as a U256 word `index`.
U256 cast_word(const std::string& rpc, const Address& to, const std::vector<std::string>& sig_and_args,
               std::uint64_t block, std::size_t index = 0) {
  std::vector<std::string> argv{node_tool("cast"), "call", to_checksum(to)};
  argv.insert(argv.end(), sig_and_args.begin(), sig_and_args.end());
  argv.insert(argv.end(), {"--block", std::to_string(block), "-r", rpc});
  const ProcessResult r = run_process(argv);
  if (r.exit_code != 0) throw std::runtime_error("cast call failed: " + r.err);
  std::string hex = r.out.substr(0, r.out.find_first_of("\r\n"));
  return U256::from_hex("0x" + hex.substr(2 + 64 * index, 64)).value();
}

BookSource source_of(const Devnet& d) {
  BookSource s;
  s.aave = AaveSource{addr(d.at("/aave/pool")), addr(d.at("/aave/oracle")), 0};
  s.morpho = MorphoSource{addr(d.at("/morpho/morpho")), {}, 0};  // markets from CreateMarket
  for (const char* sym : {"WETH", "WBTC", "USDC", "DAI"}) {
    const std::string t = std::string("/tokens/") + sym, f = std::string("/feeds/") + sym;
    s.tokens.push_back({sym, addr(d.at(t.c_str())), addr(d.at(f.c_str()))});
  }
  return s;
}

template <class T>
T must(rpc::RpcResult<T> r) {
  if (!r) FAIL(r.error().describe());
  return std::move(*r);
}

/// Checks an Aave account read against cast at `block`: configuration, eMode, and each used reserve's scaled
/// aToken and variable debt balances.
void check_aave_user(const std::string& rpc, const AaveMarketRead& market, const aave::UserState& u,
                     const Address& pool, std::uint64_t block) {
  const std::string who = to_checksum(u.account);
  INFO("aave account ", who);
  CHECK(u.config.bitmap == cast_word(rpc, pool, {"getUserConfiguration(address)", who}, block));
  CHECK(U256{u.emode_category} == cast_word(rpc, pool, {"getUserEMode(address)", who}, block));
  for (const auto& r : u.reserves) {
    const auto& reserve = market.snapshot.reserves.at(r.reserve_id);
    CHECK(r.scaled_a_token == cast_word(rpc, reserve.a_token, {"scaledBalanceOf(address)", who}, block));
    CHECK(r.scaled_variable_debt ==
          cast_word(rpc, reserve.variable_debt_token, {"scaledBalanceOf(address)", who}, block));
    CHECK(r.stable_debt.principal ==
          cast_word(rpc, reserve.stable_debt_token, {"principalBalanceOf(address)", who}, block));
  }
}

}  // namespace

TEST_CASE("book loader: discovery, raw reads equal to cast, and live logs on a 60-borrower devnet") {
  Devnet devnet(60);
  const std::string rpc_url = devnet.at("/rpc_http");
  rpc::SyncClient sync(std::make_shared<rpc::HttpTransport>(rpc_url));
  const BookSource source = source_of(devnet);
  LoaderOptions options;
  options.calls_per_batch = 37;  // several batches, and a last one that is not full
  std::vector<std::string> stages;
  options.progress = [&](std::string_view stage, std::uint64_t, std::uint64_t) { stages.emplace_back(stage); };
  ChainReader reader(sync.client(), source, options);
  const Address pool = source.aave->pool, morpho = source.morpho->morpho;
  const std::uint64_t block = must(sync.block_number());

  // The seeded world, from the devnet's own record.
  std::set<Address> aave_borrowers;
  std::set<MorphoPositionKey> morpho_borrowers;
  std::vector<morpho::MarketId> manifest_markets;
  for (auto m : devnet.manifest()["morpho"]["markets"].get_array())
    manifest_markets.push_back(Hash::from_hex(std::string(m["id"].get_string().value())).value());
  {
    simdjson::dom::parser parser;
    for (auto b : parser.load(devnet.dir() + "/borrowers.json").get_array()) {
      const Address a = addr(std::string(b["address"].get_string().value()));
      if (b["protocol"].get_string().value() == "aave") aave_borrowers.insert(a);
      else morpho_borrowers.insert({manifest_markets.at(b["market"].get_uint64().value()), a});
    }
  }
  REQUIRE(aave_borrowers.size() + morpho_borrowers.size() == 60);

  AaveMarketRead market = must(sync.run([&](rpc::Client&) { return reader.read_aave_market(block); }));
  REQUIRE(market.snapshot.reserves.size() == 4);
  const Discovery discovery = must(sync.run([&](rpc::Client&) { return reader.discover(block, &market); }));

  // Aave: every borrower, plus exactly one lender (the devnet's seeding contract, a supplier of every reserve).
  std::vector<Address> aave_extra;
  for (const auto& a : discovery.aave_accounts)
    if (!aave_borrowers.contains(a)) aave_extra.push_back(a);
  CHECK(discovery.aave_accounts.size() == aave_borrowers.size() + aave_extra.size());
  for (const auto& a : aave_borrowers)
    CHECK(std::binary_search(discovery.aave_accounts.begin(), discovery.aave_accounts.end(), a));
  REQUIRE(aave_extra.size() == 1);
  const Address lender = aave_extra[0];
  // Morpho: the markets of CreateMarket are the manifest's, and the positions are the borrowers plus the lender's
  // supply in each market.
  CHECK(std::set(discovery.morpho_markets.begin(), discovery.morpho_markets.end()) ==
        std::set(manifest_markets.begin(), manifest_markets.end()));
  std::set<MorphoPositionKey> expected_positions = morpho_borrowers;
  for (const auto& id : manifest_markets) expected_positions.insert({id, lender});
  CHECK(std::set(discovery.morpho_positions.begin(), discovery.morpho_positions.end()) == expected_positions);
  CHECK(std::find(stages.begin(), stages.end(), "aave logs") != stages.end());

  // Everything at `block`, compared with cast for a sample of accounts and every market.
  const ChainState state = must(sync.run([&](rpc::Client&) { return reader.read_all(discovery, block); }));
  REQUIRE(state.aave);
  CHECK(state.aave_users.size() == discovery.aave_accounts.size());
  for (std::size_t id = 0; id < state.aave->snapshot.reserves.size(); ++id) {
    const auto& r = state.aave->snapshot.reserves[id];
    INFO("reserve ", id);
    CHECK(r.id == id);
    CHECK(r.configuration_bitmap ==
          cast_word(rpc_url, pool, {"getReserveData(address)", to_checksum(r.asset)}, block, 0));
    CHECK(r.variable_borrow_index ==
          cast_word(rpc_url, pool, {"getReserveData(address)", to_checksum(r.asset)}, block, 3));
    CHECK(state.aave->snapshot.prices[id] ==
          cast_word(rpc_url, source.aave->oracle, {"getAssetPrice(address)", to_checksum(r.asset)}, block));
    CHECK(!r.symbol.empty());
  }
  for (std::size_t k = 0; k < state.aave_users.size(); k += 7)
    check_aave_user(rpc_url, *state.aave, state.aave_users[k], pool, block);
  bool saw_emode = false;
  for (const auto& u : state.aave_users) saw_emode = saw_emode || u.emode_category != 0;
  CHECK(saw_emode == (state.aave->snapshot.emode(1) != nullptr));
  for (const auto& m : state.morpho_markets) {
    const std::string id = m.id.hex();
    INFO("morpho market ", id);
    CHECK(m.state.total_borrow_shares == cast_word(rpc_url, morpho, {"market(bytes32)", id}, block, 3));
    CHECK(m.oracle_price == cast_word(rpc_url, m.params.oracle, {"price()"}, block));
    CHECK(m.params.lltv == cast_word(rpc_url, morpho, {"idToMarketParams(bytes32)", id}, block, 4));
    CHECK(m.borrow_rate > U256{});
  }
  for (std::size_t k = 0; k < state.morpho_positions.size(); k += 3) {
    const auto& [key, pos] = state.morpho_positions[k];
    const std::vector<std::string> args{"position(bytes32,address)", key.market.hex(), to_checksum(key.account)};
    CHECK(pos.borrow_shares == cast_word(rpc_url, morpho, args, block, 1));
    CHECK(pos.collateral == cast_word(rpc_url, morpho, args, block, 2));
  }
  CHECK(state.assets.size() == 4);

  // Live: a 10% WETH step, then a supply on behalf of one Aave borrower.
  LogRouter router(source);
  router.set_aave_market(*state.aave);
  router.set_morpho_markets(discovery.morpho_markets);
  const ProcessResult step = devnet.scenario({"step:WETH:-10", "--oracle", "every-block"});
  INFO(step.out, step.err);
  REQUIRE(step.exit_code == 0);
  const Address borrower = *aave_borrowers.begin();
  const std::string dev0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
  const std::string dev0_key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  const std::string weth = devnet.at("/tokens/WETH");
  for (const std::vector<std::string>& tx :
       {std::vector<std::string>{weth, "mint(address,uint256)", dev0, "1000000000000000000"},
        {weth, "approve(address,uint256)", to_checksum(pool), "1000000000000000000"},
        {to_checksum(pool), "supply(address,uint256,address,uint16)", weth, "1000000000000000000",
         to_checksum(borrower), "0"}}) {
    std::vector<std::string> argv{node_tool("cast"), "send", "--private-key", dev0_key, "-r", rpc_url};
    argv.insert(argv.end(), tx.begin(), tx.end());
    const ProcessResult sent = run_process(argv);
    INFO(sent.err);
    REQUIRE(sent.exit_code == 0);
  }
  const std::uint64_t after = must(sync.block_number());
  rpc::LogFilter filter = router.filter();
  filter.from_block = rpc::BlockTag(block + 1);
  filter.to_block = rpc::BlockTag(after);
  const std::vector<rpc::Log> logs = must(sync.get_logs(filter));
  const RoutedLogs routed = router.route(logs);
  CHECK(routed.errors.empty());
  const Address weth_feed = addr(devnet.at("/feeds/WETH"));
  const U256 new_answer = cast_word(rpc_url, weth_feed, {"latestRoundData()"}, after, 1);
  std::uint16_t weth_id = 0;
  for (const auto& r : state.aave->snapshot.reserves)
    if (r.asset == addr(weth)) weth_id = r.id;
  REQUIRE(!routed.aave_prices.empty());
  CHECK(routed.aave_prices.back().reserve_id == weth_id);
  CHECK(routed.aave_prices.back().price == new_answer);
  REQUIRE(!routed.usd_prices.empty());
  CHECK(routed.usd_prices.back().price == new_answer);
  const Touched touched = router.take_touched();
  CHECK(touched.aave_market);     // ReserveDataUpdated of the supply
  CHECK(touched.morpho_prices);   // a feed moved
  CHECK(touched.aave_accounts.contains(borrower));
  // Only the borrower and whoever the scenario's own flow touched (its swaps touch no lending account).
  CHECK(touched.aave_accounts.size() == 1);
  CHECK(router.touched().empty());

  // Re-read the touched account at the new block: more collateral than before, equal to cast.
  AaveMarketRead market_after = must(sync.run([&](rpc::Client&) { return reader.read_aave_market(after); }));
  const std::vector<Address> accounts(touched.aave_accounts.begin(), touched.aave_accounts.end());
  const auto users = must(sync.run([&](rpc::Client&) { return reader.read_aave_users(market_after, accounts, after); }));
  REQUIRE(users.size() == 1);
  check_aave_user(rpc_url, market_after, users[0], pool, after);
  const auto* weth_after = users[0].reserve(weth_id);
  REQUIRE(weth_after != nullptr);
  CHECK(weth_after->scaled_a_token > U256{});

  // A removed copy of the same logs touches the same accounts again (a reorg is re-read, never patched).
  std::vector<rpc::Log> removed = logs;
  for (auto& l : removed) l.removed = true;
  const RoutedLogs undo = router.route(removed);
  CHECK(undo.aave_prices.empty());
  CHECK(router.touched().aave_accounts == touched.aave_accounts);
  CHECK(router.touched().usd_prices);
}
