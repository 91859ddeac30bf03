#pragma once
/// `sluice backtest`'s text, CSV and JSON output: pure functions of a `backtest::Report`
/// (strategy/backtest/report.hpp). Nothing here reads the clock, the locale or the machine: one report gives the
/// same bytes on every run.
///
/// Number formats.
/// - Text (summary, HTML): USD with 2 decimals, percentages with 2 decimals, "-" for a non-finite value.
/// - CSV and JSON: every double in the shortest decimal that reads back to the same double (fmt's "{}",
///   locale-independent: 1234.5, 0.001, 1e+21), never NaN or infinite (JSON null; CSV empty field); U256 amounts
///   as native-unit decimal integers (JSON strings, "1500000000"); addresses EIP-55; hashes and Morpho market ids
///   0x-prefixed lowercase hex.
///
/// CSV: RFC 4180 (comma-separated, "\n"-terminated lines, a field quoted with doubled quotes when it holds a
/// comma, a quote, CR or LF); a header line, then one line per `LiquidationRow` in the report's order, with the
/// columns of `kCsvColumns`; absent optionals give empty fields.
///
/// JSON: one object, newline-terminated:
///   {"config":"sluice.toml","price_assets":["WETH","USDC"],
///    "summary":{"from_block":..,"to_block":..,"blocks":..,...,"missed_by_reason":{"not_seen":1},
///               "lead_min":1|null,"lead_median":2|null,"lead_max":3|null,...},
///    "rows":[{"outcome":"captured","reason":"","lead_blocks":2|null,"same_state":true,"amounts_equal":true,
///             "actual":{"block":..,"log_index":..,"tx":"0x..","liquidator":"0x..","protocol":"aave-v3",
///                       "account":"0x..","market":"0x.."|null,"collateral":"WETH","collateral_token":"0x..",
///                       "debt":"USDC","debt_token":"0x..","debt_repaid":"..","collateral_seized":"..",
///                       "bad_debt":"..","repaid_usd":..,"seized_usd":..,"bad_debt_usd":..}|null,
///             "sluice":{"decided_block":..,"protocol":..,"account":..,"market":..,"collateral":..,
///                       "collateral_token":..,"debt":..,"debt_token":..,"debt_to_cover":"..",
///                       "morpho_seized_assets":"..","morpho_repaid_shares":"..","expected_debt_repaid":"..",
///                       "expected_collateral_seized":"..","simulated":true,"reverted":false,
///                       "revert_reason":"","debt_repaid":"..","collateral_seized":"..","repaid_usd":..,
///                       "seized_usd":..,"gas_usd":..,"slippage_usd":..,"profit_usd":..}|null,
///             "sluice_at_event":{same fields as "sluice"}|null}, ...],
///    "blocks":[{"block":..,"timestamp":..,"base_fee":"..","prices_usd":[3000,1],"liquidatable":..,
///               "sluice_taken":..,"actual":..,"actual_repaid_usd":..,"sluice_repaid_usd":..,
///               "cumulative_pnl_usd":..}, ...],
///    "cascade":{"ran":true,"start_block":..,"asset":"WETH","start_price_usd":..,"min_price_usd":..,
///               "coupling":"full","co_moves":"WETH x0.64","predicted_liquidated_usd":..,
///               "predicted_final_price_usd":..,
///               "predicted_liquidations":..,"path_predicted_liquidated_usd":..,"path_predicted_positions":..,
///               "realized_liquidated_usd":..,"realized_liquidations":..,"realized_positions":..,
///               "points":[{"block":..,"drawdown_pct":..,"predicted_liquidated_usd":..,
///                          "realized_liquidated_usd":..}, ...]}}
/// Rows, blocks and points are one per line.

#include "keeper/cli/cascade_report.hpp"
#include "strategy/backtest/report.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace sluice::cli {

/// The CSV header, in order.
inline constexpr std::array<const char*, 27> kCsvColumns{
    "outcome", "reason", "block", "log_index", "tx", "liquidator", "protocol", "account", "market", "collateral",
    "debt", "actual_debt_repaid", "actual_collateral_seized", "actual_repaid_usd", "sluice_decided_block",
    "lead_blocks", "sluice_debt_repaid", "sluice_collateral_seized", "sluice_profit_usd", "sluice_gas_usd",
    "sluice_slippage_usd", "sluice_reverted", "revert_reason", "at_event_debt_repaid", "at_event_collateral_seized",
    "same_state", "amounts_equal"};

/// A double for CSV and JSON: the shortest round-trip decimal ("1234.5", "1e+21"); "null" when not finite.
std::string backtest_number(double value);

/// The symbol the report knows for `token`, else its EIP-55 address.
std::string token_label(const backtest::Report& report, const Address& token);

/// "blocks 100..220 (121 blocks), config sluice.toml" (no config part when the name is empty).
std::string describe_backtest(const backtest::Report& report);

/// The summary as (label, value) lines, shared by the text summary and the HTML summary table.
std::vector<std::pair<std::string, std::string>> backtest_summary_lines(const backtest::Report& report);

/// The per-liquidation table: the CSV's columns (`kCsvColumns`) and cells (unquoted), one row per
/// `LiquidationRow`. The HTML table shows a subset of its columns.
Table liquidation_table(const backtest::Report& report);

/// The terminal summary (newline-terminated): a header line, then one aligned "label  value" line each.
std::string backtest_summary_text(const backtest::Report& report);
/// The CSV document (see above).
std::string backtest_csv(const backtest::Report& report);
/// The JSON document (see above).
std::string backtest_json(const backtest::Report& report);

}  // namespace sluice::cli
