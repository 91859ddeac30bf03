#pragma once
/// `sluice run`: the daemon. Watcher (heads + logs through rpc::BlockFollower, WebSocket when configured, gap
/// backfill) -> strategy (book update through BookLoader, plan::plan_block) -> executor, over a queue that never
/// drops a head or a log: when the strategy falls behind, the blocks waiting are applied together (every log, in
/// order) and decided once at the newest.
///
/// Start: config checked, the node's chain id compared with [chain] chain_id (refused on a mismatch: never sign
/// for another chain), signer key loaded, journal opened (bound to chain id and signer), executor started
/// (nonce sync, open transactions resumed), book loaded at the head, metrics server bound.
/// SIGTERM/SIGINT: stop taking new work, keep tracking in-flight transactions for up to `drain_blocks` blocks,
/// then leave the rest to the journal and exit 0.
#include "config/keeper_config.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace sluice::keeper {

struct DaemonOptions {
  bool dry_run = false;
  /// Exit (as on SIGTERM) once this block is processed (tests, demo).
  std::optional<std::uint64_t> until_block;
  std::uint32_t drain_blocks = 3;
  /// Also write every executor event as a JSON line here (the demo's live view, tests); empty: none.
  std::string events_path;
};

/// Runs until a signal or `until_block`. Returns the process exit code (0 on a clean stop); start-up failures
/// are thrown as cli::CliError with the reason (chain id mismatch, key file permissions, journal of another
/// signer, ...).
int run_daemon(const config::KeeperConfig& config, const DaemonOptions& options);

}  // namespace sluice::keeper
