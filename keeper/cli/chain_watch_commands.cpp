#include "keeper/cli/chain_commands.hpp"
#include "keeper/cli/watch.hpp"

#include <cstdlib>
#include <memory>

namespace sluice::cli {

void add_chain_watch_commands(CLI::App& chain) {
  auto config = std::make_shared<WatchConfig>();
  CLI::App* watch = chain.add_subcommand(
      "watch",
      "Follow the chain head: one JSON line per new head (and per matching log with --logs), in chain order, "
      "each exactly once through reconnects and failovers. WebSocket URLs subscribe; HTTP URLs poll.");
  watch->add_option("--rpc", config->rpc_urls, "node URL (ws://, wss://, http://, https://); repeat for failover")
      ->required();
  watch->add_flag("--logs", config->logs, "also print the logs of each block (after its head)");
  watch->add_option("--address", config->addresses, "only logs emitted by this contract (repeatable: any of)");
  watch->add_option("--topic", config->topics,
                    "log topic filter, one per position in order: 0x<32 bytes>, 'A,B' for any of, or null / *");
  watch->add_option("--from-block", config->from_block, "first block to print (default: the next new block)");
  watch->add_option("--until-block", config->until_block, "exit 0 once this block has been printed");
  watch->add_option("--poll-interval-ms", config->poll_interval_ms, "HTTP polling period (default 500)");
  watch->callback([config] { run_watch(*config); });
}

}  // namespace sluice::cli
