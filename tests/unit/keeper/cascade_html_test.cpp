// The SVG chart helper and the HTML cascade report on hand-built results: structure (charts, labels, sections),
// escaping, and self-containment (no scripts, no URL but the SVG namespace).

#include "keeper/cli/cascade_html.hpp"
#include "keeper/cli/svg_chart.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace sluice;
using namespace sluice::cli;

namespace {

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

/// Every "http" in `html` is the SVG namespace of an <svg> element.
bool only_svg_namespace_urls(const std::string& html) {
  const std::string ns = "http://www.w3.org/2000/svg";
  for (auto at = html.find("http"); at != std::string::npos; at = html.find("http", at + 4))
    if (html.compare(at, ns.size(), ns) != 0) return false;
  return true;
}

risk::CascadeResult point(double shock, double liquidated, double bad) {
  risk::CascadeResult r;
  r.shock = shock;
  r.initial_price = 3000.0;
  r.shocked_price = 3000.0 * (1 + shock);
  r.final_price = r.shocked_price * 0.9;
  r.liquidated_debt_usd = liquidated;
  r.bad_debt_usd = bad;
  return r;
}

risk::LiquidationMap small_map() {
  risk::LiquidationMap map;
  map.reference_price_usd = 3000.0;
  map.floor_price_usd = 2000.0;
  for (int i = 0; i < 4; ++i) {
    risk::LiquidationBucket b;
    b.price_high = 3000.0 - 250.0 * i;
    b.price_low = b.price_high - 250.0;
    b.debt_usd = {1000.0 * i, 500.0};
    map.buckets.push_back(b);
  }
  return map;
}

}  // namespace

