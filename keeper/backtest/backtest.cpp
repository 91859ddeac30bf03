#include "keeper/backtest/backtest.hpp"

#include "keeper/backtest/cascade_check.hpp"
#include "keeper/backtest/erc20_override.hpp"
#include "keeper/backtest/inventory.hpp"
#include "keeper/backtest/liquidation_probe.hpp"
#include "keeper/backtest/range_reader.hpp"
#include "keeper/backtest/same_state.hpp"
#include "keeper/backtest/uniswap_sync.hpp"
#include "keeper/book/aave_oracle_reader.hpp"
#include "keeper/book/book_loader.hpp"
#include "keeper/book/pool_reader.hpp"
#include "keeper/cli/book_at_block.hpp"
#include "keeper/daemon/strategy_options.hpp"
#include "strategy/aave/events.hpp"
#include "strategy/backtest/matcher.hpp"
#include "strategy/backtest/order_simulation.hpp"
#include "strategy/backtest/simulated_keeper.hpp"
#include "strategy/morpho/events.hpp"
#include "strategy/plan/calldata.hpp"
#include "strategy/plan/fees.hpp"
#include "strategy/plan/revert_reason.hpp"
#include "strategy/plan/valuation.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace sluice::keeper {

namespace {

namespace asio = boost::asio;
using backtest::ActualLiquidation;
using backtest::SimulatedLiquidation;
using ReportResult = boost::system::result<backtest::Report, std::string>;
template <class T>
using Fallible = boost::system::result<T, std::string>;

/// The documented default keeper address: no code, no history.
Address default_keeper() { return *parse_address("0x5100000000000000000000000000000000005100"); }

std::string fail_text(const rpc::RpcError& e) { return e.describe(); }

/// An on-chain liquidation with the log it came from.
struct Event {
  ActualLiquidation actual;
  const rpc::Log* log = nullptr;
  bool followed = false;
};

class Engine {
 public:
  Engine(rpc::Client& client, const config::KeeperConfig& cfg, const BacktestOptions& options)
      : client_(client), cfg_(cfg), options_(options) {}

  asio::awaitable<ReportResult> run(BacktestProgress progress);

 private:
  asio::awaitable<Fallible<void>> start();
  asio::awaitable<Fallible<void>> block(const rpc::BlockHeader& header, const std::vector<rpc::Log>& logs,
                                        const std::vector<rpc::Log>& syncs);
  asio::awaitable<Fallible<void>> at_events(const rpc::BlockHeader& header, const std::vector<rpc::Log>& logs,
                                            std::vector<Event>& events);
  /// Probes `sims` (filled from their orders) at `tag`, the keeper holding `balances` of each debt asset.
  /// Returns each one's revert kind (meaningful for reverted ones).
  asio::awaitable<Fallible<std::vector<plan::RevertKind>>> simulate(std::vector<SimulatedLiquidation>& sims,
                                           const std::vector<std::pair<book::AssetId, U256>>& balances,
                                           rpc::BlockTag tag, rpc::BlockOverrides overrides);
  asio::awaitable<Fallible<const Erc20Layout*>> layout(const Address& token, rpc::BlockTag tag);
  std::vector<Event> decode_events(const std::vector<rpc::Log>& logs) const;
  plan::GasModel gas_model(const U256& base_fee) const;
  asio::awaitable<Fallible<void>> finish_cascade();

