#include "keeper/cli/chain_commands.hpp"

namespace sluice::cli {

void add_chain_abi_commands(CLI::App& /*chain*/) {}

}  // namespace sluice::cli
