#include "keeper/cli/cascade_html.hpp"

#include "keeper/cli/html_page.hpp"
#include "keeper/cli/svg_chart.hpp"

#include <fmt/format.h>

namespace sluice::cli {

namespace {

constexpr const char* kAaveColor = "#3b6fb6";
constexpr const char* kMorphoColor = "#e08a2c";
constexpr const char* kLiquidatedColor = "#3b6fb6";
constexpr const char* kBadDebtColor = "#c23b3b";
constexpr const char* kMarketColor = "#3b6fb6";
constexpr const char* kOracleColor = "#7a7a7a";

std::string curve_chart(const CascadeReport& report) {
  svg::LineChart chart;
  chart.title = "Cascade curve: " + report.asset + " shock vs liquidated debt and bad debt";
  chart.x_label = report.asset + " shock (%)";
  chart.y_label = "USD";
  chart.reverse_x = true;  // 0% on the left, deeper shocks to the right
  svg::Series liquidated{"liquidated debt (USD)", kLiquidatedColor, {}};
  svg::Series bad{"bad debt (USD)", kBadDebtColor, {}};
  for (const auto& r : report.grid) {
    liquidated.points.emplace_back(r.shock * 100.0, r.liquidated_debt_usd);
    bad.points.emplace_back(r.shock * 100.0, r.bad_debt_usd);
  }
  chart.markers = report.grid.size() <= 30;
  chart.series = {std::move(liquidated), std::move(bad)};
  return svg::line_chart(chart);
}

std::string price_path_chart(const CascadeReport& report, const risk::CascadeResult& r) {
  svg::LineChart chart;
  chart.title = "Price path: " + report.asset + " per round after a " + format_percent(r.shock) + " shock";
  chart.x_label = "round (block after the shock; 0: the shock itself)";
  chart.y_label = report.asset + " price (USD)";
  chart.markers = true;
  svg::Series market{"market (pools)", kMarketColor, {{0.0, r.shocked_price}}};
  svg::Series oracle{"oracle", kOracleColor, {}};
  oracle.points.emplace_back(0.0, r.rounds.empty() ? r.final_oracle_price : r.rounds.front().oracle_price_before);
  for (std::size_t i = 0; i < r.rounds.size(); ++i) {
    const double x = static_cast<double>(r.rounds[i].index);
    market.points.emplace_back(x, r.rounds[i].market_price_after);
    oracle.points.emplace_back(x, r.rounds[i].oracle_price_after);
  }
  chart.series = {std::move(market), std::move(oracle)};
  return svg::line_chart(chart);
}

std::string map_chart(const CascadeReport& report) {
  svg::StackedBarChart chart;
  chart.title = "Liquidation map: debt crossing per " + report.asset + " price bucket";
  chart.x_label = report.asset + " price (USD, bucket's lower bound; current price on the left)";
  chart.y_label = "debt crossing (USD)";
  svg::BarStack aave{std::string(protocol_name(Protocol::aave_v3)), kAaveColor, {}};
  svg::BarStack morpho{std::string(protocol_name(Protocol::morpho_blue)), kMorphoColor, {}};
  for (const risk::LiquidationBucket& b : report.map.buckets) {
    chart.categories.push_back(b.price_low >= 100 ? fmt::format("{:.0f}", b.price_low) : fmt::format("{:.4g}", b.price_low));
    aave.values.push_back(b.debt_usd[static_cast<std::size_t>(Protocol::aave_v3)]);
    morpho.values.push_back(b.debt_usd[static_cast<std::size_t>(Protocol::morpho_blue)]);
  }
  chart.stacks = {std::move(aave), std::move(morpho)};
  return svg::stacked_bar_chart(chart);
}

}  // namespace

std::string render_cascade_html(const CascadeReport& report) {
  const std::string title = "Sluice cascade: " + describe_cascade(report);
  std::string out = html::open_page(title);
  if (report.single) {
    const risk::CascadeResult& r = *report.single;
    out += fmt::format("<p class=\"sub\">{} {} USD before the shock, {} USD after it; final {} USD.</p>\n",
                       svg::escape(report.asset), format_usd(r.initial_price), format_usd(r.shocked_price),
                       format_usd(r.final_price));
    out += html::section("price-path", "Price path", price_path_chart(report, r)) + "\n";
  } else {
    out += html::section("curve", "Cascade curve", curve_chart(report)) + "\n";
  }
  std::string map_note;
  if (report.map.buckets.empty())
    map_note = "<p class=\"sub\">No price range to map.</p>";
  else
    map_note = fmt::format("<p class=\"sub\">{} buckets from {} down to {} USD. Already liquidatable or crossing "
                           "at or above the current price (not drawn): {} positions, {} USD of debt.</p>",
                           report.map.buckets.size(), format_usd(report.map.reference_price_usd),
                           format_usd(report.map.floor_price_usd), report.map.at_or_above_positions,
                           format_usd(report.map.at_or_above_debt_usd[0] + report.map.at_or_above_debt_usd[1]));
  out += html::section("liquidation-map", "Liquidation map", map_chart(report) + map_note) + "\n";
  if (report.single) {
    Table totals{{"total", "value"}, {}};
    for (const auto& [k, v] : cascade_totals(*report.single)) totals.rows.push_back({k, v});
    const Table rounds = round_table(*report.single, report.asset, report.decimals);
    out += html::section("rounds", "Rounds", html::table(rounds)) + "\n";
    out += html::section("totals", "Totals", html::table(totals)) + "\n";
  } else {
    out += html::section("curve-table", "Cascade curve table", html::table(curve_table(report.grid))) + "\n";
  }
  return out + html::close_page();
}

}  // namespace sluice::cli
