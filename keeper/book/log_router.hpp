#pragma once
/// Routes live logs (from the watcher, possibly `removed` by a reorg) to what they change: price ticks applied at
/// once (a feed's AnswerUpdated moves the Aave reserves it is the oracle source of and the tokens it is the USD
/// feed of) and touched sets re-read at the next refresh (accounts, positions, market-wide state). A removed log
/// touches the same things as when it arrived, so the re-read rolls them back; a removed price log marks the
/// prices to be re-read, since a tick cannot be undone from the log alone. Knows nothing of the book.

#include "chain/rpc/types.hpp"
#include "keeper/book/book_source.hpp"
#include "keeper/book/chain_reader.hpp"
#include "strategy/core/decode_error.hpp"

#include <set>
#include <span>
#include <vector>

namespace sluice::keeper {

struct Touched {
  std::set<Address> aave_accounts;
  bool aave_market = false;  ///< reserves, oracle prices or sources, configuration
  std::set<MorphoPositionKey> morpho_positions;
  std::set<morpho::MarketId> morpho_markets;  ///< state to re-read (new markets included)
  bool morpho_prices = false;  ///< a feed moved: every market's oracle price is re-read
  bool usd_prices = false;     ///< a price log was removed: the USD feeds are re-read
  bool empty() const noexcept {
    return aave_accounts.empty() && !aave_market && morpho_positions.empty() && morpho_markets.empty() &&
           !morpho_prices && !usd_prices;
  }
};

struct AavePriceTick {
  std::uint16_t reserve_id = 0;
  U256 price;  ///< AaveOracle units (the source's answer)
};
struct UsdPriceTick {
  Address token;
  U256 price;  ///< the USD feed's answer
};

/// What `route` produced from a batch of logs.
struct RoutedLogs {
  std::vector<AavePriceTick> aave_prices;
  std::vector<UsdPriceTick> usd_prices;
  std::vector<DecodeError> errors;  ///< logs from followed contracts that did not decode (skipped)
};

class LogRouter {
 public:
  explicit LogRouter(BookSource source);

  /// Aave addresses learnt from a market read: aTokens, configurator, oracle sources per reserve and eMode price
  /// sources.
  void set_aave_market(const AaveMarketRead& market);
  /// The Morpho markets followed (the source's list, or every created market when it lists none).
  void set_morpho_markets(std::span<const morpho::MarketId> markets);
  /// The Morpho markets followed now (including those created since).
  const std::set<morpho::MarketId>& morpho_markets() const noexcept { return morpho_markets_; }

  RoutedLogs route(std::span<const rpc::Log> logs);
  const Touched& touched() const noexcept { return touched_; }
  /// The touched sets, cleared.
  Touched take_touched();

  /// The live subscription filter: every followed contract and event topic0 (one filter; logs matching an
  /// address but another contract's topic are decoded by emitter and dropped).
  rpc::LogFilter filter() const;

 private:
  void route_feed(const rpc::Log& log, RoutedLogs& out);

  BookSource source_;
  std::set<Address> a_tokens_;
  Address configurator_;
  std::vector<std::pair<Address, std::uint16_t>> aave_feeds_;  ///< oracle source -> reserve id
  std::set<Address> emode_price_assets_;                       ///< eMode price sources (assets)
  std::vector<Address> reserve_assets_;                        ///< per reserve id
  std::set<morpho::MarketId> morpho_markets_;
  Touched touched_;
};

}  // namespace sluice::keeper
