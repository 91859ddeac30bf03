#pragma once
/// Follows the chain head through one or more endpoints and delivers every block (and, if asked, its matching
/// logs) in chain order, exactly once, through disconnects, reconnects and failovers.
///
/// Contract, per endpoint kind:
/// - ws:// / wss://: a `newHeads` subscription on a `WsTransport`. A head that follows the last delivered block
///   (number + 1, parentHash equal) is delivered as received; a head further ahead first makes the follower
///   fetch every missed block with eth_getBlockByNumber, in order (gap backfill); a head already delivered
///   (same number and hash) is dropped. After every reconnect the follower catches up to eth_blockNumber
///   before it takes live heads again.
/// - http:// / https://: polls eth_blockNumber every `poll_interval` and fetches each new block the same way.
/// - Logs: for each delivered block, eth_getLogs {blockHash, address, topics} (the node's own per-block filter,
///   so nothing is lost or doubled whatever the subscription did), sorted by logIndex, delivered right after
///   the block's head. All of a block's data is fetched before any of it is delivered, so a failure never
///   delivers half a block.
/// - Failover: after `max_failures` consecutive failed fetches (or a WebSocket endpoint declared dead) the
///   follower moves to the next URL (cyclically) and catches up from the last delivered block.
/// - Reorgs: when a block's parentHash is not the hash delivered for its parent, the follower walks back (up to
///   `reorg_window` blocks) to the last block the node still has, delivers the logs of every abandoned block
///   again with `removed = true` (newest block first, as nodes do), then delivers the new branch from the fork
///   point on. So a block number can appear twice in the output only after a reorg, and then with a new hash.
///
/// Threading: one executor; `run` and `stop` on it.

#include "chain/rpc/client.hpp"
#include "chain/rpc/types.hpp"
#include "chain/rpc/ws_transport.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::rpc {

struct FollowerOptions {
  bool logs = false;                            ///< also fetch and deliver matching logs
  std::vector<Address> addresses;               ///< log filter: any of these (empty: any address)
  std::vector<std::vector<Hash>> topics;        ///< log filter: per position, any of these (empty: wildcard)
  std::optional<BlockNumber> from_block;        ///< first block to deliver; default: the first block after start
  std::chrono::milliseconds poll_interval{500};  ///< HTTP polling period; WebSocket idle safety poll is 4x this
  int max_failures = 4;                         ///< consecutive failures before moving to the next endpoint
  std::size_t reorg_window = 128;               ///< blocks remembered for reorg detection
  WsTransportOptions ws;                        ///< for ws:// endpoints (max_connect_failures used for failover)
};

/// One thing delivered: a head, or a log of the head delivered just before it.
struct FollowerItem {
  enum class Kind { head, log } kind = Kind::head;
  BlockHeader head;
  Log log;
};

class BlockFollower {
 public:
  using Sink = std::function<void(const FollowerItem&)>;
  using Diagnostics = std::function<void(const std::string&)>;

  /// `urls`: ws://, wss://, http:// or https:// endpoints, tried in order. `sink` gets every item in order.
  BlockFollower(boost::asio::any_io_executor executor, std::vector<std::string> urls, FollowerOptions options,
                Sink sink, Diagnostics diagnostics = {});
  ~BlockFollower();
  BlockFollower(const BlockFollower&) = delete;
  BlockFollower& operator=(const BlockFollower&) = delete;

  /// Runs until `stop`. Fails only for a bad URL (invalid_argument); endpoint failures lead to failover.
  boost::asio::awaitable<RpcResult<void>> run();
  void stop();

  /// The next block number the follower will deliver (tests and diagnostics).
  std::optional<BlockNumber> next_block() const noexcept;
  /// Index in `urls` of the endpoint in use.
  std::size_t endpoint_index() const noexcept;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

/// True for http:// and https:// URLs (case-insensitive).
bool is_http_url(std::string_view url) noexcept;

}  // namespace sluice::rpc
