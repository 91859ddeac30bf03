// `sluice scan`'s renderer on hand-built position views: exact WAD decimals, table layout, JSON text, filters and
// sorting. The Aave position is issue 5's hand-computed case (10 WETH at $2,000, LT 83%, debt 17,000 USDC, bonus 5%,
// protocol fee 10%): HF = 20,000 * 0.83 / 17,000 = 0.976470588235294117... (WAD, truncated as WadRayMath's wadDiv
// of these round figures is exact to 18 decimals here), liquidation price of WETH = 17,000 / (10 * 0.83) =
// 2048.1927710843..., close factor 50%: 8,500 USDC repaid, 4.4625 WETH seized of which 0.02125 is the protocol fee,
// so 4.44125 WETH to the liquidator: gross profit 4.44125 * 2,000 - 8,500 = 382.50 USD.

#include "keeper/cli/scan_report.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::cli;

namespace {

U256 dec(const char* s) { return U256::from_dec(s).value(); }
Address addr(const char* s) { return parse_address(s).value(); }

// anvil's dev accounts 0, 1 and 2 (EIP-55 as anvil prints them).
const char* kAlice = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const char* kBob = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const char* kCarol = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
// A devnet Morpho market id (WETH/USDC, from a `scripts/devnet up` manifest).
const char* kMarket = "0xceedfe348d852a2f253851d53f9c9a498449993928c98a33f8b29f5e5ab396c3";

std::vector<book::Asset> assets() {
  return {{addr("0x5FbDB2315678afecb367f032d93F642f64180aa3"), "WETH", 18, dec("200000000000")},
          {addr("0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9"), "USDC", 6, dec("100000000")},
          {addr("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"), "WBTC", 8, dec("6000000000000")}};
}

book::PositionView aave_underwater() {
  book::PositionView v;
  v.key = {Protocol::aave_v3, addr(kAlice), {}};
  v.health_factor = dec("976470588235294117");
  v.liquidatable = true;
  v.collateral_usd = 20000.0;
  v.debt_usd = 17000.0;
  v.collateral = {{0, dec("10000000000000000000"), 20000.0}};
  v.debt = {{1, dec("17000000000"), 17000.0}};
  v.liquidation_prices = {{0, 17000.0 / 8.3, 17000.0 / 8.3 / 2000.0 - 1.0}};
  v.best_liquidation = book::BestLiquidation{0, 1, dec("8500000000"), dec("4441250000000000000"), 382.5};
  return v;
}

// 1 WBTC ($60,000) against 30,000 USDC in a market at LLTV 86%: max borrow 51,600, HF 1.72 exactly.
book::PositionView morpho_healthy() {
  book::PositionView v;
  v.key = {Protocol::morpho_blue, addr(kBob), Hash::from_hex(kMarket).value()};
  v.health_factor = dec("1720000000000000000");
  v.liquidatable = false;
  v.collateral_usd = 60000.0;
  v.debt_usd = 30000.0;
  v.collateral = {{2, dec("100000000"), 60000.0}};
  v.debt = {{1, dec("30000000000"), 30000.0}};
  v.liquidation_prices = {{2, 30000.0 / 0.86, 30000.0 / 0.86 / 60000.0 - 1.0}};
  return v;
}

book::PositionView debt_free_position() {
  book::PositionView v;
  v.key = {Protocol::aave_v3, addr(kCarol), {}};
  v.health_factor = U256::max();
  v.collateral_usd = 3000.0;
  v.collateral = {{0, dec("1000000000000000000"), 3000.0}};
  return v;
}

}  // namespace

TEST_CASE("scan report: WAD to decimal keeps all 18 decimals") {
  CHECK(wad_to_decimal(dec("976470588235294117")) == "0.976470588235294117");
  CHECK(wad_to_decimal(dec("1720000000000000000")) == "1.720000000000000000");
  CHECK(wad_to_decimal(U256{}) == "0.000000000000000000");
  CHECK(wad_to_decimal(U256{1}) == "0.000000000000000001");
  CHECK(wad_to_decimal(dec("123456789000000000000000")) == "123456.789000000000000000");
}

TEST_CASE("scan report: table layout, sorted by health factor, with a summary line") {
  const auto a = assets();
  const std::string out =
      render_scan({morpho_healthy(), debt_free_position(), aave_underwater()}, a, ScanReportOptions{});
  const std::string expected =
      "PROTOCOL    MARKET     ACCOUNT                                    COLLATERAL_USD       DEBT_USD         HF "
      "MAIN        LIQ_PRICE  DISTANCE LIQ GROSS_PROFIT_USD\n"
      "aave-v3     -          0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266       20000.00       17000.00   0.976470 "
      "WETH        2048.1928    +2.41% yes           382.50\n"
      "morpho-blue 0xceedfe34 0x70997970C51812dc3A010C7d01b50e0d17dc79C8       60000.00       30000.00   1.720000 "
      "WBTC        34883.721   -41.86% no                 -\n"
      "aave-v3     -          0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC        3000.00           0.00        inf "
      "-" + std::string(19, ' ') + "-         - no                 -\n"
      "3 positions, 1 liquidatable\n";
  CHECK(out == expected);
}

