#pragma once
/// The keeper's configuration, typed: what `load_keeper_config` (config/load_config.hpp) reads from a TOML file.
/// The schema, key by key, with defaults, is documented in README.md ("Configuration") and in
/// config/mainnet.example.toml. Relative paths in the file are resolved against the file's own directory.

#include "chain/address.hpp"
#include "strategy/morpho/types.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::config {

/// [chain]: the node endpoints and the chain id the keeper expects (checked against the node by the keeper).
struct ChainConfig {
  std::vector<std::string> rpc_http;  ///< http:// or https:// URLs, in failover order (at least one)
  std::vector<std::string> rpc_ws;    ///< ws:// or wss:// URLs (optional)
  std::uint64_t chain_id = 0;         ///< expected chain id (EIP-155)
};

/// [signer]: where the liquidator's key comes from. The key itself never appears in the file: either the name of
/// an environment variable that holds it, or a keystore v3 file with a password file.
struct SignerConfig {
  std::optional<std::string> private_key_env;         ///< name of the environment variable holding the 0x key
  std::optional<std::filesystem::path> keystore;       ///< keystore v3 JSON (resolved against the config's dir)
  std::optional<std::filesystem::path> password_file;  ///< required with `keystore`
  std::optional<Address> address;                      ///< if set, the key must belong to this address
};

/// [aave]: an Aave v3 market.
struct AaveConfig {
  Address pool;
  Address pool_addresses_provider;
  std::optional<Address> oracle;         ///< AaveOracle; absent: PoolAddressesProvider.getPriceOracle()
  std::optional<Address> data_provider;  ///< AaveProtocolDataProvider (optional)
  std::uint64_t start_block = 0;         ///< first block of discovery (the market's deployment or later)
};

/// [morpho]: Morpho Blue.
struct MorphoConfig {
  Address morpho;
  std::vector<morpho::MarketId> markets;  ///< empty: every market created since start_block
  std::uint64_t start_block = 0;
};

/// A token known by symbol ([tokens]), with its USD feed ([feeds]) when one is configured.
struct TokenConfig {
  std::string symbol;
  Address address;
  std::optional<Address> usd_feed;  ///< Chainlink-style aggregator, 8 decimals
};

/// A Uniswap v2 pair named "BASE/QUOTE" by token symbols.
struct PoolConfig {
  std::string name;  ///< "WETH/USDC"
  Address pair;
};

/// [uniswap_v2]: where seized collateral is sold.
struct UniswapV2Config {
  Address factory;
  Address router;
  std::vector<PoolConfig> pools;  ///< optional; absent pools are found through the factory
};

/// [strategy] dispose: what the keeper does with seized collateral.
enum class DisposeMode {
  throttled,  ///< "throttled" (default): sold on the throttle plan's schedule, inside the impact budget
  immediate,  ///< "immediate": all of it sold the next block (throttling off)
  keep,       ///< "keep": never sold
};

/// [strategy]: the executor's policy. A small documented set; each key has a default.
struct StrategyConfig {
  double min_profit_usd = 10.0;                      ///< min_profit_usd: after gas, slippage and protocol fee
  double max_collateral_sold_usd_per_block = 250e3;  ///< max_collateral_sold_usd_per_block: throttle cap
  std::uint32_t max_price_impact_bps = 100;          ///< max_price_impact_bps: own impact per pool per block
  std::uint32_t max_in_flight = 4;                   ///< max_in_flight: liquidation transactions pending at once
  double priority_fee_gwei = 1.0;                    ///< priority_fee_gwei: EIP-1559 tip
  double max_fee_share_of_profit = 0.5;              ///< max_fee_share_of_profit: gas spend cap, share of profit
  DisposeMode dispose = DisposeMode::throttled;      ///< dispose: "throttled" | "immediate" | "keep"
};

/// [backtest]: what `sluice backtest` simulates liquidations as (its command-line options override these).
struct BacktestConfig {
  std::optional<Address> address;  ///< the keeper address eth_call runs from (default: [signer] address)
  /// Starting inventory, symbol of [tokens] -> whole-token decimal amount ("250000", "1.5"), in file order.
  /// Empty: unlimited inventory in every asset.
  std::vector<std::pair<std::string, std::string>> inventory;
};

enum class LogFormat { text, json };
enum class LogLevel { trace, debug, info, warn, error };

/// The whole file. At least one of `aave` and `morpho` is configured.
struct KeeperConfig {
  std::filesystem::path source;  ///< the file this was read from
  ChainConfig chain;
  std::optional<SignerConfig> signer;  ///< required by `run`, not by `scan`
  std::optional<AaveConfig> aave;
  std::optional<MorphoConfig> morpho;
  std::vector<TokenConfig> tokens;  ///< in file order
  std::optional<UniswapV2Config> uniswap_v2;
  StrategyConfig strategy;
  BacktestConfig backtest;
  std::filesystem::path journal_path;  ///< [journal] path; default "sluice-journal.sqlite" next to the file
  std::string metrics_address = "127.0.0.1:9464";  ///< [metrics] address, host:port
  LogFormat log_format = LogFormat::text;           ///< [log] format: "text" | "json"
  LogLevel log_level = LogLevel::info;              ///< [log] level: trace|debug|info|warn|error

  /// The token with this symbol, if configured.
  const TokenConfig* token(std::string_view symbol) const noexcept {
    for (const auto& t : tokens)
      if (t.symbol == symbol) return &t;
    return nullptr;
  }
};

}  // namespace sluice::config
