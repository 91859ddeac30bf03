// Integration: the position book kept current from live logs equals a book loaded fresh at the same block.
// A book is loaded at block B0 of a devnet (real Aave v3 and Morpho Blue); a market-coupled WETH crash with the
// scenario's rival liquidator then moves prices, liquidates, swaps and accrues interest; the logs of B0+1..B1
// (the loader's own live filter) are applied and the touched accounts refreshed at B1. Every position's exact
// health factor, liquidatability and balances must then equal those of a second book discovered from scratch at
// B1, and the Aave ones must equal Pool.getUserAccountData at B1.

#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/sync_client.hpp"
#include "config/load_config.hpp"
#include "keeper/book/book_loader.hpp"
#include "keeper/cli/book_at_block.hpp"
#include "strategy/book/position_book.hpp"
#include "tests/support/devnet.hpp"
#include "tests/support/json_rpc.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>

using namespace sluice;
using namespace sluice::test;

namespace {

std::string key_text(const book::PositionKey& k) {
  return std::string(protocol_name(k.protocol)) + ":" + k.market.hex() + ":" + k.account.hex();
}

std::map<std::string, book::PositionView> by_key(const std::vector<book::PositionView>& views) {
  std::map<std::string, book::PositionView> out;
  for (const auto& v : views) out.emplace(key_text(v.key), v);
  return out;
}

void require_ok(const rpc::RpcResult<keeper::LoadStats>& r, const char* what) {
  REQUIRE_MESSAGE(r.has_value(), what, ": ", r ? std::string() : r.error().describe());
}

}  // namespace

TEST_CASE("book live: logs applied and accounts refreshed equal a fresh load after a coupled crash") {
  Devnet devnet(120, 13);
  const auto cfg = config::load_keeper_config(devnet.dir() + "/sluice.toml");
  REQUIRE(cfg.has_value());
  const keeper::BookSource source = cli::book_source_from_config(*cfg, std::nullopt);
  rpc::SyncClient sync(std::make_shared<rpc::HttpTransport>(devnet.at("/rpc_http")));

  const std::uint64_t b0 = sync.block_number().value();
  keeper::BookLoader live_loader(sync.client(), source);
  book::PositionBook live;
  require_ok(sync.run([&](rpc::Client&) { return live_loader.load(live, b0); }), "load at B0");
  const std::size_t positions_at_b0 = live.size();
  REQUIRE(positions_at_b0 > 60);

  const ProcessResult played = devnet.scenario({"crash:WETH:-30:12", "--competitor", "1", "--market-coupled"});
  REQUIRE_MESSAGE(played.exit_code == 0, played.err);
  const std::uint64_t b1 = sync.block_number().value();
  REQUIRE(b1 > b0);

  rpc::LogFilter filter = live_loader.live_filter();
  filter.from_block = rpc::BlockTag(b0 + 1);
  filter.to_block = rpc::BlockTag(b1);
  const auto logs = sync.get_logs(filter);
  REQUIRE(logs.has_value());
  REQUIRE(logs->size() > 0);
  live_loader.apply_logs(live, *logs);
  require_ok(sync.run([&](rpc::Client&) { return live_loader.refresh(live, b1); }), "refresh at B1");

  keeper::BookLoader fresh_loader(sync.client(), source);
  book::PositionBook fresh;
  require_ok(sync.run([&](rpc::Client&) { return fresh_loader.load(fresh, b1); }), "fresh load at B1");

  book::ViewFilter all;
  all.include_debt_free = true;
  const auto live_views = by_key(live.view(all));
  const auto fresh_views = by_key(fresh.view(all));
  CHECK(live_views.size() == fresh_views.size());
  std::size_t liquidatable = 0;
  RpcClient rpc(devnet.at("/rpc_http"));
  char block_hex[32];
  std::snprintf(block_hex, sizeof block_hex, "0x%llx", static_cast<unsigned long long>(b1));
  for (const auto& [key, f] : fresh_views) {
    INFO(key);
    const auto it = live_views.find(key);
    REQUIRE(it != live_views.end());
    const book::PositionView& l = it->second;
    CHECK(l.health_factor == f.health_factor);
    CHECK(l.liquidatable == f.liquidatable);
    REQUIRE(l.collateral.size() == f.collateral.size());
    for (std::size_t i = 0; i < f.collateral.size(); ++i) CHECK(l.collateral[i].amount == f.collateral[i].amount);
    REQUIRE(l.debt.size() == f.debt.size());
    for (std::size_t i = 0; i < f.debt.size(); ++i) CHECK(l.debt[i].amount == f.debt[i].amount);
    liquidatable += f.liquidatable ? 1 : 0;
    if (f.key.protocol == Protocol::aave_v3 && !f.debt.empty()) {
      // getUserAccountData(address) word 5: healthFactor.
      const std::string data = rpc.call(
          "eth_call", R"([{"to":")" + devnet.at("/aave/pool") + R"(","data":"0xbf92857c000000000000000000000000)" +
                          f.key.account.hex().substr(2) + R"("},")" + block_hex + R"("])");
      CHECK(U256::from_hex("0x" + data.substr(2 + 64 * 5, 64)).value() == f.health_factor);
    }
  }
  MESSAGE(logs->size(), " logs applied; ", fresh_views.size(), " positions, ", liquidatable,
          " liquidatable at B1 after the rival's liquidations");
}