  rpc::Client& client_;
  const config::KeeperConfig& cfg_;
  const BacktestOptions& options_;
  std::unique_ptr<BookLoader> loader_;
  std::optional<Address> aave_oracle_;
  book::PositionBook book_;
  risk::MarketModel model_;
  std::set<Address> pool_addresses_;
  plan::PlannerConfig planner_;
  U256 tip_;
  std::optional<book::AssetId> native_;
  Address keeper_;
  std::vector<Address> spenders_;
  FollowedContracts contracts_;
  std::unique_ptr<backtest::SimulatedKeeper> sim_keeper_;
  std::unique_ptr<backtest::Matcher> matcher_;
  plan::KeeperState neutral_;
  std::map<Address, Erc20Layout> layouts_;
  std::vector<std::optional<book::AssetId>> price_ids_;
  std::set<std::pair<std::uint8_t, std::pair<Address, Hash>>> liquidatable_before_;
  std::vector<ActualLiquidation> actual_;
  backtest::Report report_;
  double pnl_ = 0.0;
};

#define BT_TRY(var, expr) \
  auto var = (expr);      \
  if (!var) co_return var.error()

asio::awaitable<Fallible<void>> Engine::start() {
  const std::uint64_t at = options_.from_block - 1;
  if (cfg_.aave && !cfg_.aave->oracle) {
    auto oracle = co_await read_aave_oracle(client_, cfg_.aave->pool_addresses_provider, at);
    if (!oracle) co_return oracle.error();
    aave_oracle_ = *oracle;
  }
  loader_ = std::make_unique<BookLoader>(client_, cli::book_source_from_config(cfg_, aave_oracle_));
  if (auto loaded = co_await loader_->load(book_, at); !loaded)
    co_return "loading the position book at block " + std::to_string(at) + ": " + fail_text(loaded.error());
  auto pools = co_await read_pools(client_, cfg_, book_, at);
  if (!pools) co_return "pools at block " + std::to_string(at) + ": " + pools.error();
  model_.pools = std::move(*pools);
  model_.sell_for = sell_for_from_pool_names(cfg_, book_);
  model_.sell_only_listed = true;
  for (const auto& p : model_.pools) pool_addresses_.insert(p.address);
  planner_ = planner_config(cfg_.strategy);
  tip_ = fee_policy(cfg_.strategy).priority_fee;
  if (const config::TokenConfig* weth = cfg_.token("WETH")) native_ = book_.find_asset(weth->address);

  keeper_ = options_.keeper.value_or(
      cfg_.backtest.address.value_or(cfg_.signer && cfg_.signer->address ? *cfg_.signer->address : default_keeper()));
  if (cfg_.aave) {
    contracts_.aave_pool = cfg_.aave->pool;
    spenders_.push_back(cfg_.aave->pool);
    for (const auto& r : book_.aave_market().reserves)
      if (!r.a_token.is_zero()) contracts_.a_tokens.insert(r.a_token);
  }
  if (cfg_.morpho) {
    contracts_.morpho = cfg_.morpho->morpho;
    spenders_.push_back(cfg_.morpho->morpho);
  }
  BT_TRY(inventory, resolve_inventory(cfg_, book_, merge_inventory(cfg_.backtest.inventory, options_.inventory)));
  const bool unlimited = inventory->empty();
  sim_keeper_ = std::make_unique<backtest::SimulatedKeeper>(std::move(*inventory), unlimited);
  matcher_ = std::make_unique<backtest::Matcher>(keeper_);
  // The at-event orders: the starting inventory, nothing in flight, nothing cooling.
  neutral_ = sim_keeper_->state(at, {}, book_.asset_count());
  neutral_.in_flight.clear();
  neutral_.cooling.clear();
  neutral_.in_flight_count = 0;

  for (const auto& t : cfg_.tokens) {
    report_.price_assets.push_back(t.symbol);
    price_ids_.push_back(book_.find_asset(t.address));
  }
  report_.config_name = cfg_.source.filename().string();
  report_.summary.from_block = options_.from_block;
  report_.summary.to_block = options_.to_block;
  report_.summary.blocks = options_.to_block - options_.from_block + 1;
  report_.summary.positions_start = book_.size();
  co_return Fallible<void>{};
}

plan::GasModel Engine::gas_model(const U256& base_fee) const {
  plan::GasModel gas;
  gas.base_fee = base_fee;
  gas.priority_fee = tip_;
  if (native_) gas.native = *native_;
  return gas;
}

std::vector<Event> Engine::decode_events(const std::vector<rpc::Log>& logs) const {
  std::vector<Event> out;
  for (const rpc::Log& log : logs) {
    if (log.topics.empty()) continue;
    if (cfg_.aave && log.address == cfg_.aave->pool && log.topics[0] == aave::events::liquidation_call_topic()) {
      auto e = aave::events::decode_liquidation_call(log);
      if (!e) continue;
      Event ev;
      ev.log = &log;
      ev.followed = true;
      ev.actual.key = book::PositionKey{Protocol::aave_v3, e->user, {}};
      ev.actual.liquidator = e->liquidator;
      ev.actual.collateral_token = e->collateral_asset;
      ev.actual.debt_token = e->debt_asset;
      ev.actual.debt_repaid = e->debt_to_cover;
      ev.actual.collateral_seized = e->liquidated_collateral_amount;
      out.push_back(std::move(ev));
    } else if (cfg_.morpho && log.address == cfg_.morpho->morpho && log.topics[0] == morpho::events::liquidate_topic()) {
      auto e = morpho::events::decode_liquidate(log);
      if (!e) continue;
      Event ev;
      ev.log = &log;
      const morpho::Market* market = book_.morpho_market(e->market);
      ev.followed = market != nullptr;
      ev.actual.key = book::PositionKey{Protocol::morpho_blue, e->borrower, e->market};
      ev.actual.liquidator = e->caller;
      if (market) {
        ev.actual.collateral_token = market->params.collateral_token;
        ev.actual.debt_token = market->params.loan_token;
      }
      ev.actual.debt_repaid = e->repaid_assets;
      ev.actual.collateral_seized = e->seized_assets;
      ev.actual.bad_debt = e->bad_debt_assets;
      out.push_back(std::move(ev));
    } else {
      continue;
    }
    Event& ev = out.back();
    ev.actual.block = log.block_number.value_or(0);
    ev.actual.log_index = static_cast<std::uint32_t>(log.log_index.value_or(0));
    ev.actual.tx = log.transaction_hash.value_or(Hash{});
    const auto usd = [&](const Address& token, const U256& amount) {
      const auto id = book_.find_asset(token);
      return id ? plan::usd_value(book_, *id, amount) : 0.0;
    };
    ev.actual.repaid_usd = usd(ev.actual.debt_token, ev.actual.debt_repaid);
    ev.actual.seized_usd = usd(ev.actual.collateral_token, ev.actual.collateral_seized);
    ev.actual.bad_debt_usd = usd(ev.actual.debt_token, ev.actual.bad_debt);
  }
  return out;
}

asio::awaitable<Fallible<const Erc20Layout*>> Engine::layout(const Address& token, rpc::BlockTag tag) {
  auto it = layouts_.find(token);
  if (it == layouts_.end()) {
    auto probed = co_await probe_erc20_layout(client_, token, tag);
    if (!probed) co_return probed.error();
    it = layouts_.emplace(token, *probed).first;
  }
  co_return &it->second;
}

asio::awaitable<Fallible<std::vector<plan::RevertKind>>> Engine::simulate(std::vector<SimulatedLiquidation>& sims,
                                                 const std::vector<std::pair<book::AssetId, U256>>& balances,
                                                 rpc::BlockTag tag, rpc::BlockOverrides block_overrides) {
  const auto value = [&](SimulatedLiquidation& s) {
    const auto debt = book_.find_asset(s.debt_token);
    const auto collateral = book_.find_asset(s.collateral_token);
    s.repaid_usd = debt ? plan::usd_value(book_, *debt, s.debt_repaid) : 0.0;
    s.seized_usd = collateral ? plan::usd_value(book_, *collateral, s.collateral_seized) : 0.0;
    s.profit_usd = s.reverted ? 0.0 : s.seized_usd - s.repaid_usd - s.gas_usd - s.slippage_usd;
  };
  std::vector<plan::RevertKind> kinds(sims.size(), plan::RevertKind::unknown);
  if (sims.empty()) co_return kinds;
  if (!options_.simulate) {
    for (auto& s : sims) value(s);
    co_return kinds;
  }
  rpc::StateOverride overrides;
  std::vector<ProbeCall> calls;
  std::set<Address> funded;
  for (const SimulatedLiquidation& s : sims) {
    ProbeCall call;
    call.keeper = keeper_;
    call.debt_token = s.debt_token;
    call.collateral_token = s.collateral_token;
    if (s.key.protocol == Protocol::aave_v3) {
      call.target = cfg_.aave->pool;
      call.calldata = plan::aave_liquidation_call(s.collateral_token, s.debt_token, s.key.account, s.debt_to_cover);
    } else {
      const morpho::Market* market = book_.morpho_market(s.key.market);
      call.target = cfg_.morpho->morpho;
      call.calldata = plan::morpho_liquidate(market->params, s.key.account, s.morpho_seized_assets,
                                             s.morpho_repaid_shares);
    }
    calls.push_back(std::move(call));
    if (!funded.insert(s.debt_token).second) continue;
    U256 amount = backtest::unlimited_inventory();
    if (!sim_keeper_->unlimited()) {
      amount = U256{};
      const auto id = book_.find_asset(s.debt_token);
      for (const auto& [asset, held] : balances)
        if (id && asset == *id) amount = held;
    }
    auto found = co_await layout(s.debt_token, tag);
    if (!found) co_return "ERC-20 layout of " + to_checksum(s.debt_token) + ": " + found.error();
    add_erc20_override(overrides, **found, keeper_, amount, spenders_);
  }
  auto probed = co_await probe_liquidations(client_, calls, tag, std::move(overrides), block_overrides);
  if (!probed) co_return fail_text(probed.error());
  for (std::size_t i = 0; i < sims.size(); ++i) {
    SimulatedLiquidation& s = sims[i];
    const ProbeResult& r = (*probed)[i];
    s.simulated = true;
    s.reverted = r.reverted;
    if (r.reverted) {
      plan::RevertReason reason = plan::classify_revert(r.revert_data, r.node_message);
      kinds[i] = reason.kind;
      s.revert_reason = std::move(reason.text);
      s.debt_repaid = U256{};
      s.collateral_seized = U256{};
    } else {
      s.debt_repaid = r.debt_spent;
      s.collateral_seized = r.collateral_received;
    }
    value(s);
  }
  co_return kinds;
}

asio::awaitable<Fallible<void>> Engine::at_events(const rpc::BlockHeader& header, const std::vector<rpc::Log>& logs,
                                                  std::vector<Event>& events) {
  const std::uint64_t b = header.number;
  // The book as it stands: the end of b - 1, its clock at b - 1's timestamp (b's logs are applied after this). That
  // is what the daemon decides on when head b - 1 arrives; its transaction then runs in block b, which the
  // simulation reproduces: the state of b - 1 with b's number, timestamp and base fee (block overrides), so
  // interest accrues to b's timestamp on chain exactly as for the transaction that made the event.
  const U256 base_fee = header.base_fee_per_gas.value_or(U256{});
  auto planned = plan::plan_block(book_, model_, planner_, gas_model(base_fee), neutral_);
  std::vector<SimulatedLiquidation> sims;
  std::vector<std::optional<std::size_t>> sim_of(events.size());
  if (planned) {
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (!events[i].followed) continue;
      for (const plan::Decision& d : planned->decisions) {
        if (!(d.key == events[i].actual.key)) continue;
        if (d.order.expected_debt_repaid.is_zero() && d.order.debt_to_cover.is_zero()) break;
        sim_of[i] = sims.size();
        sims.push_back(backtest::from_order(b - 1, d.order, &book_));
        break;
      }
    }
  }
  rpc::BlockOverrides overrides;
  overrides.number = b;
  overrides.time = header.timestamp;
  overrides.base_fee = base_fee;
  if (auto done = co_await simulate(sims, neutral_.balances, rpc::BlockTag(b - 1), overrides); !done)
    co_return "at-event simulation of block " + std::to_string(b) + ": " + done.error();
  for (std::size_t i = 0; i < events.size(); ++i) {
    Event& ev = events[i];
    std::optional<SimulatedLiquidation> at_event;
    if (sim_of[i]) at_event = sims[*sim_of[i]];
    const bool same = ev.followed && same_state(logs, *ev.log, ev.actual.key, contracts_);
    matcher_->actual(ev.actual, ev.followed, std::move(at_event), same);
    actual_.push_back(ev.actual);
    const auto& k = ev.actual.key;
    liquidatable_before_.erase({static_cast<std::uint8_t>(k.protocol), {k.account, k.market}});
  }
  co_return Fallible<void>{};
}

