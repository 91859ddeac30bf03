#pragma once
/// `sluice cascade --config <file> [--block N] --asset SYMBOL (--shock -20% | --grid FROM:TO:STEP)
///  [--coupling full|none|lag:K|deviation:X[:H]] [--beta SYMBOL=B]... [--json FILE] [--html FILE]`: loads the position book at a block
/// (as `sluice scan`), reads the configured Uniswap v2 pools at that block, runs the cascade engine
/// (strategy/risk/cascade.hpp) for one shock or a grid of shocks of one asset's price, and prints the round table
/// or the cascade curve (keeper/cli/cascade_report.hpp); `--json` and `--html` also write the report to files.
/// Bad input (exit 2, one line): as `scan`, plus an unknown asset, a malformed shock, grid or coupling, an asset
/// no configured pool trades, a file that cannot be written.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::cli {

struct CascadeArgs {
  std::string config_path;
  std::optional<std::uint64_t> block;
  std::string asset;
  std::optional<std::string> shock;
  std::optional<std::string> grid;
  std::string coupling = "full";
  std::optional<std::string> venue;
  std::vector<std::string> betas;  ///< "SYMBOL=BETA" (--beta, repeatable)
  std::optional<std::string> json_path;
  std::optional<std::string> html_path;
  /// Threads for a grid's points (the same results whatever the count); unset: every core the machine has.
  std::optional<unsigned> threads;
};

/// Validates the arguments, loads the book and the pools, runs the engine, prints and writes the report; throws
/// CliError on failure.
void run_cascade(const CascadeArgs& args);

/// Registers `cascade` on the top-level app.
void add_cascade_command(CLI::App& app);

}  // namespace sluice::cli
