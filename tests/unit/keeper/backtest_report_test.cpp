// `sluice backtest`'s writers on a hand-built report (tests/support/backtest_fixture.hpp): the terminal summary
// and the CSV against lines written by hand from that report, the JSON parsed back with simdjson, determinism,
// and the HTML's structure (its four chart sections, the table, escaping, row cap, bar grouping, thinning).

#include "keeper/cli/backtest_html.hpp"
#include "keeper/cli/backtest_report.hpp"
#include "keeper/cli/svg_chart.hpp"
#include "tests/support/backtest_fixture.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::cli;
using sluice::test::sample_backtest_report;

namespace {

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// 0x + 36 zeros + the 4 digits: the fixture's digit-only addresses (EIP-55 leaves them as they are).
std::string addr(const char* digits) { return "0x" + std::string(36, '0') + digits; }
std::string hash(char digit) { return "0x" + std::string(64, digit); }

/// The text of the section with this id.
std::string section(const std::string& html, const std::string& id) {
  const auto at = html.find("<section id=\"" + id + "\">");
  if (at == std::string::npos) return {};
  return html.substr(at, html.find("</section>", at) - at);
}

}  // namespace

TEST_CASE("backtest report: the terminal summary, line by line") {
  const std::string text = backtest_summary_text(sample_backtest_report());
  // From the fixture: 2940 -> 2400 is -18.37%; pnl 123.456 rounds to 123.46.
  const std::vector<std::string> expected{
      "backtest: blocks 100..110 (11 blocks), config sluice.toml",
      "positions              40 at the start, 41 at the end",
      "opportunities          5",
      "sluice liquidations    4 (1 reverted in simulation)",
      "on-chain liquidations  5",
      "outcomes               captured 2, missed 2, n.a. 1, sluice-only 1",
      "capture rate           50.00%",
      "missed by reason       not_seen 1, reverted_in_simulation 1",
      "lead (blocks)          min 1, median 2, max 2",
      "pnl after gas          123.46 USD",
      "gas                    4.50 USD",
      "slippage               2.25 USD",
      "repaid / seized        10000.00 / 10500.50 USD",
      "bad debt seen          0.00 USD",
      "amounts compared       2 (1 equal)",
      "cascade check          from block 101, WETH 2940.00 -> 2400.00 USD (-18.37%) with WBTC x0.50, coupling full",
      "  predicted            5000.00 USD in 3 liquidations, final price 2350.00 USD (one shock)",
      "  along the path       4500.00 USD, 3 positions",
      "  realized             4500.00 USD in 4 liquidations, 3 positions",
  };
  CHECK(lines_of(text) == expected);
  CHECK(text.back() == '\n');
}

TEST_CASE("backtest report: the summary without leads, misses or a cascade") {
  backtest::Report r;
  r.summary.from_block = 5, r.summary.to_block = 5, r.summary.blocks = 1;
  const auto lines = lines_of(backtest_summary_text(r));
  REQUIRE(lines.size() == 16);
  CHECK(lines[0] == "backtest: blocks 5..5 (1 blocks)");
  CHECK(lines[7] == "missed by reason       -");
  CHECK(lines[8] == "lead (blocks)          min -, median -, max -");
  CHECK(lines[15] == "cascade check          not run (no liquidatable position in the range)");
  // The HTML of an empty range: no price chart, the three others empty, the cascade said not run.
  const std::string html = render_backtest_html(r);
  CHECK(section(html, "price-path").find("No price assets.") != std::string::npos);
  CHECK(count(html, "<svg") == 3);
  CHECK(section(html, "cascade").find("Not run: no position became liquidatable") != std::string::npos);
  CHECK(section(html, "rows").find("0 rows.") != std::string::npos);
}

TEST_CASE("backtest report: CSV, one line per row, RFC 4180 quoting, empty optionals") {
  const std::string csv = backtest_csv(sample_backtest_report());
  const std::string c7777 = addr("7777");
  const std::vector<std::string> expected{
      "outcome,reason,block,log_index,tx,liquidator,protocol,account,market,collateral,debt,actual_debt_repaid,"
      "actual_collateral_seized,actual_repaid_usd,sluice_decided_block,lead_blocks,sluice_debt_repaid,"
      "sluice_collateral_seized,sluice_profit_usd,sluice_gas_usd,sluice_slippage_usd,sluice_reverted,revert_reason,"
      "at_event_debt_repaid,at_event_collateral_seized,same_state,amounts_equal",
      "captured,,103,2," + hash('a') + "," + c7777 + ",aave-v3," + addr("2001") +
          ",,WETH,USDC,1500000000,520000000000000000,1500,101,2,1500000000,520000000000000000,42.5,1.25,0.5,false,,"
          "1500000000,520000000000000000,true,true",
      "captured,,105,0," + hash('b') + "," + c7777 + ",morpho-blue," + addr("2002") + "," + hash('1') +
          ",A<&B,USDC,2000000000,1000000,2000,104,1,1999999999,999999,30,1.25,0.5,false,,1999999999,999999,true,"
          "false",
      // Missed, never seen: the 11 Sluice columns empty.
      "missed,not_seen,106,1," + hash('c') + "," + c7777 + ",aave-v3," + addr("2003") +
          ",,WETH,USDC,100000000,35000000000000000,100,,,,,,,,,,,,false,false",
      // The revert reason Error("HF, "not" below 1") holds a comma and quotes: quoted, quotes doubled.
      "missed,reverted_in_simulation,107,4," + hash('d') + "," + c7777 + ",aave-v3," + addr("2005") +
          ",,WETH,USDC,300000000,105000000000000000,300,106,,300000000,105000000000000000,0,1.25,0.5,true,"
          "\"Error(\"\"HF, \"\"not\"\" below 1\"\")\",,,false,false",
      "not_applicable,own,108,0," + hash('e') + "," + addr("9999") + ",aave-v3," + addr("2006") +
          ",,WETH,USDC,50000000,17000000000000000,50,,,,,,,,,,,,false,false",
      // Sluice only: no on-chain columns.
      "sluice_only,,,,,,aave-v3," + addr("2004") + ",,WETH,USDC,,,,109,,100,35,0.75,1.25,0.5,false,,,,false,false",
  };
  CHECK(lines_of(csv) == expected);
  CHECK(csv.back() == '\n');
  CHECK(lines_of(backtest_csv(backtest::Report{})).size() == 1);  // the header alone
}

