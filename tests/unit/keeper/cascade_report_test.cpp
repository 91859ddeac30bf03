// `sluice cascade`'s text and JSON renderers on hand-built engine results (no engine involved): the exact round
// table, totals, cascade curve and JSON document. The figures are made up but consistent: WETH at $3,000 shocked
// by -20% to $2,400; round 1 liquidates two positions (one toxic) repaying $17,000, round 2 sells the 5.5 WETH
// seized for $13,200 and moves the pool from $2,400 to $2,316.50.

#include "keeper/cli/cascade_report.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>

using namespace sluice;
using namespace sluice::cli;

namespace {

risk::CascadeResult two_rounds() {
  risk::CascadeResult r;
  r.shock = -0.2;
  r.initial_price = 3000.0;
  r.shocked_price = 2400.0;
  risk::CascadeRound first;
  first.index = 1;
  first.liquidations.resize(2);
  first.liquidations[0].toxic = true;
  first.debt_repaid_usd = 17000.0;
  first.market_price_before = first.market_price_after = 2400.0;
  first.oracle_price_before = first.oracle_price_after = 2400.0;
  risk::CascadeRound second;
  second.index = 2;
  second.collateral_sold = U256::from_dec("5500000000000000000").value();
  second.collateral_sold_usd = 13200.0;
  second.market_price_before = 2400.0;
  second.market_price_after = 2316.5;
  second.oracle_price_before = 2400.0;
  second.oracle_price_after = 2316.5;
  second.slippage_bps = 25.04;
  second.slippage_usd = 33.06;
  r.rounds = {first, second};
  r.final_price = 2316.5;
  r.final_oracle_price = 2316.5;
  r.liquidations = 2;
  r.positions_liquidated = 2;
  r.liquidated_debt_usd = 17000.0;
  r.collateral_sold_usd = 13200.0;
  r.slippage_usd = 33.06;
  r.liquidator_profit_usd = 640.25;
  r.bad_debt_usd = 0.0;
  r.toxic_liquidations = 1;
  return r;
}

CascadeReport single_report() {
  CascadeReport report;
  report.asset = "WETH";
  report.decimals = 18;
  report.block = 1234;
  report.coupling = "full";
  report.single = two_rounds();
  return report;
}

}  // namespace

TEST_CASE("cascade report: the round table and totals of one shock, exactly") {
  const std::string expected =
      "cascade: WETH -20.00% at block 1234, coupling full: 3000.00 -> 2400.00 USD\n"
      "ROUND  LIQUIDATIONS  DEBT_REPAID_USD  SOLD_WETH  SOLD_USD  MARKET_BEFORE  MARKET_AFTER   ORACLE  SLIPPAGE_BPS\n"
      "    1             2         17000.00     0.0000      0.00        2400.00       2400.00  2400.00           0.0\n"
      "    2             0             0.00     5.5000  13200.00        2400.00       2316.50  2400.00          25.0\n"
      "rounds              2\n"
      "liquidations        2 (2 positions)\n"
      "debt repaid         17000.00 USD\n"
      "collateral sold     13200.00 USD\n"
      "final price         2316.50 USD (oracle 2316.50 USD)\n"
      "slippage cost       33.06 USD\n"
      "liquidator profit   640.25 USD\n"
      "bad debt            0.00 USD\n"
      "toxic liquidations  1\n";
  CHECK(render_cascade_text(single_report()) == expected);

  CascadeReport limited = single_report();
  limited.single->hit_round_limit = true;
  limited.single->reverted_calls = 3;
  const std::string text = render_cascade_text(limited);
  CHECK(text.ends_with("reverted calls      3: liquidations the protocol would refuse, positions left as they were\n"
                       "round limit         reached: the cascade was still running when the model stopped it\n"));
}

TEST_CASE("cascade report: the cascade curve of a grid, exactly") {
  CascadeReport report;
  report.asset = "WETH";
  report.block = 7;
  report.coupling = "lag:2";
  risk::CascadeResult none;
  none.shock = -0.0;  // printed as 0.00%, not -0.00%
  none.shocked_price = none.final_price = 3000.0;
  risk::CascadeResult deep = two_rounds();
  deep.bad_debt_usd = 1234.567;
  report.grid = {none, deep};
  const std::string expected =
      "cascade: WETH 2 shocks from 0.00% to -20.00% at block 7, coupling lag:2\n"
      "  SHOCK    PRICE  LIQUIDATIONS  LIQUIDATED_USD  FINAL_PRICE  SLIPPAGE_USD  BAD_DEBT_USD  ROUNDS\n"
      "  0.00%  3000.00             0            0.00      3000.00          0.00          0.00       0\n"
      "-20.00%  2400.00             2        17000.00      2316.50         33.06       1234.57       2\n";
  CHECK(render_cascade_text(report) == expected);
}

