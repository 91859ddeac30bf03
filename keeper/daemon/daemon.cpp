#include "keeper/daemon/daemon.hpp"

#include "chain/rpc/error.hpp"
#include "chain/rpc/http_transport.hpp"
#include "keeper/book/aave_oracle_reader.hpp"
#include "keeper/book/book_loader.hpp"
#include "keeper/book/pool_reader.hpp"
#include "keeper/cli/book_at_block.hpp"
#include "keeper/cli/cli_error.hpp"
#include "keeper/daemon/daemon_json.hpp"
#include "keeper/daemon/run_summary.hpp"
#include "keeper/daemon/strategy_options.hpp"
#include "keeper/daemon/watcher.hpp"
#include "keeper/exec/executor.hpp"
#include "keeper/exec/journal.hpp"
#include "keeper/exec/signer_source.hpp"
#include "keeper/exec/subject.hpp"
#include "keeper/log/logging.hpp"
#include "keeper/metrics/http_server.hpp"
#include "keeper/metrics/keeper_metrics.hpp"
#include "keeper/metrics/registry.hpp"
#include "strategy/plan/fees.hpp"
#include "strategy/plan/planner.hpp"
#include "strategy/risk/cascade.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>

namespace sluice::keeper {

namespace {

using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// HTTP poll period of the follower (WebSocket endpoints push heads; this is their idle safety poll / 4).
constexpr std::chrono::milliseconds kPollInterval{200};
/// While draining: how long to wait for the next block before leaving the rest to the journal.
constexpr std::chrono::seconds kDrainWait{10};

class Daemon {
 public:
  Daemon(asio::io_context& io, const config::KeeperConfig& cfg, const DaemonOptions& options)
      : io_(io), cfg_(cfg), options_(options), metrics_(registry_) {}

  asio::awaitable<int> run();

 private:
  asio::awaitable<void> start();
  asio::awaitable<void> process(const BlockBatch& batch);
  void begin_stop(const std::string& why);
  std::string health() const;
  void write_events(const std::vector<ExecutorEvent>& events);

  asio::io_context& io_;
  const config::KeeperConfig& cfg_;
  const DaemonOptions& options_;
  metrics::Registry registry_;
  metrics::KeeperMetrics metrics_;
  std::unique_ptr<rpc::Client> client_;
  std::uint64_t chain_id_ = 0;
  Address signer_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<BookLoader> loader_;
  book::PositionBook book_;
  std::uint64_t loaded_block_ = 0;
  std::unique_ptr<Watcher> watcher_;
  std::unique_ptr<metrics::HttpServer> server_;
  std::unique_ptr<asio::signal_set> signals_;
  std::ofstream events_;
  plan::PlannerConfig planner_;
  std::optional<book::AssetId> native_;

  // /health
  std::optional<std::uint64_t> head_;
  Clock::time_point head_received_{};
  std::optional<U256> signer_balance_;
  std::vector<std::pair<std::string, U256>> inventory_;