TEST_CASE("backtest report: JSON parses back with the report's values") {
  const std::string json = backtest_json(sample_backtest_report());
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element doc;
  REQUIRE(parser.parse(padded).get(doc) == simdjson::SUCCESS);
  CHECK(std::string_view(doc["config"]) == "sluice.toml");
  simdjson::dom::array assets, rows, blocks, points;
  REQUIRE(doc["price_assets"].get(assets) == simdjson::SUCCESS);
  CHECK(assets.size() == 2);

  const auto summary = doc["summary"];
  CHECK(uint64_t(summary["from_block"]) == 100);
  CHECK(uint64_t(summary["captured"]) == 2);
  CHECK(double(summary["capture_rate"]) == 0.5);
  CHECK(double(summary["pnl_usd"]) == 123.456);  // shortest round-trip: the exact double back
  CHECK(uint64_t(summary["missed_by_reason"]["reverted_in_simulation"]) == 1);
  CHECK(int64_t(summary["lead_median"]) == 2);

  REQUIRE(doc["rows"].get(rows) == simdjson::SUCCESS);
  REQUIRE(rows.size() == 6);
  const auto first = rows.at(0);
  CHECK(std::string_view(first["outcome"]) == "captured");
  CHECK(int64_t(first["lead_blocks"]) == 2);
  CHECK(std::string_view(first["actual"]["debt_repaid"]) == "1500000000");
  CHECK(std::string_view(first["actual"]["tx"]) == hash('a'));
  CHECK(first["actual"]["market"].is_null());
  CHECK(std::string_view(first["sluice"]["collateral_seized"]) == "520000000000000000");
  CHECK(double(first["sluice"]["profit_usd"]) == 42.5);
  CHECK(std::string_view(rows.at(1)["actual"]["collateral"]) == "A<&B");
  CHECK(std::string_view(rows.at(1)["actual"]["market"]) == hash('1'));
  CHECK(std::string_view(rows.at(3)["sluice"]["revert_reason"]) == R"(Error("HF, "not" below 1"))");
  CHECK(rows.at(2)["sluice"].is_null());
  CHECK(rows.at(2)["lead_blocks"].is_null());
  CHECK(rows.at(5)["actual"].is_null());
  CHECK(uint64_t(rows.at(5)["sluice"]["decided_block"]) == 109);

  REQUIRE(doc["blocks"].get(blocks) == simdjson::SUCCESS);
  REQUIRE(blocks.size() == 11);
  CHECK(blocks.at(0)["prices_usd"].at(1).is_null());  // NaN -> null
  CHECK(double(blocks.at(1)["prices_usd"].at(0)) == 2940.0);
  CHECK(std::string_view(blocks.at(0)["base_fee"]) == "30000000000");
  CHECK(double(blocks.at(10)["cumulative_pnl_usd"]) == 73.25);

  const auto cascade = doc["cascade"];
  CHECK(bool(cascade["ran"]));
  CHECK(std::string_view(cascade["asset"]) == "WETH");
  CHECK(std::string_view(cascade["co_moves"]) == "WBTC x0.50");
  CHECK(double(cascade["path_predicted_liquidated_usd"]) == 4500.0);
  CHECK(uint64_t(cascade["path_predicted_positions"]) == 3);
  CHECK(uint64_t(cascade["realized_positions"]) == 3);
  REQUIRE(cascade["points"].get(points) == simdjson::SUCCESS);
  CHECK(points.size() == 10);
  CHECK(double(points.at(9)["drawdown_pct"]) == -18.0);
  CHECK(json.back() == '\n');
}

