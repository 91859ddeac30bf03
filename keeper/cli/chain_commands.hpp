#pragma once
/// `sluice chain ...`: a cast-compatible toolbox over the chain library. Each area registers its subcommands.

#include <CLI/CLI.hpp>

namespace sluice::cli {

/// Adds the `chain` subcommand with all of its subcommands to `app`.
void add_chain_commands(CLI::App& app);

void add_chain_hash_commands(CLI::App& chain);    ///< keccak, to-checksum      (keeper/cli/chain_hash_commands.cpp)
void add_chain_abi_commands(CLI::App& chain);     ///< sig, abi-encode, abi-decode (keeper/cli/chain_abi_commands.cpp)
void add_chain_rlp_commands(CLI::App& chain);     ///< to-rlp, from-rlp         (keeper/cli/chain_rlp_commands.cpp)
void add_chain_wallet_commands(CLI::App& chain);  ///< wallet-address, mktx     (keeper/cli/chain_wallet_commands.cpp)
void add_chain_watch_commands(CLI::App& chain);   ///< watch                    (keeper/cli/chain_watch_commands.cpp)

}  // namespace sluice::cli
