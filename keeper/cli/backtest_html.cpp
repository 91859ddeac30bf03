#include "keeper/cli/backtest_html.hpp"

#include "keeper/cli/backtest_report.hpp"
#include "keeper/cli/html_page.hpp"
#include "keeper/cli/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace sluice::cli {

namespace {

using backtest::Outcome;
using backtest::Report;
using Points = std::vector<std::pair<double, double>>;

constexpr std::array<const char*, 6> kPalette{"#3b6fb6", "#e08a2c", "#3a9a5b", "#c23b3b", "#7e57c2", "#7a7a7a"};
// On-chain outcomes green / red / grey; Sluice's own and realized volumes blue; the engine's prediction orange.
constexpr const char *kCapturedColor = "#3a9a5b", *kMissedColor = "#c23b3b", *kNotApplicableColor = "#a8a8a8";
constexpr const char *kSluiceColor = "#3b6fb6", *kRealizedColor = "#3b6fb6", *kPredictedColor = "#e08a2c";
constexpr std::size_t kThinSlices = 600;

/// At most 2 x kThinSlices points: the lowest and highest of each slice of consecutive points, in order.
Points thin(Points points) {
  if (points.size() <= 2 * kThinSlices) return points;
  const std::size_t per = (points.size() + kThinSlices - 1) / kThinSlices;
  Points out;
  for (std::size_t lo = 0; lo < points.size(); lo += per) {
    const auto first = points.begin() + static_cast<std::ptrdiff_t>(lo);
    const auto last = points.begin() + static_cast<std::ptrdiff_t>(std::min(points.size(), lo + per));
    const auto by_y = [](const auto& a, const auto& b) { return a.second < b.second; };
    auto low = std::min_element(first, last, by_y), high = std::max_element(first, last, by_y);
    if (high < low) std::swap(low, high);
    out.push_back(*low);
    if (high != low) out.push_back(*high);
  }
  return out;
}

svg::Series series(std::string name, std::string color, Points points) {
  return {std::move(name), std::move(color), thin(std::move(points))};
}

std::string price_charts(const Report& report) {
  if (report.price_assets.empty()) return "<p class=\"sub\">No price assets.</p>";
  std::string out;
  for (std::size_t a = 0; a < report.price_assets.size(); ++a) {
    const std::string& symbol = report.price_assets[a];
    Points points;
    for (const auto& b : report.blocks)
      if (a < b.prices_usd.size()) points.emplace_back(static_cast<double>(b.block), b.prices_usd[a]);
    svg::LineChart chart;
    chart.title = "Price path: " + symbol + " (USD, end of each block)";
    chart.x_label = "block";
    chart.y_label = symbol + " price (USD)";
    chart.height = 300;
    chart.series = {series(symbol, kPalette[a % kPalette.size()], std::move(points))};
    out += svg::line_chart(chart);
  }
  return out;
}

std::string liquidations_chart(const Report& report) {
  const std::uint64_t from = report.summary.from_block;
  const std::uint64_t to = std::max(report.summary.to_block, from);
  const std::uint64_t span = to - from + 1;
  const std::uint64_t width = (span + kHtmlMaxBars - 1) / kHtmlMaxBars;
  const std::size_t bars = static_cast<std::size_t>((span + width - 1) / width);
  svg::BarStack captured{"on-chain captured", kCapturedColor, std::vector<double>(bars, 0.0)};
  svg::BarStack missed{"on-chain missed", kMissedColor, std::vector<double>(bars, 0.0)};
  svg::BarStack other{"on-chain n.a.", kNotApplicableColor, std::vector<double>(bars, 0.0)};
  svg::BarStack taken{"Sluice taken", kSluiceColor, std::vector<double>(bars, 0.0), 1};
  const auto bar_of = [&](std::uint64_t block) -> std::optional<std::size_t> {
    if (block < from || block > to) return std::nullopt;
    return static_cast<std::size_t>((block - from) / width);
  };
  for (const auto& row : report.rows) {
    if (!row.actual) continue;
    const auto bar = bar_of(row.actual->block);
    if (!bar) continue;
    (row.outcome == Outcome::captured ? captured : row.outcome == Outcome::missed ? missed : other).values[*bar] += 1;
  }
  for (const auto& b : report.blocks)
    if (const auto bar = bar_of(b.block)) taken.values[*bar] += b.sluice_taken;
  svg::StackedBarChart chart;
  chart.title = "Liquidations per block: on chain by outcome, and Sluice's";
  chart.x_label = width == 1 ? std::string("block")
                             : fmt::format("block (each bar groups {} blocks; labelled by its first)", width);
  chart.y_label = "liquidations";
  for (std::size_t i = 0; i < bars; ++i) chart.categories.push_back(std::to_string(from + i * width));
  chart.stacks = {std::move(captured), std::move(missed), std::move(other), std::move(taken)};
  return svg::stacked_bar_chart(chart);
}

std::string cascade_chart(const Report& report) {
  const backtest::CascadeCheck& c = report.cascade;
  Points predicted, realized;
  for (const auto& p : c.points) {
    predicted.emplace_back(static_cast<double>(p.block), p.predicted_liquidated_usd);
    realized.emplace_back(static_cast<double>(p.block), p.realized_liquidated_usd);
  }
  svg::LineChart chart;
  chart.title = "Predicted vs realized cascade" + (c.ran ? ": " + c.asset + " from block " + std::to_string(c.start_block)
                                                         : std::string());
  chart.x_label = "block";
  chart.y_label = "liquidated debt (USD)";
  chart.markers = c.points.size() <= 30;
  chart.series = {series("predicted along the path (engine at each block's drawdowns)", kPredictedColor, std::move(predicted)),
                  series("realized on chain (cumulative)", kRealizedColor, std::move(realized))};
  std::string note =
      c.ran ? fmt::format("<p class=\"sub\">At the realized drawdown ({} {} -> {} USD{}, coupling {}) the engine "
                          "predicted, as one shock, {} USD in {} liquidations (final price {} USD); along the "
                          "realized path, {} USD over {} positions; {} USD in {} liquidations of {} positions "
                          "followed on chain.</p>",
                          svg::escape(c.asset), format_usd(c.start_price_usd), format_usd(c.min_price_usd),
                          c.co_moves.empty() ? "" : ", with " + svg::escape(c.co_moves), svg::escape(c.coupling),
                          format_usd(c.predicted_liquidated_usd), c.predicted_liquidations,
                          format_usd(c.predicted_final_price_usd), format_usd(c.path_predicted_liquidated_usd),
                          c.path_predicted_positions, format_usd(c.realized_liquidated_usd),
                          c.realized_liquidations, c.realized_positions)
            : std::string("<p class=\"sub\">Not run: no position became liquidatable in the range.</p>");
  return svg::line_chart(chart) + note;
}

std::string pnl_chart(const Report& report) {
  Points points;
  for (const auto& b : report.blocks) points.emplace_back(static_cast<double>(b.block), b.cumulative_pnl_usd);
  svg::LineChart chart;
  chart.title = "Cumulative PnL of Sluice's liquidations (after gas and sale slippage)";
  chart.x_label = "block";
  chart.y_label = "USD";
  chart.series = {series("cumulative PnL (USD)", kSluiceColor, std::move(points))};
  return svg::line_chart(chart);
}

/// The per-liquidation table's columns in the HTML (the CSV has them all).
constexpr std::array<std::string_view, 14> kHtmlColumns{
    "outcome", "reason", "block", "protocol", "account", "collateral", "debt", "actual_repaid_usd",
    "sluice_decided_block", "lead_blocks", "sluice_profit_usd", "sluice_reverted", "same_state", "amounts_equal"};

std::string rows_table(const Report& report) {
  const Table full = liquidation_table(report);
  std::vector<std::size_t> keep;
  for (const std::string_view name : kHtmlColumns)
    for (std::size_t i = 0; i < full.header.size(); ++i)
      if (full.header[i] == name) keep.push_back(i);
  Table t;
  for (const std::size_t i : keep) t.header.push_back(full.header[i]);
  const std::size_t shown = std::min(full.rows.size(), kHtmlTableRows);
  for (std::size_t r = 0; r < shown; ++r) {
    std::vector<std::string> cells;
    for (const std::size_t i : keep) cells.push_back(full.rows[r][i]);
    t.rows.push_back(std::move(cells));
  }
  std::string note = full.rows.size() > shown
                         ? fmt::format("<p class=\"sub\">The first {} of {} rows ({} left out); the CSV and JSON "
                                       "outputs hold them all.</p>",
                                       shown, full.rows.size(), full.rows.size() - shown)
                         : fmt::format("<p class=\"sub\">{} rows.</p>", full.rows.size());
  return note + html::table(t);
}

}  // namespace

std::string render_backtest_html(const Report& report) {
  std::string out = html::open_page("Sluice backtest: " + describe_backtest(report));
  Table summary{{"item", "value"}, {}};
  for (const auto& [label, value] : backtest_summary_lines(report)) summary.rows.push_back({label, value});
  out += html::section("summary", "Summary", html::table(summary)) + "\n";
  out += html::section("price-path", "Price path", price_charts(report)) + "\n";
  out += html::section("liquidations", "Liquidations per block", liquidations_chart(report)) + "\n";
  out += html::section("cascade", "Predicted vs realized cascade", cascade_chart(report)) + "\n";
  out += html::section("pnl", "Cumulative PnL", pnl_chart(report)) + "\n";
  out += html::section("rows", "Liquidations", rows_table(report)) + "\n";
  return out + html::close_page();
}

}  // namespace sluice::cli