asio::awaitable<Fallible<void>> Engine::block(const rpc::BlockHeader& header, const std::vector<rpc::Log>& logs,
                                              const std::vector<rpc::Log>& syncs) {
  const std::uint64_t b = header.number;
  backtest::BlockPoint point;
  point.block = b;
  point.timestamp = header.timestamp;
  point.base_fee = header.base_fee_per_gas.value_or(U256{});

  // 1. On-chain liquidations of b, and Sluice's order for each on the pre-state of b.
  std::vector<Event> events = decode_events(logs);
  if (!events.empty()) {
    if (auto done = co_await at_events(header, logs, events); !done) co_return done.error();
    for (const Event& ev : events) {
      ++point.actual;
      point.actual_repaid_usd += ev.actual.repaid_usd;
    }
  }

  // 2. The book at b.
  loader_->apply_logs(book_, logs);
  if (auto refreshed = co_await loader_->refresh(book_, b, header.timestamp); !refreshed)
    co_return "book refresh at block " + std::to_string(b) + ": " + fail_text(refreshed.error());

  // 3. Pools at b (Sync logs carry the new reserves), the keeper's state, the daemon's decision.
  for (const rpc::Log& log : syncs) apply_sync(model_.pools, log);
  const plan::GasModel gas = gas_model(plan::next_base_fee(point.base_fee, header.gas_used, header.gas_limit));
  const plan::KeeperState state = sim_keeper_->state(b, matcher_->taken_positions(), book_.asset_count());
  auto planned = plan::plan_block(book_, model_, planner_, gas, state);
  plan::Plan empty;
  const plan::Plan& decided = planned ? *planned : empty;

  // 4. Every taken liquidation simulated at b with the keeper's inventory.
  std::vector<SimulatedLiquidation> sims;
  for (const plan::Decision& d : decided.decisions)
    if (d.skip == plan::SkipReason::none) sims.push_back(backtest::from_order(b, d.order, &book_));
  auto kinds = co_await simulate(sims, state.balances, rpc::BlockTag(b), {});
  if (!kinds) co_return "simulation at block " + std::to_string(b) + ": " + kinds.error();

  // 5. The matcher, the keeper's state, the series.
  std::set<std::pair<std::uint8_t, std::pair<Address, Hash>>> liquidatable;
  std::size_t next_sim = 0;
  std::vector<SimulatedLiquidation> landed;
  double block_pnl = 0.0;
  for (const plan::Decision& d : decided.decisions) {
    const auto id = std::make_pair(static_cast<std::uint8_t>(d.key.protocol), std::make_pair(d.key.account, d.key.market));
    liquidatable.insert(id);
    if (!liquidatable_before_.contains(id)) ++report_.summary.opportunities;
    if (d.skip != plan::SkipReason::none) {
      matcher_->decided(b, d, nullptr);
      continue;
    }
    const plan::RevertKind kind = (*kinds)[next_sim];
    const SimulatedLiquidation& s = sims[next_sim++];
    matcher_->decided(b, d, &s);
    ++point.sluice_taken;
    ++report_.summary.sluice_liquidations;
    if (s.reverted) {
      ++report_.summary.sluice_reverted;
      sim_keeper_->cool_down(s.key, b + plan::cooldown_blocks(kind));
      continue;
    }
    point.sluice_repaid_usd += s.repaid_usd;
    report_.summary.repaid_usd += s.repaid_usd;
    report_.summary.seized_usd += s.seized_usd;
    report_.summary.gas_usd += s.gas_usd;
    block_pnl += s.seized_usd - s.repaid_usd - s.gas_usd;
    landed.push_back(s);
  }
  liquidatable_before_ = std::move(liquidatable);
  point.liquidatable = static_cast<std::uint32_t>(decided.decisions.size());
  for (const backtest::SaleResult& sale : sim_keeper_->land(b, landed, decided.sales, model_.pools, book_)) {
    block_pnl -= sale.slippage_usd;
    report_.summary.slippage_usd += sale.slippage_usd;
  }
  pnl_ += block_pnl;
  point.cumulative_pnl_usd = pnl_;
  for (const auto& id : price_ids_)
    point.prices_usd.push_back(id ? plan::usd_price(book_, *id).value_or(0.0) : 0.0);
  report_.blocks.push_back(std::move(point));
  co_return Fallible<void>{};
}

