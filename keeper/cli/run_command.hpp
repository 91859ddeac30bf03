#pragma once
/// `sluice run --config F [--dry-run] [--until-block N] [--events FILE]`: the keeper daemon (keeper/daemon/
/// daemon.hpp). Follows the node, keeps the book current, decides each block with the planner, and signs, sends
/// and tracks liquidations (with --dry-run: signs and journals them, never broadcasts). SIGTERM/SIGINT: drain and
/// exit 0. Start-up errors (config, chain id mismatch, signer, journal, metrics address) are one line, exit 2.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace sluice::cli {

struct RunArgs {
  std::string config_path;
  bool dry_run = false;
  std::optional<std::uint64_t> until_block;
  std::string events_path;
  std::uint32_t drain_blocks = 3;
};

/// Runs the daemon to its end; returns its exit code.
int run_keeper(const RunArgs& args);

/// Registers `run` on the top-level app.
void add_run_command(CLI::App& app);

}  // namespace sluice::cli
