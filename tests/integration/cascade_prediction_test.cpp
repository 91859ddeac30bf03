// Integration: the cascade engine's prediction against the devnet playing the same shock (issue 6, "Prediction
// against reality"). The book is loaded at block B with BookLoader (as `sluice scan` does) and the pools'
// reserves are read at B; the engine predicts a WETH step with the scenario's coupling; then scripts/scenario
// plays it with market-coupled feeds and its competitor, and the journal gives what happened: liquidations
// (LiquidationCall + Liquidate events), WETH the competitor sold, the final WETH/USDC price, Morpho bad debt.
// The WBTC feed is market-coupled too, and the competitor sells the WBTC it seizes: the engine follows every sold
// asset's pool with its own oracle (WBTC-only positions cross when WBTC sales move its feed).
//
// The step path is one block long and its feeds post the pool price read after the previous block, so the shock
// reaches the oracle only in the block after it: `step:WETH:<p>` is followed by `crash:WETH:0:40` (the price held
// for 40 blocks) for the cascade to play out. The scenario's feeds are Chainlink-style (0.5% deviation, 3600 s
// heartbeat = 300 blocks of 12 s): coupling deviation:0.5:300 with one block of latency (the model's default).
#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/sync_client.hpp"
#include "config/load_config.hpp"
#include "keeper/book/book_loader.hpp"
#include "keeper/cli/book_at_block.hpp"
#include "strategy/risk/cascade.hpp"
#include "strategy/risk/numeric.hpp"
#include "tests/support/devnet.hpp"
#include "tests/support/json_rpc.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace sluice;
using namespace sluice::test;

namespace {

std::string hex_block(std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(n));
  return buf;
}

/// eth_call of a no-argument view at `block`; the raw hex result.
std::string view(RpcClient& rpc, const std::string& to, const char* selector, std::uint64_t block) {
  return rpc.call("eth_call", R"([{"to":")" + to + R"(","data":")" + selector + R"("},")" + hex_block(block) + R"("])");
}

U256 word(const std::string& hex, std::size_t i) { return U256::from_hex("0x" + hex.substr(2 + 64 * i, 64)).value(); }
Address word_address(const std::string& hex) { return parse_address("0x" + hex.substr(2 + 24, 40)).value(); }

/// A Uniswap v2 pair read at `block` (getReserves 0x0902f1ac, token0 0x0dfe1681, token1 0xd21220a7).
risk::Pool read_pool(RpcClient& rpc, const book::PositionBook& book, const std::string& pair, std::uint64_t block) {
  risk::Pool p;
  p.address = parse_address(pair).value();
  const auto reserves = view(rpc, pair, "0x0902f1ac", block);
  p.reserve0 = word(reserves, 0);
  p.reserve1 = word(reserves, 1);
  p.token0 = word_address(view(rpc, pair, "0x0dfe1681", block));
  p.token1 = word_address(view(rpc, pair, "0xd21220a7", block));
  p.decimals0 = book.asset(book.find_asset(p.token0).value()).decimals;
  p.decimals1 = book.asset(book.find_asset(p.token1).value()).decimals;
  return p;
}

struct Realized {
  std::size_t liquidations = 0;
  std::size_t morpho = 0;
  std::size_t weth_collateral = 0;  ///< liquidations seizing WETH
  std::set<std::string> users;
  double weth_sold = 0.0;
  double final_pool_price = 0.0;
  double morpho_bad_debt_usd = 0.0;
};

/// Sums a scenario journal (one JSON object per block).
void add_journal(Realized& r, const std::string& path, const std::map<std::string, unsigned>& decimals) {
  std::ifstream in(path);
  REQUIRE(in.good());
  simdjson::dom::parser parser;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto doc = parser.parse(line);
    REQUIRE(!doc.error());
    simdjson::dom::element e = doc.value();
    for (auto l : e["liquidations"].get_array()) {
      ++r.liquidations;
      r.users.insert(std::string(l["user"].get_string().value()));
      std::string_view coll;
      if (!l["collateral"].get(coll) && coll == "WETH") ++r.weth_collateral;
      std::string_view bad;
      if (!l["bad_debt"].get(bad)) {
        std::string_view debt = l["debt"].get_string().value();
        ++r.morpho;
        r.morpho_bad_debt_usd += risk::to_units(U256::from_dec(bad).value(), decimals.at(std::string(debt)));
      }
    }
    simdjson::dom::element sold;
    if (!e["competitor"]["sold"].get(sold)) {
      std::string_view weth;
      if (!sold["WETH"].get(weth)) r.weth_sold += risk::to_units(U256::from_dec(weth).value(), 18);
    }
    r.final_pool_price = e["pool"]["WETH/USDC"].get_double().value();
  }
}

double rel(double predicted, double realized) {
  return realized == 0.0 ? std::abs(predicted) : std::abs(predicted - realized) / std::abs(realized);
}

}  // namespace

