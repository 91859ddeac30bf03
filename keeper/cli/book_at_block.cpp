#include "keeper/cli/book_at_block.hpp"

#include "keeper/book/aave_oracle_reader.hpp"
#include "chain/rpc/endpoint_pool.hpp"
#include "chain/rpc/http_transport.hpp"
#include "config/load_config.hpp"
#include "keeper/book/book_loader.hpp"
#include "keeper/cli/progress_line.hpp"

#include <unistd.h>

#include <cstdio>

namespace sluice::cli {

namespace {

/// PoolAddressesProvider.getPriceOracle() at `block` (keeper/book/aave_oracle_reader.hpp), or a CliError.
Address read_aave_oracle(rpc::SyncClient& sync, const Address& provider, std::uint64_t block,
                         const std::string& prefix) {
  auto oracle = sync.run([&](rpc::Client& c) { return keeper::read_aave_oracle(c, provider, block); });
  if (!oracle) throw CliError(prefix + oracle.error());
  return *oracle;
}

}  // namespace

std::shared_ptr<rpc::Transport> transport_for(const config::ChainConfig& chain) {
  std::vector<std::shared_ptr<rpc::Transport>> endpoints;
  for (const auto& url : chain.rpc_http) endpoints.push_back(std::make_shared<rpc::HttpTransport>(url));
  if (endpoints.size() == 1) return endpoints.front();
  return std::make_shared<rpc::EndpointPool>(std::move(endpoints));
}

keeper::BookSource book_source_from_config(const config::KeeperConfig& config, std::optional<Address> aave_oracle) {
  keeper::BookSource source;
  if (config.aave) {
    const auto& a = *config.aave;
    source.aave = keeper::AaveSource{a.pool, a.oracle.value_or(aave_oracle.value_or(Address{})), a.start_block};
  }
  if (config.morpho) {
    const auto& m = *config.morpho;
    source.morpho = keeper::MorphoSource{m.morpho, m.markets, m.start_block};
  }
  for (const auto& t : config.tokens) source.tokens.push_back({t.symbol, t.address, t.usd_feed});
  return source;
}

config::KeeperConfig load_config_or_fail(const std::string& path) {
  auto loaded = config::load_keeper_config(path);
  if (!loaded) throw CliError(loaded.error().describe());
  return std::move(*loaded);
}

BookAtBlock load_book_at_block(rpc::SyncClient& sync, const config::KeeperConfig& cfg,
                               std::optional<std::uint64_t> block_arg, std::string_view command) {
  const std::string prefix = std::string(command) + ": ";
  const std::uint64_t node_chain = rpc_or_fail(sync.chain_id(), prefix + "cannot reach the node");
  if (node_chain != cfg.chain.chain_id)
    throw CliError(prefix + "the node reports chain id " + std::to_string(node_chain) + ", " +
                   cfg.source.string() + " expects " + std::to_string(cfg.chain.chain_id));
  const std::uint64_t head = rpc_or_fail(sync.block_number(), prefix + "cannot reach the node");
  const std::uint64_t block = block_arg.value_or(head);
  if (block > head)
    throw CliError(prefix + "--block " + std::to_string(block) + " is in the future (the node's head is " +
                   std::to_string(head) + ")");

  std::optional<Address> oracle;
  if (cfg.aave && !cfg.aave->oracle) oracle = read_aave_oracle(sync, cfg.aave->pool_addresses_provider, block, prefix);

  ProgressLine progress(::isatty(STDERR_FILENO) == 1);
  keeper::LoaderOptions options;
  options.progress = [&progress](std::string_view stage, std::uint64_t done, std::uint64_t total) {
    const std::string text = progress.update(stage, done, total);
    if (!text.empty()) std::fputs(text.c_str(), stderr);
  };
  keeper::BookLoader loader(sync.client(), book_source_from_config(cfg, oracle), std::move(options));
  BookAtBlock out;
  out.block = block;
  auto stats = sync.run([&](rpc::Client&) { return loader.load(out.book, block); });
  std::fputs(progress.finish().c_str(), stderr);
  rpc_or_fail(std::move(stats), prefix + "loading the position book at block " + std::to_string(block));
  return out;
}

}  // namespace sluice::cli
