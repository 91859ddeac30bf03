#pragma once
/// `sluice backtest --config F --from N --to M [--json F] [--csv F] [--html F] [--address A]
/// [--inventory SYM=AMOUNT]... [--no-simulate] [--cascade-coupling C] [--chunk-blocks K]`: replays blocks N..M of
/// the config's node through the daemon's strategy (keeper/backtest/backtest.hpp), prints the summary to stdout
/// and writes the per-liquidation rows (CSV, JSON) and the HTML report. A progress line with ETA on stderr when it
/// is a terminal. Errors (one line, exit 2): unreadable config, unreachable node, another chain id, --from after
/// --to, --to beyond the node's head, a malformed --address or --inventory, an unknown symbol, an unwritable file.

#include "keeper/backtest/backtest.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sluice::cli {

struct BacktestArgs {
  std::string config_path;
  std::uint64_t from = 0;
  std::uint64_t to = 0;
  std::string json_path, csv_path, html_path;
  std::string address;
  std::vector<std::string> inventory;  ///< SYMBOL=AMOUNT
  bool no_simulate = false;
  std::string cascade_coupling = "full";
  std::uint64_t chunk_blocks = 2000;
};

/// "USDC=250000" -> ("USDC", "250000"); CliError naming the argument when it is not SYMBOL=decimal amount.
std::pair<std::string, std::string> parse_inventory_arg(const std::string& text);

/// Runs the backtest and prints/writes its outputs; throws CliError on failure.
void run_backtest_command(const BacktestArgs& args);

/// Registers `backtest` on the top-level app.
void add_backtest_command(CLI::App& app);

}  // namespace sluice::cli
