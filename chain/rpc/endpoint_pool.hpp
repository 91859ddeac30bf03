#pragma once
/// Several endpoints behind one `Transport`, with failover and health tracking. Calls go to the first endpoint
/// (in the configured order) that is healthy; a retryable failure (transport, timeout, 429, 5xx) moves the call
/// to the next one. An endpoint is unhealthy after `max_consecutive_failures` failures in a row, for `cooldown`,
/// and demoted while its head lags the best known head by more than `max_head_lag` blocks (heads are learned by
/// `refresh_heads`, which calls eth_blockNumber on every endpoint, or reported with `report_head`).
/// Node errors and malformed responses are answers, not endpoint failures: they are returned as they are.

#include "chain/rpc/transport.hpp"
#include "chain/rpc/types.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

namespace sluice::rpc {

struct PoolOptions {
  int max_consecutive_failures = 3;
  std::chrono::milliseconds cooldown{5000};
  std::uint64_t max_head_lag = 3;  ///< blocks
};

class EndpointPool final : public Transport {
 public:
  EndpointPool(std::vector<std::shared_ptr<Transport>> endpoints, PoolOptions options = {});

  boost::asio::awaitable<RpcResult<std::string>> call(std::string method, std::string params_json) override;
  boost::asio::awaitable<RpcResult<BatchResults>> batch(std::vector<RawCall> calls) override;
  /// The endpoint currently preferred.
  std::string endpoint() const override;

  /// Polls eth_blockNumber on every endpoint (one after the other) and updates heads and demotions.
  boost::asio::awaitable<void> refresh_heads();
  void report_head(std::size_t index, BlockNumber head);

  struct EndpointHealth {
    std::string endpoint;
    int consecutive_failures = 0;
    std::optional<BlockNumber> head;
    bool healthy = true;  ///< not in failure cooldown
    bool demoted = false;  ///< lagging the best head by more than max_head_lag
  };
  std::vector<EndpointHealth> health() const;

 private:
  template <class T, class Fn>
  boost::asio::awaitable<RpcResult<T>> dispatch(const char* method, Fn fn);
  std::vector<std::size_t> order() const;
  void record(std::size_t index, bool failed);

  std::vector<std::shared_ptr<Transport>> endpoints_;
  PoolOptions options_;
  mutable std::mutex mutex_;
  struct Entry {
    int consecutive_failures = 0;
    std::chrono::steady_clock::time_point unhealthy_until{};
    std::optional<BlockNumber> head;
  };
  std::vector<Entry> entries_;
};

}  // namespace sluice::rpc
