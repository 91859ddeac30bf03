#pragma once
/// What the backtest reads of a range of blocks before replaying it: the headers (batched eth_getBlockByNumber)
/// and the logs (one eth_getLogs for the book's filter, the liquidation events and the pools' Sync), per block.

#include "chain/rpc/client.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace sluice::keeper {

struct RangeData {
  std::vector<rpc::BlockHeader> headers;  ///< from..to, in order
  /// Per block, in log order: logs of the book's filter (liquidation events included).
  std::map<std::uint64_t, std::vector<rpc::Log>> book_logs;
  /// Per block, in log order: Sync logs of the followed pools.
  std::map<std::uint64_t, std::vector<rpc::Log>> sync_logs;
};

/// Header batches of this many calls (one HTTP request each).
inline constexpr std::size_t kHeaderBatch = 500;

/// Reads blocks [from, to]. `book_filter`: the loader's live filter (addresses and topics; its range is replaced);
/// `pools`: the Uniswap v2 pairs whose Sync logs are wanted. Error: the method and the block range.
boost::asio::awaitable<rpc::RpcResult<RangeData>> read_range(rpc::Client& client, const rpc::LogFilter& book_filter,
                                                             const std::set<Address>& pools, std::uint64_t from,
                                                             std::uint64_t to);

}  // namespace sluice::keeper
