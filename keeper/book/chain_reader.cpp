#include "keeper/book/chain_reader.hpp"

#include "strategy/aave/events.hpp"
#include "strategy/aave/reads.hpp"
#include "strategy/core/token_reads.hpp"
#include "strategy/morpho/events.hpp"
#include "strategy/morpho/reads.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace sluice::keeper {

namespace {

/// A strategy decode failure as the RPC layer's error (the node answered with something we cannot use).
rpc::RpcError read_error(const DecodeError& e) {
  return rpc::make_error(rpc::ErrorKind::malformed_response, "eth_call", e.describe());
}

template <class T>
std::vector<T> sorted_unique(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

#define SLUICE_TRY(var, expr)             \
  auto var = (expr);                      \
  if (!var) co_return var.error()
#define SLUICE_TRY_DECODE(var, expr)      \
  auto var = (expr);                      \
  if (!var) co_return read_error(var.error())

ChainReader::ChainReader(rpc::Client& client, BookSource source, LoaderOptions options)
    : client_(client), source_(std::move(source)), options_(std::move(options)),
      state_(client, options_.calls_per_batch) {}

void ChainReader::progress(std::string_view stage, std::uint64_t done, std::uint64_t total) const {
  if (options_.progress) options_.progress(stage, done, total);
}

ChainReader::Task<std::vector<CallOutcome>> ChainReader::run(std::span<const ContractCall> calls,
                                                             std::uint64_t block) {
  co_return co_await state_.run(calls, rpc::BlockTag(block));
}

ChainReader::Task<std::uint64_t> ChainReader::timestamp(std::uint64_t block) {
  SLUICE_TRY(header, co_await client_.get_block_by_number(rpc::BlockTag(block)));
  if (!*header) co_return rpc::make_error(rpc::ErrorKind::node_error, "eth_getBlockByNumber",
                                          "node has no block " + std::to_string(block));
  co_return (*header)->timestamp;
}

ChainReader::Task<AaveMarketRead> ChainReader::read_aave_market(std::uint64_t block,
                                                                 std::span<const std::uint8_t> emode_ids) {
  namespace reads = aave::reads;
  const AaveSource& src = *source_.aave;
  AaveMarketRead out;
  out.snapshot.block = block;
  SLUICE_TRY(ts, co_await timestamp(block));
  out.snapshot.timestamp = *ts;

  // Round 1: the reserve list, the base unit and the configurator's address (two hops).
  const std::vector<ContractCall> first{reads::reserves_list(src.pool), reads::base_currency_unit(src.oracle),
                                        reads::addresses_provider(src.pool)};
  SLUICE_TRY(r1, co_await run(first, block));
  SLUICE_TRY_DECODE(assets, reads::decode_reserves_list((*r1)[0]));
  SLUICE_TRY_DECODE(unit, reads::decode_base_currency_unit((*r1)[1]));
  SLUICE_TRY_DECODE(provider, reads::decode_address("Aave Pool.ADDRESSES_PROVIDER", (*r1)[2]));
  out.snapshot.base_currency_unit = *unit;

  // Round 2: per reserve data and price source, all prices, the configurator, the eMode categories asked for.
  std::vector<ContractCall> second;
  for (const auto& a : *assets) {
    second.push_back(reads::reserve_data(src.pool, a));
    second.push_back(reads::source_of_asset(src.oracle, a));
  }
  second.push_back(reads::assets_prices(src.oracle, *assets));
  second.push_back(reads::pool_configurator(*provider));
  for (const auto id : emode_ids) second.push_back(reads::emode_category(src.pool, id));
  SLUICE_TRY(r2, co_await run(second, block));
  std::size_t i = 0;
  std::vector<aave::Reserve> listed;
  std::vector<Address> sources;
  for (const auto& a : *assets) {
    SLUICE_TRY_DECODE(reserve, reads::decode_reserve_data(a, (*r2)[i++]));
    SLUICE_TRY_DECODE(feed, reads::decode_source_of_asset((*r2)[i++]));
    listed.push_back(std::move(*reserve));
    sources.push_back(*feed);
  }
  SLUICE_TRY_DECODE(prices, reads::decode_assets_prices((*r2)[i++], assets->size()));
  SLUICE_TRY_DECODE(configurator, reads::decode_address("PoolAddressesProvider.getPoolConfigurator", (*r2)[i++]));
  out.configurator = *configurator;

  // Reserves by id (getReservesList skips dropped reserves, so ids may have holes).
  std::uint16_t max_id = 0;
  for (const auto& r : listed) max_id = std::max(max_id, r.id);
  if (max_id >= 128) co_return read_error(DecodeError{"Aave market", "reserve id " + std::to_string(max_id) + " >= 128"});
  const std::size_t n = listed.empty() ? 0 : std::size_t{max_id} + 1;
  out.snapshot.reserves.resize(n);
  out.snapshot.prices.resize(n);
  out.price_sources.resize(n);
  for (std::size_t k = 0; k < listed.size(); ++k) {
    const std::uint16_t id = listed[k].id;
    if (!out.snapshot.reserves[id].asset.is_zero())
      co_return read_error(DecodeError{"Aave market", "two reserves with id " + std::to_string(id)});
    for (const auto& t : source_.tokens)
      if (t.address == listed[k].asset) listed[k].symbol = t.symbol;
    out.snapshot.prices[id] = (*prices)[k];
    out.price_sources[id] = sources[k];
    out.snapshot.reserves[id] = std::move(listed[k]);
  }

  std::vector<ContractCall> emode_prices;
  for (const auto id : emode_ids) {
    SLUICE_TRY_DECODE(category, reads::decode_emode_category(id, (*r2)[i++]));
    if (!category->price_source.is_zero()) emode_prices.push_back(reads::asset_price(src.oracle, category->price_source));
    out.snapshot.emodes.push_back(std::move(*category));
  }
  if (!emode_prices.empty()) {
    SLUICE_TRY(r3, co_await run(emode_prices, block));
    std::size_t k = 0;
    for (auto& e : out.snapshot.emodes) {
      if (e.price_source.is_zero()) continue;
      SLUICE_TRY_DECODE(price, reads::decode_asset_price((*r3)[k++]));
      e.price = *price;
    }
  }
  co_return out;
}

ChainReader::Task<std::vector<rpc::Log>> ChainReader::logs(rpc::LogFilter filter, std::uint64_t from,
                                                           std::uint64_t to, std::string_view stage) {
  std::vector<rpc::Log> out;
  if (from > to) co_return out;
  const std::uint64_t step = options_.log_blocks_per_request == 0 ? to - from + 1 : options_.log_blocks_per_request;
  for (std::uint64_t a = from;;) {
    const std::uint64_t b = (to - a < step - 1) ? to : a + step - 1;
    filter.from_block = rpc::BlockTag(a);
    filter.to_block = rpc::BlockTag(b);
    SLUICE_TRY(part, co_await client_.get_logs(filter));
    out.insert(out.end(), std::make_move_iterator(part->begin()), std::make_move_iterator(part->end()));
    progress(stage, b - from + 1, to - from + 1);
    if (b == to) break;
    a = b + 1;
  }
  co_return out;
}

ChainReader::Task<Discovery> ChainReader::discover(std::uint64_t block, const AaveMarketRead* aave) {
  Discovery d;
  if (source_.aave && aave != nullptr) {
    rpc::LogFilter pool;
    pool.addresses = {source_.aave->pool};
    pool.topics = {aave::events::pool_account_topics()};
    SLUICE_TRY(pool_logs, co_await logs(pool, source_.aave->start_block, block, "aave logs"));
    rpc::LogFilter transfers;
    for (const auto& r : aave->snapshot.reserves)
      if (!r.a_token.is_zero()) transfers.addresses.push_back(r.a_token);
    transfers.topics = {{aave::events::balance_transfer_topic()}};
    std::vector<rpc::Log> transfer_logs;
    if (!transfers.addresses.empty()) {
      SLUICE_TRY(t, co_await logs(transfers, source_.aave->start_block, block, "aave transfer logs"));
      transfer_logs = std::move(*t);
    }
    d.logs += pool_logs->size() + transfer_logs.size();
    for (const auto& log : *pool_logs) {
      auto t = aave::events::decode_pool_log(log);
      if (t) d.aave_accounts.insert(d.aave_accounts.end(), t->accounts.begin(), t->accounts.end());
    }
    for (const auto& log : transfer_logs) {
      auto t = aave::events::decode_a_token_log(log);
      if (t) d.aave_accounts.insert(d.aave_accounts.end(), t->accounts.begin(), t->accounts.end());
    }
    // The zero address appears as `to` of an aToken burn-by-transfer: never an account.
    std::erase_if(d.aave_accounts, [](const Address& a) { return a.is_zero(); });
    d.aave_accounts = sorted_unique(std::move(d.aave_accounts));
  }
  if (source_.morpho) {
    rpc::LogFilter f;
    f.addresses = {source_.morpho->morpho};
    f.topics = {morpho::events::topics()};
    SLUICE_TRY(morpho_logs, co_await logs(f, source_.morpho->start_block, block, "morpho logs"));
    d.logs += morpho_logs->size();
    const bool listed = !source_.morpho->markets.empty();
    std::set<morpho::MarketId> followed(source_.morpho->markets.begin(), source_.morpho->markets.end());
    if (listed) d.morpho_markets = source_.morpho->markets;
    for (const auto& log : *morpho_logs) {
      auto t = morpho::events::decode_log(log);
      if (!t) continue;
      if (t->created && !listed && followed.insert(t->market).second) d.morpho_markets.push_back(t->market);
      if (t->account && followed.contains(t->market) && !t->account->is_zero())
        d.morpho_positions.push_back({t->market, *t->account});
    }
    d.morpho_positions = sorted_unique(std::move(d.morpho_positions));
  }
  co_return d;
}

ChainReader::Task<std::vector<aave::UserState>> ChainReader::read_aave_users(AaveMarketRead& market,
                                                                             std::span<const Address> accounts,
                                                                             std::uint64_t block) {
  namespace reads = aave::reads;
  const AaveSource& src = *source_.aave;
  std::vector<aave::UserState> out;
  out.reserve(accounts.size());
  // Phases run per slice of accounts so that progress moves and memory stays bounded on 100k accounts.
  const std::size_t slice = std::max<std::size_t>(1, options_.calls_per_batch * 8);
  for (std::size_t start = 0; start < accounts.size(); start += slice) {
    const auto part = accounts.subspan(start, std::min(slice, accounts.size() - start));
    std::vector<ContractCall> headers;
    headers.reserve(part.size() * reads::kUserHeaderCalls);
    for (const auto& a : part) reads::append_user_header_calls(headers, src.pool, a);
    SLUICE_TRY(h, co_await run(headers, block));
    std::vector<reads::UserHeader> decoded;
    decoded.reserve(part.size());
    std::set<std::uint8_t> missing;
    std::vector<ContractCall> balances;
    for (std::size_t k = 0; k < part.size(); ++k) {
      SLUICE_TRY_DECODE(header, reads::decode_user_header(std::span(*h).subspan(k * reads::kUserHeaderCalls,
                                                                                 reads::kUserHeaderCalls)));
      if (header->emode_category != 0 && market.snapshot.emode(header->emode_category) == nullptr)
        missing.insert(header->emode_category);
      reads::append_user_balance_calls(balances, market.snapshot, part[k], header->config);
      decoded.push_back(*header);
    }
    // eMode categories first seen here ride in the balances batch, at its end.
    for (const auto id : missing) balances.push_back(reads::emode_category(src.pool, id));
    SLUICE_TRY(b, co_await run(balances, block));
    std::size_t next = 0;
    for (std::size_t k = 0; k < part.size(); ++k) {
      const std::size_t count = reads::user_balance_call_count(market.snapshot, decoded[k].config);
      if (next + count > b->size()) co_return read_error(DecodeError{"Aave users", "balance outcomes missing"});
      SLUICE_TRY_DECODE(user, reads::decode_user(market.snapshot, part[k], decoded[k],
                                                 std::span(*b).subspan(next, count)));
      next += count;
      out.push_back(std::move(*user));
    }
    std::vector<ContractCall> emode_prices;
    const std::size_t first_new = market.snapshot.emodes.size();
    for (const auto id : missing) {
      if (next >= b->size()) co_return read_error(DecodeError{"Aave users", "eMode outcomes missing"});
      SLUICE_TRY_DECODE(category, reads::decode_emode_category(id, (*b)[next++]));
      if (!category->price_source.is_zero())
        emode_prices.push_back(reads::asset_price(src.oracle, category->price_source));
      market.snapshot.emodes.push_back(std::move(*category));
    }
    if (!emode_prices.empty()) {
      SLUICE_TRY(p, co_await run(emode_prices, block));
      std::size_t k = 0;
      for (std::size_t e = first_new; e < market.snapshot.emodes.size(); ++e) {
        auto& category = market.snapshot.emodes[e];
        if (category.price_source.is_zero()) continue;
        SLUICE_TRY_DECODE(price, reads::decode_asset_price((*p)[k++]));
        category.price = *price;
      }
    }
    progress("aave accounts", start + part.size(), accounts.size());
  }
  co_return out;
}

ChainReader::Task<std::vector<morpho::Market>> ChainReader::read_morpho_markets(std::span<const morpho::MarketId> ids,
                                                                               std::uint64_t block) {
  namespace reads = morpho::reads;
  std::vector<ContractCall> heads;
  for (const auto& id : ids) reads::append_market_head_calls(heads, source_.morpho->morpho, id);
  SLUICE_TRY(h, co_await run(heads, block));
  std::vector<morpho::Market> markets;
  std::vector<ContractCall> tails;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    SLUICE_TRY_DECODE(m, reads::decode_market_head(ids[k], std::span(*h).subspan(k * reads::kMarketHeadCalls,
                                                                                 reads::kMarketHeadCalls)));
    reads::append_market_tail_calls(tails, m->params, m->state);
    markets.push_back(std::move(*m));
  }
  SLUICE_TRY(t, co_await run(tails, block));
  std::size_t next = 0;
  for (auto& m : markets) {
    const std::size_t count = reads::market_tail_call_count(m.params);
    if (next + count > t->size()) co_return read_error(DecodeError{"Morpho markets", "outcomes missing"});
    SLUICE_TRY_DECODE(full, reads::decode_market_tail(std::move(m), std::span(*t).subspan(next, count)));
    m = std::move(*full);
    next += count;
  }
  co_return markets;
}

ChainReader::Task<std::vector<morpho::Position>> ChainReader::read_morpho_positions(
    std::span<const MorphoPositionKey> keys, std::uint64_t block) {
  std::vector<ContractCall> calls;
  calls.reserve(keys.size());
  for (const auto& k : keys) calls.push_back(morpho::reads::position(source_.morpho->morpho, k.market, k.account));
  SLUICE_TRY(r, co_await run(calls, block));
  std::vector<morpho::Position> out;
  out.reserve(keys.size());
  for (const auto& o : *r) {
    SLUICE_TRY_DECODE(p, morpho::reads::decode_position(o));
    out.push_back(*p);
  }
  progress("morpho positions", keys.size(), keys.size());
  co_return out;
}

ChainReader::Task<std::vector<AssetRead>> ChainReader::read_assets(std::span<const Address> tokens,
                                                                   std::uint64_t block) {
  std::vector<AssetRead> out;
  std::vector<ContractCall> calls;
  for (const auto& address : tokens) {
    AssetRead a;
    a.address = address;
    for (const auto& t : source_.tokens)
      if (t.address == address) {
        a.symbol = t.symbol;
        a.usd_feed = t.usd_feed;
      }
    calls.push_back(token_reads::decimals(address));
    if (a.symbol.empty()) calls.push_back(token_reads::symbol(address));
    if (a.usd_feed) calls.push_back(token_reads::latest_round_data(*a.usd_feed));
    out.push_back(std::move(a));
  }
  SLUICE_TRY(r, co_await run(calls, block));
  std::size_t next = 0;
  for (auto& a : out) {
    SLUICE_TRY_DECODE(decimals, token_reads::decode_decimals((*r)[next++]));
    a.decimals = *decimals;
    if (a.symbol.empty()) {
      // A token without a readable symbol is still followed, under its address.
      auto symbol = token_reads::decode_symbol((*r)[next++]);
      a.symbol = symbol && !symbol->empty() ? *symbol : to_checksum(a.address);
    }
    if (a.usd_feed) {
      auto price = token_reads::decode_latest_answer((*r)[next++]);
      if (price) a.usd_price = *price;
    }
  }
  co_return out;
}

ChainReader::Task<ChainState> ChainReader::read_all(const Discovery& discovery, std::uint64_t block) {
  ChainState state;
  state.block = block;
  SLUICE_TRY(ts, co_await timestamp(block));
  state.timestamp = *ts;
  std::vector<Address> tokens;
  for (const auto& t : source_.tokens) tokens.push_back(t.address);
  if (source_.aave) {
    SLUICE_TRY(market, co_await read_aave_market(block));
    SLUICE_TRY(users, co_await read_aave_users(*market, discovery.aave_accounts, block));
    for (const auto& r : market->snapshot.reserves)
      if (!r.asset.is_zero()) tokens.push_back(r.asset);
    state.aave = std::move(*market);
    state.aave_users = std::move(*users);
  }
  if (source_.morpho) {
    SLUICE_TRY(markets, co_await read_morpho_markets(discovery.morpho_markets, block));
    SLUICE_TRY(positions, co_await read_morpho_positions(discovery.morpho_positions, block));
    for (const auto& m : *markets) {
      tokens.push_back(m.params.loan_token);
      tokens.push_back(m.params.collateral_token);
    }
    state.morpho_markets = std::move(*markets);
    for (std::size_t k = 0; k < positions->size(); ++k)
      state.morpho_positions.emplace_back(discovery.morpho_positions[k], (*positions)[k]);
  }
  // Source tokens first, in their order, then the protocols' other assets by address.
  std::vector<Address> ordered;
  std::set<Address> seen;
  for (const auto& t : tokens)
    if (!t.is_zero() && seen.insert(t).second) ordered.push_back(t);
  SLUICE_TRY(assets, co_await read_assets(ordered, block));
  state.assets = std::move(*assets);
  co_return state;
}

#undef SLUICE_TRY
#undef SLUICE_TRY_DECODE

}  // namespace sluice::keeper