  RunSummary summary_;
  bool stopping_ = false;
  std::uint32_t drained_blocks_ = 0;
};

asio::awaitable<void> Daemon::start() {
  // Never sign for another chain: the node's id against the config's, before the key is even loaded.
  client_ = std::make_unique<rpc::Client>(cli::transport_for(cfg_.chain));
  auto chain = co_await client_->chain_id();
  if (!chain) throw cli::CliError("run: cannot reach the node: " + chain.error().describe());
  chain_id_ = *chain;
  if (chain_id_ != cfg_.chain.chain_id)
    throw cli::CliError("run: the node reports chain id " + std::to_string(chain_id_) + ", " + cfg_.source.string() +
                        " expects " + std::to_string(cfg_.chain.chain_id) + ": refusing to sign for another chain");
  if (!cfg_.signer) throw cli::CliError("run: " + cfg_.source.string() + " has no [signer] (the keeper's key)");
  auto key = load_signer_key(*cfg_.signer);
  if (!key) throw cli::CliError("run: signer: " + key.error());
  signer_ = address_of(*key);

  auto journal = Journal::open(cfg_.journal_path, chain_id_, signer_);
  if (!journal) throw cli::CliError("run: journal: " + journal.error().message);
  journal_ = std::move(*journal);

  std::vector<std::unique_ptr<rpc::Client>> broadcast;
  for (const auto& url : cfg_.chain.rpc_http)
    broadcast.push_back(std::make_unique<rpc::Client>(std::make_shared<rpc::HttpTransport>(url)));
  executor_ = std::make_unique<Executor>(*client_, std::move(broadcast), std::move(*key), *journal_, metrics_,
                                         executor_options(cfg_, chain_id_, options_.dry_run));
  if (auto started = co_await executor_->start(); !started)
    throw cli::CliError("run: executor start (nonce sync, open transactions): " + started.error().describe());

  auto head = co_await client_->block_number();
  if (!head) throw cli::CliError("run: cannot reach the node: " + head.error().describe());
  std::optional<Address> oracle;
  if (cfg_.aave && !cfg_.aave->oracle) {
    auto read = co_await read_aave_oracle(*client_, cfg_.aave->pool_addresses_provider, *head);
    if (!read) throw cli::CliError("run: " + read.error());
    oracle = *read;
  }
  loader_ = std::make_unique<BookLoader>(*client_, cli::book_source_from_config(cfg_, oracle));
  const auto began = Clock::now();
  auto loaded = co_await loader_->load(book_, *head);
  if (!loaded) throw cli::CliError("run: loading the book at block " + std::to_string(*head) + ": " +
                                   loaded.error().describe());
  loaded_block_ = *head;
  metrics_.positions.set(static_cast<double>(book_.size()));
  spdlog::info("{}", fmt::format("book loaded at block {}: {} positions in {:.1f} s", *head, book_.size(),
                        seconds_since(began)));
  planner_ = planner_config(cfg_.strategy);
  if (const config::TokenConfig* weth = cfg_.token("WETH")) native_ = book_.find_asset(weth->address);

  auto server = metrics::HttpServer::bind(io_.get_executor(), cfg_.metrics_address, registry_,
                                          [this] { return health(); });
  if (!server) throw cli::CliError("run: metrics server: " + server.error());
  server_ = std::move(*server);
  asio::co_spawn(io_, server_->run(), asio::detached);

  if (!options_.events_path.empty()) {
    events_.open(options_.events_path, std::ios::app);
    if (!events_) throw cli::CliError("run: cannot open the --events file " + options_.events_path);
  }

  watcher_ = std::make_unique<Watcher>(io_.get_executor(), watcher_urls(cfg_.chain), loader_->live_filter(),
                                       *head + 1, kPollInterval,
                                       [this](const std::string& message) { spdlog::warn("{}", "follower: " + message); });
  asio::co_spawn(io_, watcher_->run(), [this](std::exception_ptr e, rpc::RpcResult<void> r) {
    if (e || !r) {
      spdlog::error("{}", "follower stopped: " + (r ? std::string("exception") : r.error().describe()));
      begin_stop("the follower failed");
    }
  });

  signals_ = std::make_unique<asio::signal_set>(io_, SIGINT, SIGTERM);
  signals_->async_wait([this](const boost::system::error_code& ec, int signal) {
    if (!ec) begin_stop(signal == SIGINT ? "SIGINT" : "SIGTERM");
  });
  std::string endpoints;
  for (const auto& url : watcher_->urls()) endpoints += (endpoints.empty() ? "" : ", ") + rpc::redact_url(url);
  spdlog::info("{}", fmt::format("running{}: chain {}, signer {}, following {} from block {}, metrics on {}:{}",
                        options_.dry_run ? " (dry run: nothing is broadcast)" : "", chain_id_, to_checksum(signer_),
                        endpoints, *head + 1, cfg_.metrics_address.substr(0, cfg_.metrics_address.rfind(':')),
                        server_->port()));
}

void Daemon::begin_stop(const std::string& why) {
  if (stopping_) return;
  stopping_ = true;
  if (executor_) executor_->stop_new_work();
  if (watcher_) watcher_->interrupt();  // the loop checks at once whether anything is left to track
  spdlog::info("{}", "stopping (" + why + "): no new work; tracking " +
            std::to_string(executor_ ? executor_->in_flight() : 0) + " transaction(s) for up to " +
            std::to_string(options_.drain_blocks) + " block(s)");
}

asio::awaitable<void> Daemon::process(const BlockBatch& batch) {
  const rpc::BlockHeader& head = batch.newest();
  const std::uint64_t block = head.number;
  metrics_.heads.inc(static_cast<double>(batch.heads.size()));
  metrics_.logs.inc(static_cast<double>(batch.logs.size()));
  metrics_.head_number.set(static_cast<double>(block));
  if (batch.heads.size() > 1)
    spdlog::debug("{}", fmt::format("blocks {}..{} taken together (the strategy was busy)", batch.heads.front().number, block));

  // Book: every log in order (removed ones too: their accounts are re-read), then one refresh at the newest head.
  loader_->apply_logs(book_, batch.logs);
  if (auto refreshed = co_await loader_->refresh(book_, block); !refreshed) {
    spdlog::warn("{}", fmt::format("book refresh at block {} failed ({}); deciding at the next block", block,
                          refreshed.error().describe()));
    co_return;
  }
  metrics_.stage(metrics::Stage::book_updated, seconds_since(batch.received));
  metrics_.positions.set(static_cast<double>(book_.size()));

  risk::MarketModel model;
  auto pools = co_await read_pools(*client_, cfg_, book_, block);
  if (!pools) {
    spdlog::warn("{}", fmt::format("at block {}: {}; deciding at the next block", block, pools.error()));
    co_return;
  }
  model.pools = std::move(*pools);
  model.sell_for = sell_for_from_pool_names(cfg_, book_);
  model.sell_only_listed = true;

  if (auto balances = co_await executor_->refresh_balances(book_, block); !balances)
    spdlog::warn("{}", fmt::format("balances at block {}: {}", block, balances.error().describe()));

  plan::GasModel gas;
  gas.base_fee = plan::next_base_fee(head.base_fee_per_gas.value_or(U256{}), head.gas_used, head.gas_limit);
  gas.priority_fee = executor_options(cfg_, chain_id_, options_.dry_run).fees.priority_fee;
  if (native_) gas.native = *native_;
  const plan::KeeperState state = executor_->state(block);
  auto planned = plan::plan_block(book_, model, planner_, gas, state);
  plan::Plan empty;
  if (!planned) spdlog::warn("{}", fmt::format("planner at block {}: {}", block, planned.error().message()));
  const plan::Plan& decided = planned ? *planned : empty;
  metrics_.stage(metrics::Stage::candidates, seconds_since(batch.received));
  metrics_.opportunities.inc(static_cast<double>(decided.decisions.size()));

  const std::vector<ExecutorEvent> events =
      co_await executor_->on_block(head, batch.logs, book_, decided, batch.received);

  // After sending (the journal's fsync is not on the hot path): every decision, taken or skipped.
  std::vector<DecisionRecord> records;
  records.reserve(decided.decisions.size());
  for (const plan::Decision& d : decided.decisions) {
    records.push_back({block, subject_of(d.key), d.skip == plan::SkipReason::none ? "taken" : plan::skip_reason_name(d.skip),
                       d.detail});
    if (d.skip != plan::SkipReason::none) metrics_.skipped(plan::skip_reason_name(d.skip)).inc();
  }
  if (!records.empty())
    if (auto written = journal_->record_decisions(records); !written)
      spdlog::warn("{}", "journal: decisions of block " + std::to_string(block) + ": " + written.error().message);
  write_events(events);
  summary_.block(block);
  summary_.planned(decided);
  summary_.add(events);
  if (cfg_.morpho) summary_.add_logs(batch.logs, cfg_.morpho->morpho, book_);
  // One line per block processed (operators and tests follow the keeper by it).
  spdlog::info("{}", fmt::format("block {}: {} liquidatable, {} taken, {} sale(s), {} event(s), {:.1f} ms from head", block,
                          decided.decisions.size(), decided.taken(), decided.sales.size(), events.size(),
                          seconds_since(batch.received) * 1e3));

  head_ = block;
  head_received_ = batch.received;
  metrics_.in_flight.set(static_cast<double>(executor_->in_flight()));
  inventory_.clear();
  for (const auto& [asset, amount] : executor_->state(block).balances)
    if (!amount.is_zero()) inventory_.emplace_back(book_.asset(asset).symbol, amount);
  if (auto balance = co_await client_->get_balance(signer_, rpc::BlockTag(block)); balance) signer_balance_ = *balance;
}

void Daemon::write_events(const std::vector<ExecutorEvent>& events) {
  const std::int64_t now = unix_ms();
  for (const ExecutorEvent& e : events) {
    spdlog::info("{}", fmt::format("{} {} {} nonce {} block {}{}{}", event_kind_name(e.kind), tx_kind_name(e.tx_kind),
                          e.subject, e.nonce, e.block, e.detail.empty() ? "" : ": ", e.detail));
    if (events_.is_open()) events_ << event_json(e, now) << '\n';
  }
  if (events_.is_open()) events_.flush();
}

std::string Daemon::health() const {
  HealthView view;
  view.head = head_;
  if (head_) view.head_age_seconds = seconds_since(head_received_);
  if (watcher_) {
    for (const auto& url : watcher_->urls()) view.endpoints.push_back(rpc::redact_url(url));
    view.endpoint_in_use = watcher_->endpoint_index();
  }
  view.signer = signer_;
  view.signer_balance_wei = signer_balance_;
  view.inventory = inventory_;
  view.in_flight = executor_ ? executor_->in_flight() : 0;
  view.dry_run = options_.dry_run;
  view.stopping = stopping_;
  return health_json(view);
}

asio::awaitable<int> Daemon::run() {
  co_await start();
  if (options_.until_block && loaded_block_ >= *options_.until_block) begin_stop("--until-block reached at start");
  Clock::time_point last_block = Clock::now();
  while (true) {
    if (stopping_ && (executor_->idle() || drained_blocks_ >= options_.drain_blocks)) break;
    if (stopping_ && Clock::now() - last_block > kDrainWait) break;
    std::optional<BlockBatch> batch = co_await watcher_->next(std::chrono::milliseconds(stopping_ ? 1000 : 5000));
    if (!batch) continue;
    last_block = Clock::now();
    co_await process(*batch);
    if (stopping_) ++drained_blocks_;
    if (options_.until_block && batch->newest().number >= *options_.until_block)
      begin_stop("--until-block " + std::to_string(*options_.until_block) + " processed");
  }
  const std::uint32_t open = executor_->in_flight();
  spdlog::info("{}", open == 0 ? std::string("stopped: nothing in flight")
                      : "stopped: " + std::to_string(open) + " transaction(s) left to the journal for the next start");
  const std::string summary = summary_.render(book_, &metrics_);
  std::fwrite(summary.data(), 1, summary.size(), stdout);
  std::fflush(stdout);
  watcher_->stop();
  server_->stop();
  signals_->cancel();
  co_return 0;
}

}  // namespace

int run_daemon(const config::KeeperConfig& config, const DaemonOptions& options) {
  logging::setup_logging(config.log_format, config.log_level);
  asio::io_context io;
  Daemon daemon(io, config, options);
  std::optional<int> code;
  std::exception_ptr failure;
  asio::co_spawn(io, daemon.run(), [&](std::exception_ptr e, int result) {
    if (e) failure = e;
    else code = result;
    io.stop();  // the follower, server and signal handlers end with the io_context
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return code.value_or(1);
}

}  // namespace sluice::keeper