TEST_CASE("cascade prediction: a WETH step on the devnet, predicted vs played") {
  Devnet devnet{120};
  RpcClient rpc{devnet.at("/rpc_http")};
  const std::uint64_t block = std::stoull(rpc.call("eth_blockNumber", "[]"), nullptr, 16);

  auto cfg = config::load_keeper_config(devnet.dir() + "/sluice.toml");
  REQUIRE(cfg.has_value());
  rpc::SyncClient sync(std::make_shared<rpc::HttpTransport>(cfg->chain.rpc_http.front()));
  keeper::BookLoader loader(sync.client(), cli::book_source_from_config(*cfg, std::nullopt));
  book::PositionBook book;
  auto stats = sync.run([&](rpc::Client&) { return loader.load(book, block); });
  REQUIRE(stats.has_value());

  const auto weth = book.find_asset(parse_address(devnet.at("/tokens/WETH")).value()).value();
  const auto usdc = book.find_asset(parse_address(devnet.at("/tokens/USDC")).value()).value();
  const auto wbtc = book.find_asset(parse_address(devnet.at("/tokens/WBTC")).value()).value();
  risk::MarketModel model;
  // The competitor sells WETH and WBTC into the first pool where each is the base, for USDC; the WETH feed reads
  // the WETH/USDC pool.
  model.pools = {read_pool(rpc, book, devnet.at("/uniswap_v2/pairs/WETH~1USDC"), block),
                 read_pool(rpc, book, devnet.at("/uniswap_v2/pairs/WBTC~1USDC"), block)};
  model.sell_for = {{weth, usdc}, {wbtc, usdc}};
  model.sell_only_listed = true;
  model.coupling = risk::parse_coupling("deviation:0.5:300").value();
  model.oracle_latency_blocks = 1;

  constexpr double kShock = -0.15;
  risk::Shock shock;
  shock.asset = weth;
  shock.fraction = kShock;
  auto predicted = risk::simulate_cascade(book, model, shock);
  REQUIRE(predicted.has_value());
  double p_weth_sold = 0.0, p_morpho_bad_debt = 0.0;
  std::size_t p_morpho = 0, p_weth_collateral = 0;
  for (const auto& round : predicted->rounds) {
    p_weth_sold += risk::to_units(round.collateral_sold, 18);
    for (const auto& l : round.liquidations) {
      p_weth_collateral += l.collateral == weth ? 1 : 0;
      if (l.key.protocol == Protocol::morpho_blue && ++p_morpho)
        p_morpho_bad_debt += risk::to_units(l.bad_debt, book.asset(l.debt).decimals) *
                             risk::to_double(book.asset(l.debt).usd_price) / 1e8;
    }
  }

  const ProcessResult step = devnet.scenario({"step:WETH:-15", "--market-coupled", "--competitor", "0", "--out",
                                              devnet.dir() + "/step.jsonl"});
  REQUIRE_MESSAGE(step.exit_code == 0, step.err);
  const ProcessResult hold = devnet.scenario({"crash:WETH:0:40", "--market-coupled", "--competitor", "0", "--out",
                                              devnet.dir() + "/hold.jsonl"});
  REQUIRE_MESSAGE(hold.exit_code == 0, hold.err);
  std::map<std::string, unsigned> decimals;
  for (book::AssetId a = 0; a < book.asset_count(); ++a) decimals[book.asset(a).symbol] = book.asset(a).decimals;
  Realized real;
  add_journal(real, devnet.dir() + "/step.jsonl", decimals);
  add_journal(real, devnet.dir() + "/hold.jsonl", decimals);

  std::ostringstream report;
  report << "liquidations predicted " << predicted->liquidations << " (morpho " << p_morpho << ", positions "
         << predicted->positions_liquidated << ") realized " << real.liquidations << " (morpho " << real.morpho
         << ", accounts " << real.users.size() << ")\nliquidations seizing WETH predicted " << p_weth_collateral
         << " realized " << real.weth_collateral
         << "\nWETH sold predicted " << p_weth_sold << " realized " << real.weth_sold << "\nfinal WETH/USDC price predicted "
         << predicted->final_price << " realized " << real.final_pool_price << "\nMorpho bad debt USD predicted "
         << p_morpho_bad_debt << " realized " << real.morpho_bad_debt_usd << "\nrounds " << predicted->rounds.size()
         << " toxic " << predicted->toxic_liquidations << " Aave bad debt USD (predicted) "
         << predicted->bad_debt_usd - p_morpho_bad_debt;
  MESSAGE(report.str());
  CHECK(real.liquidations > 0);
  CHECK(rel(static_cast<double>(predicted->liquidations), static_cast<double>(real.liquidations)) <= 0.05);
  CHECK(rel(static_cast<double>(p_weth_collateral), static_cast<double>(real.weth_collateral)) <= 0.05);
  CHECK(rel(p_weth_sold, real.weth_sold) <= 0.05);
  CHECK(rel(predicted->final_price, real.final_pool_price) <= 0.05);
  CHECK(rel(p_morpho_bad_debt, real.morpho_bad_debt_usd) <= 0.05);
}