TEST_CASE("svg: nice ticks and labels") {
  // raw step 7.3M / 5 = 1.46M -> 2M steps.
  CHECK(svg::nice_ticks(0.0, 7.3e6, 5) == std::vector<double>{0.0, 2e6, 4e6, 6e6, 8e6});
  // raw step 60 / 8 = 7.5 -> 10.
  CHECK(svg::nice_ticks(-60.0, 0.0, 8) == std::vector<double>{-60, -50, -40, -30, -20, -10, 0});
  // A single value is widened to [-0.5, 0.5]: raw step 0.2 -> 0.2, from -0.6 to 0.6.
  const std::vector<double> flat = svg::nice_ticks(0.0, 0.0, 5);
  REQUIRE(flat.size() == 7);
  CHECK(flat.front() == doctest::Approx(-0.6));
  CHECK(flat[3] == 0.0);
  CHECK(flat.back() == doctest::Approx(0.6));
  CHECK(svg::nice_ticks(std::numeric_limits<double>::quiet_NaN(), 1.0) == std::vector<double>{0.0, 1.0});
  CHECK(svg::tick_label(1.5e6) == "1.5M");
  CHECK(svg::tick_label(250000) == "250k");
  CHECK(svg::tick_label(2.5) == "2.5");
  CHECK(svg::tick_label(-20) == "-20");
  CHECK(svg::tick_label(0) == "0");
  CHECK(svg::tick_label(3e9) == "3B");
  CHECK(svg::escape(R"(<a & 'b'>")") == "&lt;a &amp; &#39;b&#39;&gt;&quot;");
}

TEST_CASE("svg: a line chart has axes, labels, one polyline per series and a legend") {
  svg::LineChart chart;
  chart.title = "T <1>";
  chart.x_label = "shock (%)";
  chart.y_label = "USD";
  chart.series = {{"liquidated", "#123456", {{0, 0}, {-10, 5e5}, {-20, 1.2e6}}},
                  {"bad debt", "#654321", {{0, 0}, {-10, 0}, {-20, std::numeric_limits<double>::infinity()}}}};
  const std::string s = svg::line_chart(chart);
  CHECK(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(s.ends_with("</svg>"));
  CHECK(count(s, "<polyline") == 2);
  CHECK(s.find("T &lt;1&gt;") != std::string::npos);
  CHECK(s.find(">shock (%)</text>") != std::string::npos);
  CHECK(s.find(">USD</text>") != std::string::npos);
  CHECK(s.find(">liquidated</text>") != std::string::npos);
  // y: raw step 1.2M / 5 = 240k -> 500k: ticks 0, 500k, 1M, 1.5M.
  CHECK(s.find(">500k</text>") != std::string::npos);
  CHECK(s.find(">1.5M</text>") != std::string::npos);
  CHECK(s.find(">-20</text>") != std::string::npos);
  CHECK(s.find("inf") == std::string::npos);           // the infinite point is skipped
}

TEST_CASE("svg: a stacked bar chart draws one rect per non-zero segment") {
  svg::StackedBarChart chart;
  chart.title = "map";
  chart.categories = {"2900", "2800", "2700"};
  chart.stacks = {{"aave-v3", "#111111", {100, 0, 50}}, {"morpho-blue", "#222222", {20, 30}}};
  const std::string s = svg::stacked_bar_chart(chart);
  // 4 segments plus the background rect and 2 legend swatches.
  CHECK(count(s, "<rect") == 7);
  CHECK(s.find("<title>2900: aave-v3 100</title>") != std::string::npos);
  CHECK(s.find(">2800</text>") != std::string::npos);
}

TEST_CASE("cascade html: a grid report has the curve, the map and the curve table, self-contained") {
  CascadeReport report;
  report.asset = "WETH";
  report.block = 42;
  report.grid = {point(0.0, 0, 0), point(-0.1, 2.5e6, 0), point(-0.2, 4e6, 3e5)};
  report.map = small_map();
  const std::string html = render_cascade_html(report);
  CHECK(html.starts_with("<!DOCTYPE html>\n<html"));
  CHECK(html.ends_with("</html>\n"));
  CHECK(count(html, "<svg") == 2);
  CHECK(html.find("<section id=\"curve\">") != std::string::npos);
  CHECK(html.find("<section id=\"liquidation-map\">") != std::string::npos);
  CHECK(html.find("<section id=\"curve-table\">") != std::string::npos);
  CHECK(html.find("Cascade curve: WETH shock vs liquidated debt and bad debt") != std::string::npos);
  CHECK(html.find(">liquidated debt (USD)</text>") != std::string::npos);
  CHECK(html.find(">bad debt (USD)</text>") != std::string::npos);
  CHECK(html.find(">aave-v3</text>") != std::string::npos);
  CHECK(html.find(">morpho-blue</text>") != std::string::npos);
  CHECK(html.find("<td>-20.00%</td>") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(only_svg_namespace_urls(html));
}

TEST_CASE("cascade html: a single shock has the price path, the map, the rounds and totals; text is escaped") {
  CascadeReport report;
  report.asset = "W<ETH>";
  report.single = point(-0.25, 1e6, 0);
  risk::CascadeRound round;
  round.index = 1;
  round.market_price_before = 2250;
  round.market_price_after = 2000;
  round.oracle_price_before = 2250;
  round.oracle_price_after = 2000;
  report.single->rounds = {round};
  report.map = small_map();
  const std::string html = render_cascade_html(report);
  CHECK(count(html, "<svg") == 2);
  CHECK(html.find("<section id=\"price-path\">") != std::string::npos);
  CHECK(html.find("<section id=\"rounds\">") != std::string::npos);
  CHECK(html.find("<section id=\"totals\">") != std::string::npos);
  CHECK(html.find(">market (pools)</text>") != std::string::npos);
  CHECK(html.find(">oracle</text>") != std::string::npos);
  CHECK(html.find("<th>SOLD_W&lt;ETH&gt;</th>") != std::string::npos);
  CHECK(html.find("W<ETH>") == std::string::npos);
  CHECK(only_svg_namespace_urls(html));
}
