#pragma once
/// What every command that works on the position book does first (`sluice scan`, `sluice cascade`): connect to the
/// config's node, check its chain id, resolve the block (default: the head), and load the book there (discovery
/// from the start blocks, then every state read at that block), with a progress line on stderr.
/// Every failure is a CliError (one line, exit 2) prefixed by the command's name.

#include "chain/rpc/sync_client.hpp"
#include "chain/rpc/transport.hpp"
#include "config/keeper_config.hpp"
#include "keeper/book/book_source.hpp"
#include "keeper/cli/cli_error.hpp"
#include "strategy/book/position_book.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::cli {

/// One transport over the config's HTTP endpoints (a failover pool when there are several).
std::shared_ptr<rpc::Transport> transport_for(const config::ChainConfig& chain);

/// The value of an RPC result, or a CliError "<context>: <the RPC error>".
template <class T>
T rpc_or_fail(rpc::RpcResult<T> result, const std::string& context) {
  if (!result) throw CliError(context + ": " + result.error().describe());
  return std::move(*result);
}

/// The book's sources from a loaded config. `aave_oracle` is the AaveOracle to use when the config names none
/// (read from the PoolAddressesProvider by the caller); tokens keep the config's order.
keeper::BookSource book_source_from_config(const config::KeeperConfig& config,
                                           std::optional<Address> aave_oracle = std::nullopt);

/// A loaded config, or a CliError with the loader's message (`file:line: key: what`).
config::KeeperConfig load_config_or_fail(const std::string& path);

/// The book at one block.
struct BookAtBlock {
  book::PositionBook book;
  std::uint64_t block = 0;
};

/// Checks the node's chain id against `config`, resolves `block` (default: the head; past the head is an error),
/// and loads the book there. `command` prefixes errors ("scan", "cascade").
BookAtBlock load_book_at_block(rpc::SyncClient& sync, const config::KeeperConfig& config,
                               std::optional<std::uint64_t> block, std::string_view command);

}  // namespace sluice::cli
