#pragma once
/// Where the position book's state lives on chain: the protocol deployments, the block discovery starts from, and
/// the tokens and USD feeds the keeper knows by symbol. Built from the keeper's config (config/) by the CLI.

#include "chain/address.hpp"
#include "strategy/morpho/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::keeper {

struct AaveSource {
  Address pool;
  Address oracle;  ///< AaveOracle (PoolAddressesProvider.getPriceOracle())
  std::uint64_t start_block = 0;
};

struct MorphoSource {
  Address morpho;
  /// Markets to follow; empty: every market found in CreateMarket events from start_block.
  std::vector<morpho::MarketId> markets;
  std::uint64_t start_block = 0;
};

/// A token known by symbol, with an optional Chainlink-style USD feed (latestRoundData, AnswerUpdated).
struct TokenSource {
  std::string symbol;
  Address address;
  std::optional<Address> usd_feed;
};

struct BookSource {
  std::optional<AaveSource> aave;
  std::optional<MorphoSource> morpho;
  std::vector<TokenSource> tokens;
};

}  // namespace sluice::keeper
