#include "keeper/cli/run_command.hpp"

#include "keeper/cli/book_at_block.hpp"
#include "keeper/daemon/daemon.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace sluice::cli {

int run_keeper(const RunArgs& args) {
  const config::KeeperConfig cfg = load_config_or_fail(args.config_path);
  keeper::DaemonOptions options;
  options.dry_run = args.dry_run;
  options.until_block = args.until_block;
  options.events_path = args.events_path;
  options.drain_blocks = args.drain_blocks;
  return keeper::run_daemon(cfg, options);
}

void add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run the keeper: follow the node, keep the position book current, decide each block (cascade-aware plan) "
      "and sign, send and track liquidations; SIGTERM/SIGINT drains and exits 0");
  cmd->add_option("--config", args->config_path, "keeper config (TOML; see config/mainnet.example.toml)")->required();
  cmd->add_flag("--dry-run", args->dry_run,
                "everything up to and including simulation and signing; nothing is broadcast (would-be "
                "transactions are journaled, logged and counted)");
  cmd->add_option("--until-block", args->until_block, "stop (as on SIGTERM) once this block is processed");
  cmd->add_option("--events", args->events_path, "also append every executor event to this file as a JSON line");
  cmd->add_option("--drain-blocks", args->drain_blocks,
                  "on a stop, keep tracking in-flight transactions for up to this many blocks (default 3)");
  cmd->callback([args] {
    const int code = run_keeper(*args);
    std::fflush(stdout);
    if (code != 0) std::exit(code);
  });
}

}  // namespace sluice::cli
