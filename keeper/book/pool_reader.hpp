#pragma once
/// The configured Uniswap v2 pools at one block, as `risk::MarketModel` wants them: reserves and tokens
/// (strategy/risk/pool_reads.hpp) in batched eth_calls, each token's decimals from the book when it knows the
/// token, else read with decimals(). Shared by `sluice cascade` (the model of one prediction) and `sluice run`
/// (the planner's model, every block).

#include "chain/rpc/client.hpp"
#include "config/keeper_config.hpp"
#include "strategy/book/position_book.hpp"
#include "strategy/risk/uniswap_v2.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sluice::keeper {

/// A failure: one line naming the pool or token and what was wrong (RPC errors included).
using PoolsResult = boost::system::result<std::vector<risk::Pool>, std::string>;

/// Every pool of `config`'s [uniswap_v2] pools at `block` (none configured: empty), in the config's order.
boost::asio::awaitable<PoolsResult> read_pools(rpc::Client& client, const config::KeeperConfig& config,
                                               const book::PositionBook& book, std::uint64_t block);

/// (base, quote) asset pairs from the configured pool names "BASE/QUOTE" whose symbols the book knows: seized
/// collateral is sold into the pools where it is the base (WETH/USDC: WETH is sold for USDC), a quote is kept.
std::vector<std::pair<book::AssetId, book::AssetId>> sell_for_from_pool_names(const config::KeeperConfig& config,
                                                                            const book::PositionBook& book);

}  // namespace sluice::keeper
