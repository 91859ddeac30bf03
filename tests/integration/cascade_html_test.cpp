// `sluice cascade --html` in a real browser: the renderer's page (from hand-built engine results, so no devnet or
// engine is needed) is opened in Debian's headless Chromium (tests/support/chromium_page.hpp), which takes a
// screenshot. The page must load without any console message, render its two charts and tables (DOM dumped by
// Chromium), and give a non-trivial PNG of the requested size. The console detector itself is tested below on a
// page with a deliberate error.

#include "keeper/cli/cascade_html.hpp"
#include "tests/support/chromium_page.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::cli;
using namespace sluice::test;
namespace fs = std::filesystem;

namespace {

risk::CascadeResult shock_result() {
  risk::CascadeResult r;
  r.shock = -0.25;
  r.initial_price = 3000;
  r.shocked_price = 2250;
  double price = 2250;
  for (std::uint32_t i = 1; i <= 6; ++i) {
    risk::CascadeRound round;
    round.index = i;
    round.liquidations.resize(i % 2 ? 5 : 0);
    round.debt_repaid_usd = i % 2 ? 4e5 : 0;
    round.market_price_before = price;
    round.oracle_price_before = price;
    if (i % 2 == 0) {
      round.collateral_sold = U256::from_dec("150000000000000000000").value();
      round.collateral_sold_usd = 150 * price;
      price *= 0.93;
      round.slippage_bps = 350;
    }
    round.market_price_after = round.oracle_price_after = price;
    r.rounds.push_back(round);
  }
  r.final_price = r.final_oracle_price = price;
  r.liquidations = 15;
  r.positions_liquidated = 12;
  r.liquidated_debt_usd = 1.2e6;
  return r;
}

risk::LiquidationMap map() {
  risk::LiquidationMap m;
  m.reference_price_usd = 3000;
  m.floor_price_usd = 1500;
  for (int i = 0; i < 30; ++i) {
    risk::LiquidationBucket b;
    b.price_high = 3000 - 50.0 * i;
    b.price_low = b.price_high - 50;
    b.debt_usd = {1e4 * (i % 7), 2e4 * (i % 5)};
    b.positions = static_cast<std::uint32_t>(i % 7 + i % 5);
    m.buckets.push_back(b);
  }
  return m;
}

CascadeReport grid_report() {
  CascadeReport report;
  report.asset = "WETH";
  report.block = 120;
  for (int i = 0; i <= 120; ++i) {
    risk::CascadeResult r;
    r.shock = -0.005 * i;
    r.initial_price = 3000;
    r.shocked_price = 3000 * (1 + r.shock);
    r.final_price = r.shocked_price * 0.8;
    r.liquidated_debt_usd = 5e4 * i;
    r.bad_debt_usd = i > 60 ? 2e4 * (i - 60) : 0;
    report.grid.push_back(r);
  }
  report.map = map();
  return report;
}

CascadeReport shock_report() {
  CascadeReport report;
  report.asset = "WETH";
  report.block = 120;
  report.single = shock_result();
  report.map = map();
  return report;
}

}  // namespace

TEST_CASE("cascade html in Chromium: the console detector sees a deliberate error") {
  REQUIRE_MESSAGE(fs::exists(kChromium), "Chromium is missing: run scripts/setup (it installs Debian's chromium)");
  TempDir dir("sluice-html");
  const fs::path page = dir / "broken.html";
  write_file(page, "<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction();</script></body></html>");
  const ProcessResult r = chromium(dir, page, "--dump-dom");
  const auto lines = console_lines(r.err);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("Uncaught ReferenceError: undefinedFunction is not defined") != std::string::npos);
}

TEST_CASE("cascade html in Chromium: a grid report renders its curve, map and table without console errors") {
  check_page_in_chromium(render_cascade_html(grid_report()),
                         {"<svg", "Cascade curve: WETH shock vs liquidated debt and bad debt",
                          "liquidated debt (USD)", "bad debt (USD)",
                          "Liquidation map: debt crossing per WETH price bucket", "aave-v3", "morpho-blue",
                          "<td>-60.00%</td>"});
}

TEST_CASE("cascade html in Chromium: a single-shock report renders its price path, map and rounds") {
  check_page_in_chromium(render_cascade_html(shock_report()),
                         {"Price path: WETH per round after a -25.00% shock", "market (pools)", "oracle",
                          "Liquidation map", "SLIPPAGE_BPS", "liquidator profit"});
}
