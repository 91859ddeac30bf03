#include "keeper/cli/chain_commands.hpp"

namespace sluice::cli {

void add_chain_commands(CLI::App& app) {
  CLI::App* chain = app.add_subcommand("chain", "Ethereum toolbox whose output matches Foundry's cast");
  chain->require_subcommand(1);
  add_chain_hash_commands(*chain);
  add_chain_abi_commands(*chain);
  add_chain_rlp_commands(*chain);
  add_chain_wallet_commands(*chain);
  add_chain_watch_commands(*chain);
}

}  // namespace sluice::cli
