#pragma once
/// The chain side of the position book, without the book: discovery of accounts and markets from the protocols'
/// events, and batched state reads at one block into the plain `strategy/` types. `BookLoader` fills a
/// `book::PositionBook` from what this reads; tests and tools can use it alone.

#include "chain/rpc/client.hpp"
#include "keeper/book/book_source.hpp"
#include "keeper/book/state_reader.hpp"
#include "strategy/aave/types.hpp"
#include "strategy/morpho/types.hpp"

#include <boost/asio/awaitable.hpp>

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace sluice::keeper {

struct LoaderOptions {
  std::size_t calls_per_batch = 500;        ///< eth_calls per JSON-RPC batch
  std::uint64_t log_blocks_per_request = 0;  ///< 0: one eth_getLogs for the whole range (split on refusal)
  /// Progress while discovering and reading: stage ("logs", "aave accounts", "morpho positions"), done, total.
  std::function<void(std::string_view stage, std::uint64_t done, std::uint64_t total)> progress;
};

/// What a discovery or refresh did, for logs and benchmarks.
struct LoadStats {
  std::uint64_t logs = 0;
  std::uint64_t accounts_read = 0;  ///< Aave accounts plus Morpho positions
  std::uint64_t calls = 0;          ///< eth_calls sent
};

struct MorphoPositionKey {
  morpho::MarketId market;
  Address account;
  friend auto operator<=>(const MorphoPositionKey&, const MorphoPositionKey&) = default;
};

/// Accounts and markets found in the logs.
struct Discovery {
  std::vector<Address> aave_accounts;                ///< sorted, unique
  std::vector<morpho::MarketId> morpho_markets;      ///< the source's list, or every CreateMarket in log order
  std::vector<MorphoPositionKey> morpho_positions;   ///< sorted, unique; only in `morpho_markets`
  std::uint64_t logs = 0;
};

/// Aave's market-wide state with what following it needs.
struct AaveMarketRead {
  /// Reserves, oracle prices, the requested eMode categories (with their price source's price), base unit, block
  /// and timestamp. Each reserve's `config` is left undecoded (`configuration_bitmap` holds it): decode with
  /// `aave::decode_reserve_config`.
  aave::MarketSnapshot snapshot;
  std::vector<Address> price_sources;  ///< per reserve id: AaveOracle.getSourceOfAsset (zero for holes)
  Address configurator;                ///< PoolAddressesProvider.getPoolConfigurator()
};

/// A token the book prices in USD.
struct AssetRead {
  Address address;
  std::string symbol;  ///< the source's, else ERC-20 symbol()
  std::uint8_t decimals = 18;
  std::optional<Address> usd_feed;
  std::optional<U256> usd_price;  ///< latestRoundData answer (8 decimals for USD feeds)
};

/// Everything read at one block.
struct ChainState {
  std::uint64_t block = 0;
  std::uint64_t timestamp = 0;
  std::optional<AaveMarketRead> aave;
  std::vector<aave::UserState> aave_users;
  std::vector<morpho::Market> morpho_markets;
  std::vector<std::pair<MorphoPositionKey, morpho::Position>> morpho_positions;
  std::vector<AssetRead> assets;
};

class ChainReader {
 public:
  template <class T>
  using Task = boost::asio::awaitable<rpc::RpcResult<T>>;

  ChainReader(rpc::Client& client, BookSource source, LoaderOptions options = {});

  const BookSource& source() const noexcept { return source_; }
  const LoaderOptions& options() const noexcept { return options_; }
  const StateReader& state_reader() const noexcept { return state_; }

  /// The block's timestamp (seconds).
  Task<std::uint64_t> timestamp(std::uint64_t block);

  /// Aave's reserves, prices, configurator and the eMode categories `emode_ids` at `block`.
  Task<AaveMarketRead> read_aave_market(std::uint64_t block, std::span<const std::uint8_t> emode_ids = {});

  /// Logs of the position events from the start blocks to `block`: Aave Pool and (given `aave`) aToken
  /// BalanceTransfer; Morpho position events and CreateMarket. `logs` counts them.
  Task<Discovery> discover(std::uint64_t block, const AaveMarketRead* aave);

  /// Aave accounts at `block` in two batched phases (configuration and eMode, then balances). eMode categories
  /// the users are in and `market` lacks are read and added to it (with their price source's price).
  Task<std::vector<aave::UserState>> read_aave_users(AaveMarketRead& market, std::span<const Address> accounts,
                                                     std::uint64_t block);

  /// Morpho markets (params, state, oracle price, IRM rate) at `block`.
  Task<std::vector<morpho::Market>> read_morpho_markets(std::span<const morpho::MarketId> ids, std::uint64_t block);
  Task<std::vector<morpho::Position>> read_morpho_positions(std::span<const MorphoPositionKey> keys,
                                                            std::uint64_t block);

  /// Symbol, decimals and USD price of `tokens` (the source's tokens are known by symbol and feed).
  Task<std::vector<AssetRead>> read_assets(std::span<const Address> tokens, std::uint64_t block);

  /// Discovery's accounts and markets read in full at `block`: markets, users, positions, and every asset the
  /// markets use plus the source's tokens.
  Task<ChainState> read_all(const Discovery& discovery, std::uint64_t block);

 private:
  Task<std::vector<CallOutcome>> run(std::span<const ContractCall> calls, std::uint64_t block);
  Task<std::vector<rpc::Log>> logs(rpc::LogFilter filter, std::uint64_t from, std::uint64_t to,
                                   std::string_view stage);
  void progress(std::string_view stage, std::uint64_t done, std::uint64_t total) const;

  rpc::Client& client_;
  BookSource source_;
  LoaderOptions options_;
  StateReader state_;
};

}  // namespace sluice::keeper
