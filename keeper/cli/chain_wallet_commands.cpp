#include "keeper/cli/chain_commands.hpp"

namespace sluice::cli {

void add_chain_wallet_commands(CLI::App& /*chain*/) {}

}  // namespace sluice::cli
