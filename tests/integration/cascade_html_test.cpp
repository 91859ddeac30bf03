// `sluice cascade --html` in a real browser: the renderer's page (from hand-built engine results, so no devnet or
// engine is needed) is opened in Debian's headless Chromium, which takes a screenshot. The page must load without
// any console message (the page has no scripts, so any message is an error: a script, a blocked or missing
// resource), render its two charts and tables (DOM dumped by Chromium), and give a non-trivial PNG of the
// requested size. Chromium prints console messages on stderr with --enable-logging=stderr as
//   [pid:tid:time:INFO:CONSOLE:1] "Uncaught ReferenceError: f is not defined", source: file:///... (1)
// (checked below on a page with a deliberate error, so the detector itself is tested).
// Chromium is installed by scripts/setup (Debian package `chromium`); without it this test fails, never skips.

#include "keeper/cli/cascade_html.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::cli;
using namespace sluice::test;
namespace fs = std::filesystem;

namespace {

const char* kChromium = "/usr/bin/chromium";

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sluice-html-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Chromium headless on `page`, with its own profile directory; `mode` is --screenshot=<png> or --dump-dom.
ProcessResult chromium(const TempDir& dir, const fs::path& page, const std::string& mode) {
  return run_process({"timeout", "120", kChromium, "--headless", "--disable-gpu", "--no-sandbox",
                      "--user-data-dir=" + (dir.path / "profile").string(), "--enable-logging=stderr", "--v=0",
                      "--window-size=1200,1600", mode, "file://" + page.string()});
}

/// Console lines Chromium logged (":CONSOLE" at any level, or an uncaught exception).
std::vector<std::string> console_lines(const std::string& stderr_text) {
  std::vector<std::string> lines;
  std::istringstream in(stderr_text);
  for (std::string line; std::getline(in, line);)
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos)
      lines.push_back(line);
  return lines;
}

std::uint32_t be32(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

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

void check_page(const std::string& html, const std::vector<std::string>& expected_in_dom) {
  REQUIRE_MESSAGE(fs::exists(kChromium), "Chromium is missing: run scripts/setup (it installs Debian's chromium)");
  TempDir dir;
  const fs::path page = dir.path / "cascade.html";
  const fs::path png = dir.path / "cascade.png";
  write(page, html);

  const ProcessResult shot = chromium(dir, page, "--screenshot=" + png.string());
  INFO("chromium stderr: " << shot.err);
  REQUIRE(shot.exit_code == 0);
  CHECK(console_lines(shot.err).empty());
  REQUIRE(fs::exists(png));
  const std::string bytes = read(png);
  // A PNG: signature, then the IHDR chunk with the window's size. A blank 1200x1600 page compresses to a few
  // kB; the charts and tables make it far larger.
  REQUIRE(bytes.size() > 33);
  CHECK(bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  CHECK(bytes.compare(12, 4, "IHDR") == 0);
  CHECK(be32(bytes, 16) == 1200);
  CHECK(be32(bytes, 20) == 1600);
  CHECK(bytes.size() > 40'000);

  const ProcessResult dom = chromium(dir, page, "--dump-dom");
  REQUIRE(dom.exit_code == 0);
  CHECK(console_lines(dom.err).empty());
  for (const auto& text : expected_in_dom) CHECK_MESSAGE(dom.out.find(text) != std::string::npos, text);
}

}  // namespace

TEST_CASE("cascade html in Chromium: the console detector sees a deliberate error") {
  REQUIRE_MESSAGE(fs::exists(kChromium), "Chromium is missing: run scripts/setup (it installs Debian's chromium)");
  TempDir dir;
  const fs::path page = dir.path / "broken.html";
  write(page, "<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction();</script></body></html>");
  const ProcessResult r = chromium(dir, page, "--dump-dom");
  const auto lines = console_lines(r.err);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("Uncaught ReferenceError: undefinedFunction is not defined") != std::string::npos);
}

TEST_CASE("cascade html in Chromium: a grid report renders its curve, map and table without console errors") {
  check_page(render_cascade_html(grid_report()),
             {"<svg", "Cascade curve: WETH shock vs liquidated debt and bad debt", "liquidated debt (USD)",
              "bad debt (USD)", "Liquidation map: debt crossing per WETH price bucket", "aave-v3", "morpho-blue",
              "<td>-60.00%</td>"});
}

TEST_CASE("cascade html in Chromium: a single-shock report renders its price path, map and rounds") {
  check_page(render_cascade_html(shock_report()),
             {"Price path: WETH per round after a -25.00% shock", "market (pools)", "oracle", "Liquidation map",
              "SLIPPAGE_BPS", "liquidator profit"});
}