asio::awaitable<Fallible<void>> Engine::finish_cascade() {
  const auto start = crash_start(report_.blocks);
  if (!start) {
    report_.cascade.coupling = options_.cascade_coupling;
    co_return Fallible<void>{};
  }
  auto coupling = risk::parse_coupling(options_.cascade_coupling);
  if (!coupling) co_return "cascade coupling '" + options_.cascade_coupling + "': " + coupling.error().message();
  // The book at the end of the start block: loaded afresh (one discovery) rather than copied every block.
  book::PositionBook start_book;
  BookLoader loader(client_, cli::book_source_from_config(cfg_, aave_oracle_));
  if (auto loaded = co_await loader.load(start_book, *start); !loaded)
    co_return "cascade check: loading the book at block " + std::to_string(*start) + ": " + fail_text(loaded.error());
  auto pools = co_await read_pools(client_, cfg_, start_book, *start);
  if (!pools) co_return "cascade check: pools at block " + std::to_string(*start) + ": " + pools.error();
  CascadeInputs in;
  in.start_book = &start_book;
  in.model.pools = std::move(*pools);
  in.model.sell_for = sell_for_from_pool_names(cfg_, start_book);
  in.model.sell_only_listed = true;
  in.model.coupling = *coupling;
  in.start_block = *start;
  in.price_assets = report_.price_assets;
  for (const auto& t : cfg_.tokens) in.asset_ids.push_back(start_book.find_asset(t.address));
  report_.cascade = cascade_check(in, report_.blocks, actual_);
  co_return Fallible<void>{};
}

