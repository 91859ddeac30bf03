#include "keeper/cli/backtest_command.hpp"

#include "chain/decimal_amount.hpp"
#include "keeper/cli/backtest_html.hpp"
#include "keeper/cli/backtest_report.hpp"
#include "keeper/cli/book_at_block.hpp"
#include "keeper/cli/cli_error.hpp"
#include "keeper/cli/progress_line.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>

namespace sluice::cli {

namespace {

void write_file(const std::string& path, const std::string& text, const char* what) {
  if (path.empty()) return;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw CliError(std::string("backtest: cannot write the ") + what + " file " + path);
}

}  // namespace

std::pair<std::string, std::string> parse_inventory_arg(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || !is_decimal_amount(std::string_view(text).substr(eq + 1)))
    throw CliError("--inventory '" + text + "': expected SYMBOL=AMOUNT in whole tokens (e.g. USDC=250000)");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

void run_backtest_command(const BacktestArgs& args) {
  const config::KeeperConfig cfg = load_config_or_fail(args.config_path);
  if (args.from == 0) throw CliError("backtest: --from must be at least 1 (the book is loaded at --from - 1)");
  if (args.from > args.to)
    throw CliError("backtest: --from " + std::to_string(args.from) + " is after --to " + std::to_string(args.to));
  if (args.chunk_blocks == 0) throw CliError("backtest: --chunk-blocks must be at least 1");

  keeper::BacktestOptions options;
  options.from_block = args.from;
  options.to_block = args.to;
  options.simulate = !args.no_simulate;
  options.cascade_coupling = args.cascade_coupling;
  options.chunk_blocks = args.chunk_blocks;
  if (!args.address.empty()) {
    auto address = parse_address(args.address);
    if (!address) throw CliError("backtest: --address '" + args.address + "': " + address.error().message());
    options.keeper = *address;
  }
  for (const std::string& item : args.inventory) {
    auto entry = parse_inventory_arg(item);
    if (!cfg.token(entry.first))
      throw CliError("backtest: --inventory " + entry.first + ": unknown symbol (not in [tokens] of " +
                     cfg.source.filename().string() + ")");
    options.inventory.push_back(std::move(entry));
  }

  rpc::SyncClient sync(transport_for(cfg.chain));
  const std::uint64_t node_chain = rpc_or_fail(sync.chain_id(), "backtest: cannot reach the node");
  if (node_chain != cfg.chain.chain_id)
    throw CliError("backtest: the node reports chain id " + std::to_string(node_chain) + ", " + cfg.source.string() +
                   " expects " + std::to_string(cfg.chain.chain_id));
  const std::uint64_t head = rpc_or_fail(sync.block_number(), "backtest: cannot reach the node");
  if (args.to > head)
    throw CliError("backtest: --to " + std::to_string(args.to) + " is beyond the node's head " + std::to_string(head));

  // Wall-clock figures go to stderr only (the report is deterministic): a progress line with ETA on a terminal,
  // and one closing line with the replay rate, the book's load apart (it is one discovery, however long the range).
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  ProgressLine line(terminal);
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  const Clock::time_point began = Clock::now();
  std::optional<Clock::time_point> first_block;
  const keeper::BacktestProgress progress = [&](std::uint64_t done, std::uint64_t total) {
    const Clock::time_point now = Clock::now();
    if (!first_block) first_block = now;  // (0, total): the book is loaded
    if (!terminal) return;
    const double per_block = done > 0 ? seconds(*first_block, now) / static_cast<double>(done) : -1.0;
    const std::string text =
        line.update("backtest: blocks", done, total, per_block >= 0 ? per_block * static_cast<double>(total - done) : -1.0);
    if (!text.empty()) std::fputs(text.c_str(), stderr);
  };
  auto report = sync.run([&](rpc::Client& client) { return keeper::run_backtest(client, cfg, options, progress); });
  std::fputs(line.finish().c_str(), stderr);
  const Clock::time_point ended = Clock::now();
  if (!report) throw CliError("backtest: " + report.error());

  write_file(args.json_path, backtest_json(*report), "JSON");
  write_file(args.csv_path, backtest_csv(*report), "CSV");
  write_file(args.html_path, render_backtest_html(*report), "HTML");
  if (first_block) {
    const double replay = seconds(*first_block, ended);
    const std::uint64_t blocks = args.to - args.from + 1;
    std::fprintf(stderr, "backtest: book loaded in %.2f s; %llu blocks replayed in %.2f s (%.3g blocks/s)\n",
                 seconds(began, *first_block), static_cast<unsigned long long>(blocks), replay,
                 replay > 0 ? static_cast<double>(blocks) / replay : 0.0);
  }
  const std::string summary = backtest_summary_text(*report);
  std::fwrite(summary.data(), 1, summary.size(), stdout);
  std::fflush(stdout);
}

void add_backtest_command(CLI::App& app) {
  auto args = std::make_shared<BacktestArgs>();
  CLI::App* cmd = app.add_subcommand(
      "backtest",
      "Replay historical blocks through the keeper's strategy (the daemon's planner, each decision simulated with "
      "eth_call) and compare with the liquidations that happened: capture rate, lead, PnL after gas, cascade check");
  cmd->add_option("--config", args->config_path, "keeper config (TOML; see config/mainnet.example.toml)")->required();
  cmd->add_option("--from", args->from, "first block replayed (the book is loaded at --from - 1)")->required();
  cmd->add_option("--to", args->to, "last block replayed (inclusive; at most the node's head)")->required();
  cmd->add_option("--json", args->json_path, "write the report (summary, rows, series) as JSON to this file");
  cmd->add_option("--csv", args->csv_path, "write the per-liquidation rows as CSV to this file");
  cmd->add_option("--html", args->html_path, "write the self-contained HTML report to this file");
  cmd->add_option("--address", args->address,
                  "simulate from this address (default: [backtest] address, else [signer] address, else "
                  "0x5100...5100)");
  cmd->add_option("--inventory", args->inventory,
                  "starting inventory SYMBOL=AMOUNT in whole tokens, repeatable; overrides [backtest] inventory per "
                  "symbol (none at all: unlimited inventory)");
  cmd->add_flag("--no-simulate", args->no_simulate, "no eth_call: take the planner's amounts");
  cmd->add_option("--cascade-coupling", args->cascade_coupling,
                  "oracle coupling of the cascade check's prediction (as sluice cascade --coupling; default full)");
  cmd->add_option("--chunk-blocks", args->chunk_blocks, "blocks per eth_getLogs and header batch (default 2000)");
  cmd->callback([args] { run_backtest_command(*args); });
}

}  // namespace sluice::cli
