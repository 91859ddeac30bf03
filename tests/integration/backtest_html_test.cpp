// `sluice backtest --html` in a real browser: the page of a hand-built report (tests/support/backtest_fixture.hpp,
// so no devnet or engine is needed) opened in Debian's headless Chromium (tests/support/chromium_page.hpp). It
// must load without any console message, give a non-trivial PNG of the window's size (kept in the build dir as
// backtest_report.png for a look), and its DOM must hold the summary, the four chart sections and the table.

#include "keeper/cli/backtest_html.hpp"
#include "tests/support/backtest_fixture.hpp"
#include "tests/support/chromium_page.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using namespace sluice;
using namespace sluice::test;

TEST_CASE("backtest html in Chromium: summary, price path, liquidations, cascade, PnL and table render cleanly") {
  check_page_in_chromium(
      cli::render_backtest_html(sample_backtest_report()),
      {"Sluice backtest: blocks 100..110 (11 blocks), config sluice.toml", "<td>capture rate</td>",
       "Price path: WETH (USD, end of each block)", "Price path: USDC (USD, end of each block)",
       "Liquidations per block: on chain by outcome, and Sluice", "on-chain captured", "Sluice taken",
       "Predicted vs realized cascade: WETH from block 101", "realized on chain (cumulative)",
       "Cumulative PnL of Sluice", "<th>amounts_equal</th>", "<td>A&lt;&amp;B</td>", "<td>reverted_in_simulation</td>"},
      std::filesystem::path(SLUICE_BINARY_DIR) / "backtest_report.png");
}
