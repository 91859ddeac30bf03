#include "keeper/cli/scan_command.hpp"

#include "chain/abi.hpp"
#include "chain/rpc/endpoint_pool.hpp"
#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/sync_client.hpp"
#include "config/load_config.hpp"
#include "keeper/book/book_loader.hpp"
#include "keeper/cli/cli_error.hpp"
#include "keeper/cli/progress_line.hpp"
#include "keeper/cli/scan_report.hpp"
#include "strategy/book/position_book.hpp"

#include <unistd.h>

#include <cstdio>
#include <memory>

namespace sluice::cli {

namespace {

/// One transport over the config's HTTP endpoints (failover pool when there are several).
std::shared_ptr<rpc::Transport> transport_for(const config::ChainConfig& chain) {
  std::vector<std::shared_ptr<rpc::Transport>> endpoints;
  for (const auto& url : chain.rpc_http) endpoints.push_back(std::make_shared<rpc::HttpTransport>(url));
  if (endpoints.size() == 1) return endpoints.front();
  return std::make_shared<rpc::EndpointPool>(std::move(endpoints));
}

template <class T>
T rpc_or_fail(rpc::RpcResult<T> result, const std::string& context) {
  if (!result) throw CliError(context + ": " + result.error().describe());
  return std::move(*result);
}

/// PoolAddressesProvider.getPriceOracle() at `block`.
Address read_aave_oracle(rpc::SyncClient& sync, const Address& provider, std::uint64_t block) {
  const abi::Function f = abi::Function::parse("getPriceOracle()(address)").value();
  rpc::CallRequest request;
  request.to = provider;
  request.data = abi::encode_call(f, {}).value();
  const Bytes data = rpc_or_fail(sync.run([&](rpc::Client& c) { return c.call(request, rpc::BlockTag(block)); }),
                                 "scan: reading the AaveOracle from the PoolAddressesProvider");
  auto decoded = abi::decode_output(f, data);
  if (!decoded || decoded->empty() || !(*decoded)[0].get_if<Address>())
    throw CliError("scan: PoolAddressesProvider " + to_checksum(provider) +
                   " did not answer getPriceOracle() with an address (is [aave] pool_addresses_provider right?)");
  return *(*decoded)[0].get_if<Address>();
}

}  // namespace

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

void run_scan(const ScanArgs& args) {
  auto loaded = config::load_keeper_config(args.config_path);
  if (!loaded) throw CliError(loaded.error().describe());
  const config::KeeperConfig& cfg = *loaded;
  if (args.min_hf > args.max_hf) throw CliError("scan: --min-hf is above --max-hf");

  rpc::SyncClient sync(transport_for(cfg.chain));
  const std::uint64_t node_chain = rpc_or_fail(sync.chain_id(), "scan: cannot reach the node");
  if (node_chain != cfg.chain.chain_id)
    throw CliError("scan: the node reports chain id " + std::to_string(node_chain) + ", " + args.config_path +
                   " expects " + std::to_string(cfg.chain.chain_id));
  const std::uint64_t head = rpc_or_fail(sync.block_number(), "scan: cannot reach the node");
  const std::uint64_t block = args.block.value_or(head);
  if (block > head)
    throw CliError("scan: --block " + std::to_string(block) + " is in the future (the node's head is " +
                   std::to_string(head) + ")");

  std::optional<Address> oracle;
  if (cfg.aave && !cfg.aave->oracle) oracle = read_aave_oracle(sync, cfg.aave->pool_addresses_provider, block);

  ProgressLine progress(::isatty(STDERR_FILENO) == 1);
  keeper::LoaderOptions options;
  options.progress = [&progress](std::string_view stage, std::uint64_t done, std::uint64_t total) {
    const std::string text = progress.update(stage, done, total);
    if (!text.empty()) std::fputs(text.c_str(), stderr);
  };
  keeper::BookLoader loader(sync.client(), book_source_from_config(cfg, oracle), std::move(options));
  book::PositionBook book;
  auto stats = sync.run([&](rpc::Client&) { return loader.load(book, block); });
  std::fputs(progress.finish().c_str(), stderr);
  rpc_or_fail(std::move(stats), "scan: loading the position book at block " + std::to_string(block));

  std::vector<book::Asset> assets;
  for (std::size_t i = 0; i < book.asset_count(); ++i) assets.push_back(book.asset(static_cast<book::AssetId>(i)));
  book::ViewFilter filter;
  filter.min_health_factor = args.min_hf;
  filter.max_health_factor = args.max_hf;
  ScanReportOptions report{args.json, args.min_hf, args.max_hf};
  const std::string out = render_scan(book.view(filter), assets, report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

void add_scan_command(CLI::App& app) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* scan = app.add_subcommand(
      "scan",
      "Discover every Aave v3 and Morpho Blue position of the configured deployments and print them sorted by "
      "health factor (exact protocol math), with liquidation prices and the best liquidation of each "
      "liquidatable one");
  scan->add_option("--config", args->config_path, "keeper config (TOML; see config/mainnet.example.toml)")
      ->required();
  scan->add_option("--block", args->block, "block to read the state at (default: the node's latest)");
  scan->add_flag("--json", args->json, "print a JSON array instead of the table");
  scan->add_option("--min-hf", args->min_hf, "only positions with a health factor >= this");
  scan->add_option("--max-hf", args->max_hf, "only positions with a health factor <= this");
  scan->callback([args] { run_scan(*args); });
}

}  // namespace sluice::cli
