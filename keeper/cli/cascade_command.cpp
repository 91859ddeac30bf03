#include "keeper/cli/cascade_command.hpp"

#include "keeper/book/pool_reader.hpp"
#include "keeper/cli/cascade_args.hpp"
#include "keeper/cli/book_at_block.hpp"
#include "keeper/cli/cascade_html.hpp"
#include "keeper/cli/cascade_report.hpp"
#include "keeper/cli/cli_error.hpp"
#include "strategy/risk/cascade.hpp"
#include "strategy/risk/clusters.hpp"
#include "strategy/risk/numeric.hpp"
#include "strategy/risk/oracle_coupling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

namespace sluice::cli {

namespace {

/// Buckets of the liquidation map.
constexpr std::size_t kMapBuckets = 30;

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

risk::CouplingSpec parse_coupling_arg(const std::string& text) {
  auto spec = risk::parse_coupling(text);
  if (!spec)
    throw CliError("--coupling " + in_quotes(text) + ": " + spec.error().message() +
                   " (expected none, full, lag:K or deviation:X[:H])");
  return *spec;
}

/// The config's token `symbol`, given to `option` (--asset, --beta); a CliError listing the known ones otherwise.
const config::TokenConfig& config_token(const config::KeeperConfig& cfg, const std::string& symbol,
                                        const char* option) {
  if (const config::TokenConfig* t = cfg.token(symbol)) return *t;
  std::string known;
  for (const auto& t : cfg.tokens) known += (known.empty() ? "" : ", ") + t.symbol;
  throw CliError(std::string(option) + " " + in_quotes(symbol) + ": not a token of " + cfg.source.string() +
                 " (its [tokens]: " + (known.empty() ? std::string("none") : known) + ")");
}

/// The --beta arguments, each a token of the config other than the shocked one (`shocked`), none given twice.
std::vector<BetaSpec> parse_betas(const std::vector<std::string>& texts, const config::KeeperConfig& cfg,
                                  const config::TokenConfig& shocked) {
  std::vector<BetaSpec> out;
  std::vector<Address> seen;
  for (const auto& text : texts) {
    BetaSpec spec = parse_beta(text);
    const Address address = config_token(cfg, spec.symbol, "--beta").address;
    if (address == shocked.address)
      throw CliError("cascade: --beta " + spec.symbol + ": the shocked asset itself (its beta is 1)");
    if (std::find(seen.begin(), seen.end(), address) != seen.end())
      throw CliError("cascade: --beta " + spec.symbol + " given twice");
    seen.push_back(address);
    out.push_back(std::move(spec));
  }
  return out;
}

/// The betas as the engine takes them: each token must be an asset of the book.
std::vector<std::pair<book::AssetId, double>> resolve_betas(const std::vector<BetaSpec>& specs,
                                                            const config::KeeperConfig& cfg,
                                                            const book::PositionBook& book) {
  std::vector<std::pair<book::AssetId, double>> out;
  for (const auto& spec : specs) {
    const Address address = config_token(cfg, spec.symbol, "--beta").address;
    const auto id = book.find_asset(address);
    if (!id)
      throw CliError("cascade: --beta " + spec.symbol + " (" + to_checksum(address) +
                     ") is not an asset of any configured market");
    out.emplace_back(*id, spec.beta);
  }
  return out;
}

/// The configured Uniswap v2 pools at `block` (keeper/book/pool_reader.hpp), or a CliError.
std::vector<risk::Pool> read_pools(rpc::SyncClient& sync, const config::KeeperConfig& cfg,
                                   const book::PositionBook& book, std::uint64_t block) {
  auto pools = sync.run([&](rpc::Client& client) { return keeper::read_pools(client, cfg, book, block); });
  if (!pools) throw CliError("cascade: " + pools.error());
  return std::move(*pools);
}

void write_file(const std::string& path, const std::string& text, const char* option) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file) file.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (file) file.close();
  if (!file)
    throw CliError(std::string("cascade: cannot write the ") + option + " file " + path + ": " + std::strerror(errno));
}

template <class T>
T engine_or_fail(Result<T> result, const std::string& asset) {
  if (!result) throw CliError("cascade: " + asset + ": " + result.error().message());
  return std::move(*result);
}

}  // namespace

