#include "keeper/book/log_router.hpp"

#include "strategy/aave/events.hpp"
#include "strategy/core/feed_events.hpp"
#include "strategy/morpho/events.hpp"

#include <algorithm>

namespace sluice::keeper {

LogRouter::LogRouter(BookSource source) : source_(std::move(source)) {
  if (source_.morpho) morpho_markets_.insert(source_.morpho->markets.begin(), source_.morpho->markets.end());
}

void LogRouter::set_aave_market(const AaveMarketRead& market) {
  a_tokens_.clear();
  aave_feeds_.clear();
  emode_price_assets_.clear();
  reserve_assets_.clear();
  configurator_ = market.configurator;
  for (const auto& r : market.snapshot.reserves) {
    reserve_assets_.push_back(r.asset);
    if (!r.a_token.is_zero()) a_tokens_.insert(r.a_token);
  }
  for (std::size_t id = 0; id < market.price_sources.size(); ++id)
    if (!market.price_sources[id].is_zero())
      aave_feeds_.emplace_back(market.price_sources[id], static_cast<std::uint16_t>(id));
  for (const auto& e : market.snapshot.emodes)
    if (!e.price_source.is_zero()) emode_price_assets_.insert(e.price_source);
}

void LogRouter::set_morpho_markets(std::span<const morpho::MarketId> markets) {
  morpho_markets_.insert(markets.begin(), markets.end());
}

Touched LogRouter::take_touched() {
  Touched out = std::move(touched_);
  touched_ = Touched{};
  return out;
}

void LogRouter::route_feed(const rpc::Log& log, RoutedLogs& out) {
  if (log.removed) {
    touched_.aave_market = touched_.aave_market || source_.aave.has_value();
    touched_.morpho_prices = touched_.morpho_prices || source_.morpho.has_value();
    touched_.usd_prices = true;
    return;
  }
  auto answer = feed_events::decode_answer_updated(log);
  if (!answer) {
    out.errors.push_back(answer.error());
    return;
  }
  for (const auto& [feed, id] : aave_feeds_) {
    if (feed != log.address) continue;
    out.aave_prices.push_back({id, answer->answer});
    // An eMode category priced by this reserve's asset: its price lives in the snapshot, re-read it.
    if (id < reserve_assets_.size() && emode_price_assets_.contains(reserve_assets_[id])) touched_.aave_market = true;
  }
  for (const auto& t : source_.tokens)
    if (t.usd_feed && *t.usd_feed == log.address) out.usd_prices.push_back({t.address, answer->answer});
  // Morpho oracles are arbitrary contracts: any feed may move any of them, so every market's price is re-read.
  if (source_.morpho) touched_.morpho_prices = true;
}

RoutedLogs LogRouter::route(std::span<const rpc::Log> logs) {
  RoutedLogs out;
  const auto aave_touch = [&](const DecodeResult<aave::events::Touches>& t) {
    if (!t) {
      out.errors.push_back(t.error());
      return;
    }
    for (const auto& a : t->accounts)
      if (!a.is_zero()) touched_.aave_accounts.insert(a);
    touched_.aave_market = touched_.aave_market || t->market;
  };
  for (const auto& log : logs) {
    if (!log.topics.empty() && log.topics[0] == feed_events::answer_updated_topic()) {
      route_feed(log, out);
      continue;
    }
    if (source_.aave) {
      if (log.address == source_.aave->pool) {
        aave_touch(aave::events::decode_pool_log(log));
        continue;
      }
      if (a_tokens_.contains(log.address)) {
        aave_touch(aave::events::decode_a_token_log(log));
        continue;
      }
      if (!configurator_.is_zero() && log.address == configurator_) {
        aave_touch(aave::events::decode_configurator_log(log));
        continue;
      }
      if (log.address == source_.aave->oracle) {
        aave_touch(aave::events::decode_oracle_log(log));
        continue;
      }
    }
    if (source_.morpho && log.address == source_.morpho->morpho) {
      auto t = morpho::events::decode_log(log);
      if (!t) {
        out.errors.push_back(t.error());
        continue;
      }
      // New markets are followed when the source lists none; a removed CreateMarket leaves an empty market.
      if (t->created && source_.morpho->markets.empty()) morpho_markets_.insert(t->market);
      if (!morpho_markets_.contains(t->market)) continue;
      touched_.morpho_markets.insert(t->market);
      if (t->account && !t->account->is_zero()) touched_.morpho_positions.insert({t->market, *t->account});
    }
  }
  return out;
}

rpc::LogFilter LogRouter::filter() const {
  rpc::LogFilter f;
  std::vector<Hash> topics{feed_events::answer_updated_topic()};
  const auto add = [&](const std::vector<Hash>& more) { topics.insert(topics.end(), more.begin(), more.end()); };
  if (source_.aave) {
    f.addresses.push_back(source_.aave->pool);
    f.addresses.push_back(source_.aave->oracle);
    if (!configurator_.is_zero()) f.addresses.push_back(configurator_);
    f.addresses.insert(f.addresses.end(), a_tokens_.begin(), a_tokens_.end());
    add(aave::events::pool_account_topics());
    add(aave::events::pool_market_topics());
    add({aave::events::balance_transfer_topic()});
    add(aave::events::configurator_topics());
    add(aave::events::oracle_topics());
    for (const auto& [feed, id] : aave_feeds_) f.addresses.push_back(feed);
  }
  if (source_.morpho) {
    f.addresses.push_back(source_.morpho->morpho);
    add(morpho::events::topics());
  }
  for (const auto& t : source_.tokens)
    if (t.usd_feed) f.addresses.push_back(*t.usd_feed);
  std::sort(f.addresses.begin(), f.addresses.end());
  f.addresses.erase(std::unique(f.addresses.begin(), f.addresses.end()), f.addresses.end());
  std::sort(topics.begin(), topics.end());
  topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
  f.topics = {topics};
  return f;
}

}  // namespace sluice::keeper