TEST_CASE("backtest report: numbers are shortest round-trip, never NaN, inf or -0") {
  CHECK(backtest_number(1234.5) == "1234.5");
  CHECK(backtest_number(0.1) == "0.1");
  CHECK(backtest_number(3000.0) == "3000");
  CHECK(backtest_number(1e21) == "1e+21");
  CHECK(backtest_number(-0.0) == "0");
  CHECK(backtest_number(std::nan("")) == "null");
  CHECK(backtest_number(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("backtest report: every writer gives the same bytes twice") {
  const backtest::Report r = sample_backtest_report();
  CHECK(backtest_summary_text(r) == backtest_summary_text(sample_backtest_report()));
  CHECK(backtest_csv(r) == backtest_csv(sample_backtest_report()));
  CHECK(backtest_json(r) == backtest_json(sample_backtest_report()));
  CHECK(render_backtest_html(r) == render_backtest_html(sample_backtest_report()));
}

TEST_CASE("backtest html: summary, four chart sections, the table, escaping, self-contained") {
  const std::string html = render_backtest_html(sample_backtest_report());
  CHECK(html.rfind("<!DOCTYPE html>\n", 0) == 0);
  CHECK(html.size() >= 8);
  CHECK(html.substr(html.size() - 8) == "</html>\n");
  CHECK(count(html, "<script") == 0);
  CHECK(count(html, "<svg") == 5);  // two price charts (WETH, USDC) + liquidations + cascade + PnL
  CHECK(count(section(html, "price-path"), "<svg") == 2);
  CHECK(count(section(html, "liquidations"), "<svg") == 1);
  CHECK(count(section(html, "cascade"), "<svg") == 1);
  CHECK(count(section(html, "pnl"), "<svg") == 1);
  CHECK(section(html, "summary").find("<td>capture rate</td><td>50.00%</td>") != std::string::npos);
  const std::string rows = section(html, "rows");
  CHECK(count(rows, "<tr>") == 7);  // header + 6 rows
  CHECK(rows.find("<th>sluice_profit_usd</th>") != std::string::npos);
  CHECK(rows.find("<td>reverted_in_simulation</td>") != std::string::npos);
  // The symbol "A<&B" is escaped everywhere (the table and nowhere raw).
  CHECK(html.find("A<&B") == std::string::npos);
  CHECK(rows.find("<td>A&lt;&amp;B</td>") != std::string::npos);
  CHECK(html.find("Sluice taken") != std::string::npos);
  CHECK(html.find("predicted along the path (engine at each block&#39;s drawdowns)") != std::string::npos);
  // 11 blocks: one bar each, no grouping note.
  CHECK(html.find("each bar groups") == std::string::npos);
}

TEST_CASE("backtest html: long ranges group bars, thin lines and cap the table") {
  backtest::Report r = sample_backtest_report();
  r.summary.from_block = 100, r.summary.to_block = 5099, r.summary.blocks = 5000;
  r.blocks.clear();
  for (std::uint64_t b = 100; b < 5100; ++b) {
    backtest::BlockPoint p;
    p.block = b;
    p.prices_usd = {3000.0 - static_cast<double>(b % 97), 1.0};
    p.sluice_taken = b % 50 == 0 ? 1 : 0;
    r.blocks.push_back(p);
  }
  const backtest::LiquidationRow row = r.rows.front();
  r.rows.assign(600, row);
  const std::string html = render_backtest_html(r);
  // 5000 blocks / 200 bars = 25 blocks a bar.
  CHECK(html.find("block (each bar groups 25 blocks; labelled by its first)") != std::string::npos);
  const std::string bars = section(html, "liquidations");
  CHECK(bars.find("<title>100: on-chain captured 600</title>") != std::string::npos);  // all 600 at block 103
  CHECK(count(bars, "Sluice taken 1</title>") == 100);  // one decision every 50 blocks: every other bar
  // Price lines keep the low and high of each of 600 slices: at most 1200 points.
  const std::string prices = section(html, "price-path");
  const auto polyline = prices.find("points=\"");
  REQUIRE(polyline != std::string::npos);
  const std::string points = prices.substr(polyline, prices.find('"', polyline + 8) - polyline);
  CHECK(count(points, ",") <= 1200);
  CHECK(count(points, ",") >= 600);
  const std::string table = section(html, "rows");
  CHECK(table.find("The first 500 of 600 rows (100 left out)") != std::string::npos);
  CHECK(count(table, "<tr>") == 501);
}

TEST_CASE("svg: stacked bars in groups stand side by side") {
  svg::StackedBarChart chart;
  chart.width = 284;  // plot width 284 - 84 - 24 = 176: one category slot of 176 px
  chart.categories = {"b"};
  chart.stacks = {{"left", "#111", {1.0}, 0}, {"right", "#222", {2.0}, 1}};
  const std::string out = svg::stacked_bar_chart(chart);
  // Two groups share 80% of the slot (140.8 px): 70.4 px each, from 84 + 17.6 = 101.6.
  CHECK(out.find(R"(<rect x="101.6" y=)") != std::string::npos);
  CHECK(out.find(R"(<rect x="172.0" y=)") != std::string::npos);
  CHECK(count(out, R"(width="70.4")") == 2);
}
