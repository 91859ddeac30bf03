#pragma once
/// The daemon's watcher: an rpc::BlockFollower over the config's endpoints (WebSocket first when configured, then
/// HTTP, as failovers), with the logs the book needs (BookLoader::live_filter()), from the block after the one the
/// book was loaded at, feeding a BlockQueue: nothing is dropped, and what waits while the strategy is busy is
/// taken as one batch. Single-threaded: everything runs on one executor.

#include "chain/rpc/block_follower.hpp"
#include "config/keeper_config.hpp"
#include "keeper/daemon/block_queue.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::keeper {

/// The follower's endpoints for `chain`: every ws:// URL first (push, lowest latency), then every http:// one.
std::vector<std::string> watcher_urls(const config::ChainConfig& chain);

class Watcher {
 public:
  /// Follows from `from_block` with logs matching `filter`. `diagnostics` gets the follower's messages.
  Watcher(boost::asio::any_io_executor executor, std::vector<std::string> urls, const rpc::LogFilter& filter,
          std::uint64_t from_block, std::chrono::milliseconds poll_interval,
          std::function<void(const std::string&)> diagnostics);
  ~Watcher();

  /// Runs the follower until stop() (co_spawn it beside the consumer).
  boost::asio::awaitable<rpc::RpcResult<void>> run();
  /// The next batch: waits until a head arrives, or `timeout` passes, or stop(); nullopt for the last two.
  boost::asio::awaitable<std::optional<BlockBatch>> next(std::chrono::milliseconds timeout);
  void stop();
  /// Makes a pending next() return now (nullopt unless a head waits): the caller has something else to do (a stop).
  void interrupt();

  const std::vector<std::string>& urls() const noexcept { return urls_; }
  std::size_t endpoint_index() const noexcept { return follower_->endpoint_index(); }
  std::uint64_t coalesced() const noexcept { return queue_.coalesced(); }

 private:
  std::vector<std::string> urls_;
  BlockQueue queue_;
  boost::asio::steady_timer wake_;
  std::unique_ptr<rpc::BlockFollower> follower_;
  bool stopped_ = false;
  bool interrupted_ = false;
};

}  // namespace sluice::keeper
