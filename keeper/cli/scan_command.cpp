#include "keeper/cli/scan_command.hpp"

#include "keeper/cli/book_at_block.hpp"
#include "keeper/cli/cli_error.hpp"
#include "keeper/cli/scan_report.hpp"
#include "strategy/book/position_book.hpp"

#include <cstdio>
#include <memory>

namespace sluice::cli {

void run_scan(const ScanArgs& args) {
  const config::KeeperConfig cfg = load_config_or_fail(args.config_path);
  if (args.min_hf > args.max_hf) throw CliError("scan: --min-hf is above --max-hf");

  rpc::SyncClient sync(transport_for(cfg.chain));
  const BookAtBlock loaded = load_book_at_block(sync, cfg, args.block, "scan");
  const book::PositionBook& book = loaded.book;

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
