#pragma once
/// `sluice cascade`'s text and JSON output, as pure functions of the engine's results (strategy/risk/cascade.hpp).
///
/// One shock: a header line, the round table, then the totals:
///   cascade: WETH -25.00% at block 120, coupling full: 3000.00 -> 2250.00 USD
///   ROUND  LIQUIDATIONS  DEBT_REPAID_USD  SOLD_WETH  SOLD_USD  MARKET_BEFORE  MARKET_AFTER  ORACLE  SLIPPAGE_BPS
///   (columns right-aligned, two spaces apart, each as wide as its widest cell)
///   (one row per round; ORACLE is the oracle price the protocols used in the round)
///   rounds / liquidations / debt repaid / collateral sold / final price / slippage cost / liquidator profit /
///   bad debt / toxic liquidations, one per line; "round limit reached" when the cascade was cut by it.
/// A grid: a header line, then the cascade curve, one row per shock:
///   SHOCK  PRICE  LIQUIDATIONS  LIQUIDATED_USD  FINAL_PRICE  SLIPPAGE_USD  BAD_DEBT_USD  ROUNDS
/// USD amounts have 2 decimals, prices 2 decimals, shocks 2 decimals of a percent, bps 1 decimal.
///
/// JSON (schema documented in README.md, "sluice cascade"): one object with `asset`, `block`, `coupling`, `mode`
/// ("shock" or "grid"), then for a shock `shock`, `initial_price`, `shocked_price`, `rounds` [...] and `totals`
/// {...}; for a grid `points` [...]; and `liquidation_map` {...} in both.

#include "strategy/risk/cascade.hpp"
#include "strategy/risk/clusters.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::cli {

/// Everything a cascade report shows.
struct CascadeReport {
  std::string asset;               ///< symbol of the shocked asset
  std::uint8_t decimals = 18;      ///< its ERC-20 decimals (collateral sold in whole tokens)
  std::uint64_t block = 0;         ///< the book's block
  std::string coupling = "full";   ///< risk::to_string of the coupling
  std::vector<std::pair<std::string, double>> betas;  ///< other assets moved with it: symbol, beta (--beta)
  std::optional<risk::CascadeResult> single;  ///< one shock (--shock) ...
  std::vector<risk::CascadeResult> grid;      ///< ... or the grid's points, in grid order (--grid)
  risk::LiquidationMap map;  ///< strategy/risk/clusters.hpp
};

/// A table as cells, shared by the text and HTML renderers.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
/// The round table of one cascade (columns as above).
Table round_table(const risk::CascadeResult& result, const std::string& asset, std::uint8_t decimals);
/// The cascade curve of a grid (columns as above).
Table curve_table(const std::vector<risk::CascadeResult>& grid);
/// The totals of one cascade as (label, value) lines.
std::vector<std::pair<std::string, std::string>> cascade_totals(const risk::CascadeResult& result);
/// The report's one-line description: "WETH -25.00% at block 120, coupling full" (a grid: "WETH 121 shocks from
/// 0.00% to -60.00% at block 120, coupling full"), then the betas if any (", betas WBTC=0.8 wstETH=1").
std::string describe_cascade(const CascadeReport& report);
/// Right-aligned columns two spaces apart, each as wide as its widest cell.
std::string format_table(const Table& table);

/// The text for stdout (newline-terminated).
std::string render_cascade_text(const CascadeReport& report);
/// The JSON document (newline-terminated).
std::string render_cascade_json(const CascadeReport& report);

/// Number formats shared by the text, JSON and HTML reports. Non-finite values print as "-" (text) or null (JSON).
std::string format_usd(double usd);                ///< "1234.56"
std::string format_percent(double fraction);       ///< -0.25 -> "-25.00%"
std::string json_number(double value, int decimals);  ///< fixed decimals, "null" when not finite

}  // namespace sluice::cli
