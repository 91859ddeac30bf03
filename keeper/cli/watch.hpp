#pragma once
/// `sluice chain watch`: follow a node's chain head and print one JSON line per head and per log.
/// Output lines (one JSON object each, stdout, flushed per line; diagnostics go to stderr):
///   {"type":"head","number":N,"hash":"0x..","parentHash":"0x..","baseFeePerGas":N|null}
///   {"type":"log","blockNumber":N,"logIndex":i,"transactionHash":"0x..","address":"0x..","topics":[..],
///    "data":"0x..","removed":false}
/// A block's logs follow its head line. Quantities are decimal JSON integers (exact, whatever their size).

#include "chain/rpc/block_follower.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::cli {

struct WatchConfig {
  std::vector<std::string> rpc_urls;
  bool logs = false;
  std::vector<std::string> addresses;
  std::vector<std::string> topics;  ///< one per position: "0x..", "a,b" (any of), or "null" / "*" (wildcard)
  std::optional<std::uint64_t> from_block;
  std::optional<std::uint64_t> until_block;  ///< exit 0 once this block (and its logs) is printed
  std::uint64_t poll_interval_ms = 500;
};

/// The JSON line (without newline) for a head / a log.
std::string head_json_line(const rpc::BlockHeader& head);
std::string log_json_line(const rpc::Log& log);

/// Checks the arguments and turns them into follower options; throws CliError naming what was wrong.
rpc::FollowerOptions watch_options(const WatchConfig& config);

/// Runs the watch until SIGINT/SIGTERM (or `until_block`): prints items to stdout, diagnostics to stderr.
/// On a clean stop it ends the process with exit code 0 itself (so that a late second signal cannot kill it;
/// see watch.cpp); on failure it throws CliError.
[[noreturn]] void run_watch(const WatchConfig& config);

}  // namespace sluice::cli
