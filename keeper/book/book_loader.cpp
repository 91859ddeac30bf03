#include "keeper/book/book_loader.hpp"

#include "strategy/aave/math.hpp"

#include <algorithm>

namespace sluice::keeper {

struct BookLoader::Pending {
  Pending(rpc::Client& client, BookSource source, LoaderOptions options)
      : reader(client, source, std::move(options)), router(std::move(source)) {}

  ChainReader reader;
  LogRouter router;
  std::optional<AaveMarketRead> aave;  ///< the market as last read (configs decoded), for re-reading users
  std::function<void(const ChainState&)> observer;
};

namespace {

/// Puts what was read into the book: assets (and their USD prices), Aave market and users, Morpho markets and
/// positions. Reserve configurations are decoded here, from the raw bitmaps the reader keeps.
void fill(book::PositionBook& book, ChainState& state) {
  book.set_clock(state.block, state.timestamp);
  for (const auto& a : state.assets) {
    const book::AssetId id = book.intern_asset(a.address, a.symbol, a.decimals);
    if (a.usd_price) book.set_usd_price(id, *a.usd_price);
  }
  if (state.aave) {
    aave::MarketSnapshot snapshot = state.aave->snapshot;
    for (auto& r : snapshot.reserves) {
      if (r.asset.is_zero()) continue;
      r.config = aave::decode_reserve_config(r.configuration_bitmap);
      if (r.symbol.empty())
        if (const auto id = book.find_asset(r.asset)) r.symbol = book.asset(*id).symbol;
    }
    book.set_aave_market(std::move(snapshot));
  }
  for (auto& u : state.aave_users) book.upsert_aave_user(std::move(u));
  for (auto& m : state.morpho_markets) book.upsert_morpho_market(std::move(m));
  for (const auto& [key, position] : state.morpho_positions) book.upsert_morpho_position(key.market, key.account, position);
}

}  // namespace

#define SLUICE_TRY(var, expr) \
  auto var = (expr);          \
  if (!var) co_return var.error()

BookLoader::BookLoader(rpc::Client& client, BookSource source, LoaderOptions options)
    : pending_(std::make_unique<Pending>(client, std::move(source), std::move(options))) {}

BookLoader::~BookLoader() = default;

void BookLoader::on_read(std::function<void(const ChainState&)> observer) { pending_->observer = std::move(observer); }

boost::asio::awaitable<rpc::RpcResult<LoadStats>> BookLoader::load(book::PositionBook& book, std::uint64_t block) {
  Pending& p = *pending_;
  const std::uint64_t calls_before = p.reader.state_reader().calls_sent();
  std::optional<AaveMarketRead> market;
  if (p.reader.source().aave) {
    // The aTokens (BalanceTransfer emitters) come from the market, so it is read before the logs.
    SLUICE_TRY(m, co_await p.reader.read_aave_market(block));
    market = std::move(*m);
  }
  SLUICE_TRY(discovery, co_await p.reader.discover(block, market ? &*market : nullptr));
  SLUICE_TRY(state, co_await p.reader.read_all(*discovery, block));
  if (state->aave) {
    p.router.set_aave_market(*state->aave);
    p.aave = state->aave;
  }
  p.router.set_morpho_markets(discovery->morpho_markets);
  if (p.observer) p.observer(*state);
  fill(book, *state);
  LoadStats stats;
  stats.logs = discovery->logs;
  stats.accounts_read = state->aave_users.size() + state->morpho_positions.size();
  stats.calls = p.reader.state_reader().calls_sent() - calls_before;
  co_return stats;
}

void BookLoader::apply_logs(book::PositionBook& book, const std::vector<rpc::Log>& logs) {
  const RoutedLogs routed = pending_->router.route(logs);
  for (const auto& tick : routed.aave_prices) book.set_aave_price(tick.reserve_id, tick.price);
  for (const auto& tick : routed.usd_prices)
    if (const auto id = book.find_asset(tick.token)) book.set_usd_price(*id, tick.price);
}

boost::asio::awaitable<rpc::RpcResult<LoadStats>> BookLoader::refresh(book::PositionBook& book, std::uint64_t block) {
  SLUICE_TRY(ts, co_await pending_->reader.timestamp(block));
  co_return co_await refresh(book, block, *ts);
}

bool BookLoader::touched() const noexcept { return !pending_->router.touched().empty(); }

boost::asio::awaitable<rpc::RpcResult<LoadStats>> BookLoader::refresh(book::PositionBook& book, std::uint64_t block,
                                                                      std::uint64_t timestamp) {
  Pending& p = *pending_;
  const std::uint64_t calls_before = p.reader.state_reader().calls_sent();
  const Touched touched = p.router.take_touched();
  ChainState state;
  state.block = block;
  state.timestamp = timestamp;
  if (touched.empty()) {  // nothing to read: what fill() would do with an empty state
    book.set_clock(block, timestamp);
    co_return LoadStats{};
  }
  const BookSource& source = p.reader.source();
  std::vector<Address> new_tokens;
  const auto note_token = [&](const Address& a) {
    if (!a.is_zero() && !book.find_asset(a) && std::find(new_tokens.begin(), new_tokens.end(), a) == new_tokens.end())
      new_tokens.push_back(a);
  };

  if (source.aave && p.aave) {
    const std::size_t emodes_before = p.aave->snapshot.emodes.size();
    bool market_changed = false;
    if (touched.aave_market) {
      std::vector<std::uint8_t> ids;
      for (const auto& e : p.aave->snapshot.emodes) ids.push_back(e.id);
      SLUICE_TRY(m, co_await p.reader.read_aave_market(block, ids));
      p.aave = std::move(*m);
      p.router.set_aave_market(*p.aave);
      market_changed = true;
      for (const auto& r : p.aave->snapshot.reserves) note_token(r.asset);
    }
    if (!touched.aave_accounts.empty()) {
      const std::vector<Address> accounts(touched.aave_accounts.begin(), touched.aave_accounts.end());
      SLUICE_TRY(users, co_await p.reader.read_aave_users(*p.aave, accounts, block));
      state.aave_users = std::move(*users);
      market_changed = market_changed || p.aave->snapshot.emodes.size() != emodes_before;
    }
    if (market_changed) state.aave = p.aave;
  }
  if (source.morpho) {
    // A feed moved: every followed market's oracle price is re-read; otherwise the markets touched.
    const std::set<morpho::MarketId>& markets = touched.morpho_prices ? p.router.morpho_markets() : touched.morpho_markets;
    const std::vector<morpho::MarketId> ids(markets.begin(), markets.end());
    if (!ids.empty()) {
      SLUICE_TRY(read, co_await p.reader.read_morpho_markets(ids, block));
      state.morpho_markets = std::move(*read);
      for (const auto& m : state.morpho_markets) {
        note_token(m.params.loan_token);
        note_token(m.params.collateral_token);
      }
    }
    if (!touched.morpho_positions.empty()) {
      const std::vector<MorphoPositionKey> keys(touched.morpho_positions.begin(), touched.morpho_positions.end());
      SLUICE_TRY(positions, co_await p.reader.read_morpho_positions(keys, block));
      for (std::size_t k = 0; k < keys.size(); ++k) state.morpho_positions.emplace_back(keys[k], (*positions)[k]);
    }
  }
  if (touched.usd_prices)
    for (const auto& t : source.tokens) new_tokens.push_back(t.address);
  if (!new_tokens.empty()) {
    std::sort(new_tokens.begin(), new_tokens.end());
    new_tokens.erase(std::unique(new_tokens.begin(), new_tokens.end()), new_tokens.end());
    SLUICE_TRY(assets, co_await p.reader.read_assets(new_tokens, block));
    state.assets = std::move(*assets);
  }
  if (p.observer) p.observer(state);
  fill(book, state);
  LoadStats stats;
  stats.accounts_read = state.aave_users.size() + state.morpho_positions.size();
  stats.calls = p.reader.state_reader().calls_sent() - calls_before;
  co_return stats;
}

rpc::LogFilter BookLoader::live_filter() const { return pending_->router.filter(); }

#undef SLUICE_TRY

}  // namespace sluice::keeper