TEST_CASE("scan report: JSON text") {
  const auto a = assets();
  ScanReportOptions options;
  options.json = true;
  const std::string out = render_scan({morpho_healthy(), aave_underwater(), debt_free_position()}, a, options);
  const std::string expected =
      "[\n"
      R"({"protocol":"aave-v3","account":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","market":null,)"
      R"("health_factor":"0.976470588235294117","health_factor_wad":"976470588235294117",)"
      R"("collateral_usd":20000.00,"debt_usd":17000.00,"liquidatable":true,"bad_debt":false,)"
      R"("liquidation_prices":{"WETH":2048.1928},"liquidation_distances":{"WETH":0.024096},)"
      R"("liquidation_sides":{"WETH":"below"},)"
      R"("best_liquidation":{"collateral":"WETH","debt":"USDC","debt_repaid":"8500000000",)"
      R"("collateral_seized":"4441250000000000000","gross_profit_usd":382.50}},)"
      "\n"
      R"({"protocol":"morpho-blue","account":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8",)"
      R"("market":"0xceedfe348d852a2f253851d53f9c9a498449993928c98a33f8b29f5e5ab396c3",)"
      R"("health_factor":"1.720000000000000000","health_factor_wad":"1720000000000000000",)"
      R"("collateral_usd":60000.00,"debt_usd":30000.00,"liquidatable":false,"bad_debt":false,)"
      R"("liquidation_prices":{"WBTC":34883.721},"liquidation_distances":{"WBTC":-0.418605},)"
      R"("liquidation_sides":{"WBTC":"below"}},)"
      "\n"
      R"({"protocol":"aave-v3","account":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC","market":null,)"
      R"("health_factor":null,"health_factor_wad":null,"collateral_usd":3000.00,"debt_usd":0.00,)"
      R"("liquidatable":false,"bad_debt":false,"liquidation_prices":{},"liquidation_distances":{},)"
      R"("liquidation_sides":{}})"
      "\n]\n";
  CHECK(out == expected);
  options.min_health_factor = 5;
  CHECK(render_scan({morpho_healthy(), aave_underwater()}, a, options) == "[]\n");
}

TEST_CASE("scan report: --min-hf and --max-hf filters are inclusive; debt-free counts as infinite") {
  const auto views = std::vector<book::PositionView>{debt_free_position(), morpho_healthy(), aave_underwater()};
  ScanReportOptions options;
  options.max_health_factor = 1.0;
  auto kept = select_positions(views, options);
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].key.account == addr(kAlice));

  options = {};
  options.min_health_factor = 1.0;
  options.max_health_factor = 1.72;
  kept = select_positions(views, options);
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].key.account == addr(kBob));

  options = {};
  options.min_health_factor = 1.0;
  kept = select_positions(views, options);
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].key.account == addr(kBob));
  CHECK(kept[1].key.account == addr(kCarol));

  options = {};
  options.min_health_factor = 2.0;
  options.max_health_factor = 3.0;
  CHECK(render_scan(views, assets(), options).ends_with("\n0 positions, 0 liquidatable\n"));
}

TEST_CASE("scan report: equal health factors sort by protocol, then market, then account") {
  auto first = morpho_healthy();
  auto second = morpho_healthy();
  second.key.account = addr(kAlice);  // 0xf39F... > 0x7099...
  auto aave = morpho_healthy();
  aave.key = {Protocol::aave_v3, addr(kCarol), {}};
  const auto kept = select_positions({second, first, aave}, {});
  REQUIRE(kept.size() == 3);
  CHECK(kept[0].key.protocol == Protocol::aave_v3);
  CHECK(kept[1].key.account == addr(kBob));
  CHECK(kept[2].key.account == addr(kAlice));
}

TEST_CASE("scan report: debt with no collateral left is shown as bad debt, not as a liquidation to take") {
  const auto a = assets();
  book::PositionView v;
  v.key = {Protocol::aave_v3, addr(kAlice), {}};
  v.health_factor = U256{};  // Aave: zero collateral gives HF 0
  v.liquidatable = true;
  v.bad_debt = true;
  v.debt_usd = 1500.0;
  v.debt = {{1, dec("1500000000"), 1500.0}};
  const std::string table = render_scan({v, aave_underwater()}, a, ScanReportOptions{});
  CHECK(table.find("   0.000000 -                   -         - bad                -\n") != std::string::npos);
  CHECK(table.find("2 positions, 1 liquidatable, 1 with bad debt (no collateral left to seize)\n") != std::string::npos);
  ScanReportOptions json;
  json.json = true;
  CHECK(render_scan({v}, a, json).find(R"("liquidatable":true,"bad_debt":true,)") != std::string::npos);
}

TEST_CASE("scan report: a price that only a rise reaches is on the side \"above\"") {
  // 1 WETH (LT 83%) and 10,000 USDC (LT 78%) against 3 WETH of debt: WETH is net debt, p* = 7,800 / 2.17.
  auto v = aave_underwater();
  v.liquidatable = false;
  v.health_factor = dec("1300000000000000000");
  v.liquidation_prices = {{0, 7800.0 / 2.17, 7800.0 / 2.17 / 2000.0 - 1.0, false}};
  ScanReportOptions options;
  options.json = true;
  const std::string out = render_scan({v}, assets(), options);
  CHECK(out.find(R"("liquidation_distances":{"WETH":0.797235},"liquidation_sides":{"WETH":"above"})") !=
        std::string::npos);
}