TEST_CASE("cascade report: JSON of one shock") {
  CascadeReport report = single_report();
  report.map.reference_price_usd = 3000.0;
  report.map.floor_price_usd = 2000.0;
  risk::LiquidationBucket bucket;
  bucket.price_low = 2000.0;
  bucket.price_high = 3000.0;
  bucket.debt_usd = {1500.5, 250.0};
  bucket.positions = 4;
  report.map.buckets = {bucket};
  report.map.at_or_above_debt_usd = {10.0, 0.0};
  report.map.at_or_above_positions = 1;
  const std::string json = render_cascade_json(report);
  const std::string expected =
      R"({"asset":"WETH","block":1234,"coupling":"full","betas":{},"mode":"shock","shock":-0.200000,)"
      R"("initial_price":3000.0000,)"
      R"("shocked_price":2400.0000,"rounds":[)"
      "\n  "
      R"({"round":1,"liquidations":2,"toxic_liquidations":1,"debt_repaid_usd":17000.00,"collateral_sold":"0",)"
      R"("collateral_sold_tokens":0.000000,"collateral_sold_usd":0.00,"market_price_before":2400.0000,)"
      R"("market_price_after":2400.0000,"oracle_price_before":2400.0000,"oracle_price_after":2400.0000,)"
      R"("slippage_bps":0.00,"slippage_usd":0.00},)"
      "\n  "
      R"({"round":2,"liquidations":0,"toxic_liquidations":0,"debt_repaid_usd":0.00,)"
      R"("collateral_sold":"5500000000000000000","collateral_sold_tokens":5.500000,"collateral_sold_usd":13200.00,)"
      R"("market_price_before":2400.0000,"market_price_after":2316.5000,"oracle_price_before":2400.0000,)"
      R"("oracle_price_after":2316.5000,"slippage_bps":25.04,"slippage_usd":33.06})"
      "\n ],"
      R"("totals":{"shock":-0.200000,"initial_price":3000.0000,"shocked_price":2400.0000,"rounds":2,)"
      R"("liquidations":2,"positions_liquidated":2,"liquidated_debt_usd":17000.00,"collateral_sold_usd":13200.00,)"
      R"("final_price":2316.5000,"final_oracle_price":2316.5000,"slippage_usd":33.06,"liquidator_profit_usd":640.25,)"
      R"("bad_debt_usd":0.00,"toxic_liquidations":1,"reverted_calls":0,"hit_round_limit":false},)"
      R"("liquidation_map":{"current_price":3000.0000,"floor_price":2000.0000,"buckets":[)"
      "\n  "
      R"({"price_low":2000.0000,"price_high":3000.0000,"positions":4,)"
      R"("debt_usd":{"aave-v3":1500.50,"morpho-blue":250.00}})"
      "\n ],"
      R"("at_or_above_positions":1,"at_or_above_debt_usd":{"aave-v3":10.00,"morpho-blue":0.00}}})"
      "\n";
  CHECK(json == expected);
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element doc;
  REQUIRE(parser.parse(padded).get(doc) == simdjson::SUCCESS);
  CHECK(std::string_view(doc["mode"]) == "shock");
}

TEST_CASE("cascade report: JSON of a grid is valid JSON with one point per shock; NaN prints as null") {
  CascadeReport report;
  report.asset = "WBTC";
  report.decimals = 8;
  risk::CascadeResult a = two_rounds();
  risk::CascadeResult b = two_rounds();
  b.final_price = std::numeric_limits<double>::quiet_NaN();
  report.grid = {a, b};
  const std::string json = render_cascade_json(report);
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element doc;
  REQUIRE(parser.parse(padded).get(doc) == simdjson::SUCCESS);
  CHECK(std::string_view(doc["mode"]) == "grid");
  simdjson::dom::array points;
  REQUIRE(doc["points"].get(points) == simdjson::SUCCESS);
  CHECK(points.size() == 2);
  CHECK(points.at(1)["final_price"].is_null());
  CHECK(double(points.at(0)["liquidated_debt_usd"]) == 17000.0);
  CHECK(json_number(-0.0001, 2) == "0.00");
  CHECK(format_percent(-0.00001) == "0.00%");
}

TEST_CASE("cascade report: the betas in the description and the JSON") {
  CascadeReport report;
  report.asset = "WETH";
  report.block = 7;
  report.betas = {{"WBTC", 0.8}, {"wstETH", 1.0}};
  report.grid = {two_rounds()};
  CHECK(describe_cascade(report) == "WETH 1 shock from -20.00% to -20.00% at block 7, coupling full, betas WBTC=0.8 wstETH=1");
  const std::string json = render_cascade_json(report);
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element doc;
  REQUIRE(parser.parse(padded).get(doc) == simdjson::SUCCESS);
  CHECK(double(doc["betas"]["WBTC"]) == 0.8);
  CHECK(double(doc["betas"]["wstETH"]) == 1.0);
}
