#pragma once
/// `sluice scan --config <file> [--block N] [--json] [--min-hf X] [--max-hf Y]`: discovers every position of the
/// configured protocols from their start blocks, reads all state at one block, and prints the position book sorted
/// by health factor (see keeper/cli/scan_report.hpp for the output). Progress goes to stderr.
/// Errors (one line, exit 2): unreadable or invalid config, unreachable node (naming the RPC method and URL),
/// a chain id other than the config's, --block past the node's head.


#include <CLI/CLI.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace sluice::cli {

struct ScanArgs {
  std::string config_path;
  std::optional<std::uint64_t> block;  ///< default: the node's latest block
  bool json = false;
  double min_hf = 0.0;
  double max_hf = std::numeric_limits<double>::infinity();
};

/// Loads the book and prints the report (stdout) with progress (stderr); throws CliError on failure.
void run_scan(const ScanArgs& args);

/// Registers `scan` on the top-level app.
void add_scan_command(CLI::App& app);

}  // namespace sluice::cli