void run_cascade(const CascadeArgs& args) {
  // Everything that can be checked without the node first, so bad input fails fast.
  const config::KeeperConfig cfg = load_config_or_fail(args.config_path);
  if (args.shock.has_value() == args.grid.has_value())
    throw CliError("cascade: give exactly one of --shock (e.g. -20%) and --grid (e.g. 0:-60:0.5)");
  std::optional<double> shock;
  std::optional<GridSpec> grid;
  if (args.shock) shock = parse_shock(*args.shock);
  if (args.grid) grid = parse_grid(*args.grid);
  const risk::CouplingSpec coupling = parse_coupling_arg(args.coupling);
  std::optional<VenueSpec> venue;
  if (args.venue) venue = parse_venue(*args.venue);
  const config::TokenConfig& token = config_token(cfg, args.asset, "--asset");
  const std::vector<BetaSpec> beta_specs = parse_betas(args.betas, cfg, token);

  rpc::SyncClient sync(transport_for(cfg.chain));
  const BookAtBlock loaded = load_book_at_block(sync, cfg, args.block, "cascade");
  const book::PositionBook& book = loaded.book;
  const std::optional<book::AssetId> asset = book.find_asset(token.address);
  if (!asset)
    throw CliError("cascade: --asset " + args.asset + " (" + to_checksum(token.address) +
                   ") is not an asset of any configured market");
  const auto betas = resolve_betas(beta_specs, cfg, book);

  risk::MarketModel model;
  model.pools = read_pools(sync, cfg, book, loaded.block);
  model.coupling = coupling;
  if (venue) {
    model.venue = risk::SqrtLawParams{venue->y, venue->sigma_daily, venue->volume_daily, 2.0 / 3};
    model.venue_share = venue->share;
  }
  // Seized collateral is sold into the pools where it is the base ("WETH/USDC": WETH is sold for USDC), as a
  // liquidator (and the devnet's competitor) does; a seized quote asset (USDC) is kept.
  model.sell_for = keeper::sell_for_from_pool_names(cfg, book);
  model.sell_only_listed = true;

  CascadeReport report;
  report.asset = args.asset;
  report.decimals = book.asset(*asset).decimals;
  report.block = loaded.block;
  report.coupling = risk::to_string(coupling);
  for (const auto& spec : beta_specs) report.betas.emplace_back(spec.symbol, spec.beta);
  double floor_price = 0.0;
  if (shock) {
    report.single = engine_or_fail(risk::simulate_cascade(book, model, risk::Shock{*asset, *shock, betas}), args.asset);
    floor_price = std::min(report.single->shocked_price, report.single->final_price) * 0.9;
  } else {
    const unsigned threads = args.threads.value_or(std::max(1u, std::thread::hardware_concurrency()));
    report.grid =
        engine_or_fail(risk::cascade_grid(book, model, *asset, grid->from, grid->to, grid->step, threads, betas),
                       args.asset);
    floor_price = report.grid.empty() ? 0.0 : report.grid.front().initial_price * (1.0 + std::min(grid->from, grid->to));
  }
  const std::optional<double> current = risk::asset_price_usd(book, *asset);
  if (current && *current > 0.0) {
    floor_price = std::clamp(floor_price, 0.0, *current * (1.0 - 1.0 / kMapBuckets));
    auto map = risk::liquidation_map(book, *asset, (1.0 - floor_price / *current) / kMapBuckets, floor_price);
    if (!map) throw CliError("cascade: liquidation map of " + args.asset + ": " + map.error().message());
    report.map = std::move(*map);
  }

  const std::string text = render_cascade_text(report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  if (args.json_path) write_file(*args.json_path, render_cascade_json(report), "--json");
  if (args.html_path) write_file(*args.html_path, render_cascade_html(report), "--html");
}

void add_cascade_command(CLI::App& app) {
  auto args = std::make_shared<CascadeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "cascade",
      "Predict a liquidation cascade from the position book and the Uniswap v2 pools: the rounds after one shock "
      "of an asset's price, or the cascade curve over a grid of shocks");
  cmd->add_option("--config", args->config_path, "keeper config (TOML; see config/mainnet.example.toml)")->required();
  cmd->add_option("--block", args->block, "block to read the state at (default: the node's latest)");
  cmd->add_option("--asset", args->asset, "symbol of the shocked asset, from the config's [tokens] (e.g. WETH)")
      ->required();
  auto* shock = cmd->add_option("--shock", args->shock, "one shock: -20% (percent) or -0.2 (fraction)");
  auto* grid = cmd->add_option("--grid", args->grid, "a grid of shocks FROM:TO:STEP in percent, e.g. 0:-60:0.5");
  shock->excludes(grid);
  cmd->add_option("--coupling", args->coupling,
                  "how the oracle follows the market: full (default), none, lag:K (blocks), deviation:X[:H] "
                  "(percent, heartbeat blocks)");
  cmd->add_option("--venue", args->venue,
                  "off-chain venue term Y:SIGMA:VOLUME[:SHARE]: square-root-law impact Y sigma sqrt(Q/V) on the "
                  "share of each sale sold there (default 0.5); its permanent part (2/3) moves the oracle too");
  cmd->add_option("--beta", args->betas,
                  "another asset moving with the shocked one, SYMBOL=BETA (repeatable): its oracle moves by BETA "
                  "times the shock (default: other prices fixed)");
  cmd->add_option("--json", args->json_path, "also write the report as JSON to this file");
  cmd->add_option("--html", args->html_path, "also write a self-contained HTML report (inline SVG) to this file");
  cmd->add_option("--threads", args->threads,
                  "threads for a grid's points, 1-1024 (default: every core; the results are the same)")
      ->check(CLI::Range(1u, 1024u));
  cmd->callback([args] { run_cascade(*args); });
}

}  // namespace sluice::cli