asio::awaitable<ReportResult> Engine::run(BacktestProgress progress) {
  const auto error = [](std::string message) { return ReportResult(boost::system::in_place_error, std::move(message)); };
  if (options_.from_block == 0) co_return error("--from must be at least 1 (the book is loaded at from - 1)");
  if (options_.from_block > options_.to_block)
    co_return error("--from " + std::to_string(options_.from_block) + " is after --to " +
                    std::to_string(options_.to_block));
  if (options_.chunk_blocks == 0) co_return error("--chunk-blocks must be at least 1");
  if (auto coupling = risk::parse_coupling(options_.cascade_coupling); !coupling)
    co_return error("--cascade-coupling '" + options_.cascade_coupling + "': " + coupling.error().message());
  if (auto started = co_await start(); !started) co_return error(started.error());

  const std::uint64_t total = options_.to_block - options_.from_block + 1;
  if (progress) progress(0, total);
  for (std::uint64_t first = options_.from_block; first <= options_.to_block; first += options_.chunk_blocks) {
    const std::uint64_t last = std::min(options_.to_block, first + options_.chunk_blocks - 1);
    rpc::LogFilter filter = loader_->live_filter();
    auto range = co_await read_range(client_, filter, pool_addresses_, first, last);
    if (!range) co_return error("reading blocks " + std::to_string(first) + ".." + std::to_string(last) + ": " +
                                fail_text(range.error()));
    static const std::vector<rpc::Log> kNone;
    for (const rpc::BlockHeader& header : range->headers) {
      const auto logs = range->book_logs.find(header.number);
      const auto syncs = range->sync_logs.find(header.number);
      auto done = co_await block(header, logs == range->book_logs.end() ? kNone : logs->second,
                                 syncs == range->sync_logs.end() ? kNone : syncs->second);
      if (!done) co_return error(done.error());
      if (progress) progress(header.number - options_.from_block + 1, total);
    }
  }

  report_.rows = matcher_->finish();
  backtest::Matcher::summarize(report_.rows, report_.summary);
  report_.summary.positions_end = book_.size();
  report_.summary.pnl_usd = pnl_;
  for (const auto& a : actual_) report_.summary.bad_debt_usd += a.bad_debt_usd;
  for (std::size_t i = 0; i < book_.asset_count(); ++i) {
    const book::Asset& a = book_.asset(static_cast<book::AssetId>(i));
    report_.symbols.emplace(a.address, a.symbol);
  }
  if (auto done = co_await finish_cascade(); !done) co_return error(done.error());
  co_return std::move(report_);
}

#undef BT_TRY

}  // namespace

asio::awaitable<ReportResult> run_backtest(rpc::Client& client, const config::KeeperConfig& config,
                                           const BacktestOptions& options, BacktestProgress progress) {
  Engine engine(client, config, options);
  co_return co_await engine.run(std::move(progress));
}

}  // namespace sluice::keeper
