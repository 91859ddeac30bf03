#pragma once
/// JSON-RPC over HTTP(S) with libcurl: a few persistent connections (one easy handle each, reused, keep-alive),
/// each driven by its own worker thread so blocking curl never runs on the io_context; the awaiting coroutine is
/// resumed on its own executor. Retries transport errors, timeouts, HTTP 429 and 5xx with exponential backoff and
/// full jitter (honouring Retry-After), and paces requests with a token bucket (requests per second).

#include "chain/rpc/transport.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace sluice::rpc {

struct RetryPolicy {
  int max_attempts = 4;  ///< total attempts including the first (1: no retry)
  std::chrono::milliseconds initial_backoff{50};
  std::chrono::milliseconds max_backoff{2000};
  double multiplier = 2.0;
  /// Upper bound on a Retry-After we honour (a larger one makes the call fail with rate_limited).
  std::chrono::milliseconds max_retry_after{10000};
};

struct HttpOptions {
  std::chrono::milliseconds timeout{10000};          ///< per attempt, whole request
  std::chrono::milliseconds connect_timeout{3000};
  int connections = 2;                               ///< parallel persistent connections (worker threads)
  double requests_per_second = 0;                    ///< token-bucket rate; 0 = unlimited
  double burst = 10;                                 ///< token-bucket capacity
  std::size_t max_batch_size = 1000;                 ///< larger batches are sent in chunks
  RetryPolicy retry;
  std::uint64_t jitter_seed = 0;                     ///< 0: seeded from the clock
};

/// The delay before retry number `attempt` (1-based): full jitter over min(max, initial * multiplier^(attempt-1)),
/// or `retry_after` when the server sent one. `unit_random` is in [0, 1).
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt,
                                        std::optional<std::chrono::milliseconds> retry_after, double unit_random);

/// Parses a Retry-After header value: delta-seconds ("120") or an HTTP-date; nullopt if neither.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

class HttpTransport final : public Transport {
 public:
  /// `url` may carry credentials or an API key; only its redacted form is ever shown.
  explicit HttpTransport(std::string url, HttpOptions options = {});
  ~HttpTransport() override;
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  boost::asio::awaitable<RpcResult<std::string>> call(std::string method, std::string params_json) override;
  boost::asio::awaitable<RpcResult<BatchResults>> batch(std::vector<RawCall> calls) override;
  std::string endpoint() const override;

  /// Counters for tests and metrics.
  struct Stats {
    std::uint64_t requests = 0;  ///< HTTP requests sent (attempts)
    std::uint64_t retries = 0;
    std::uint64_t connections_opened = 0;  ///< new TCP connections (keep-alive reuse keeps this small)
  };
  Stats stats() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sluice::rpc
