#include "chain/rpc/endpoint_pool.hpp"

#include "chain/rpc/decode.hpp"

#include <algorithm>

namespace sluice::rpc {

namespace asio = boost::asio;

EndpointPool::EndpointPool(std::vector<std::shared_ptr<Transport>> endpoints, PoolOptions options)
    : endpoints_(std::move(endpoints)), options_(options), entries_(endpoints_.size()) {}

std::vector<std::size_t> EndpointPool::order() const {
  // Healthy and in step first (configured order), then demoted (lagging) ones, then those in failure cooldown:
  // when everything is bad we still try, best first, rather than fail without asking.
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  std::optional<BlockNumber> best;
  for (const auto& e : entries_)
    if (e.head && (!best || *e.head > *best)) best = e.head;
  auto rank = [&](std::size_t i) {
    const auto& e = entries_[i];
    if (e.unhealthy_until > now) return 2;
    if (best && e.head && *best - *e.head > options_.max_head_lag) return 1;
    if (best && !e.head) return 1;  // never answered eth_blockNumber while others did
    return 0;
  };
  std::vector<std::size_t> out(entries_.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = i;
  std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
  return out;
}

void EndpointPool::record(std::size_t index, bool failed) {
  std::lock_guard lock(mutex_);
  auto& e = entries_[index];
  if (!failed) {
    e.consecutive_failures = 0;
    return;
  }
  if (++e.consecutive_failures >= options_.max_consecutive_failures)
    e.unhealthy_until = std::chrono::steady_clock::now() + options_.cooldown;
}

void EndpointPool::report_head(std::size_t index, BlockNumber head) {
  std::lock_guard lock(mutex_);
  if (index < entries_.size()) entries_[index].head = head;
}

template <class T, class Fn>
asio::awaitable<RpcResult<T>> EndpointPool::dispatch(const char* method, Fn fn) {
  std::optional<RpcError> last;
  for (const std::size_t i : order()) {
    RpcResult<T> result = co_await fn(*endpoints_[i]);
    const bool failed = !result && result.error().is_retryable();
    record(i, failed);
    if (!failed) co_return result;
    last = std::move(result.error());
  }
  RpcError e = make_error(ErrorKind::no_healthy_endpoint, method, "every endpoint failed");
  if (last) e.message += "; last: " + last->describe();
  co_return e;
}

asio::awaitable<RpcResult<std::string>> EndpointPool::call(std::string method, std::string params_json) {
  co_return co_await dispatch<std::string>(method.c_str(), [&](Transport& t) { return t.call(method, params_json); });
}

asio::awaitable<RpcResult<BatchResults>> EndpointPool::batch(std::vector<RawCall> calls) {
  co_return co_await dispatch<BatchResults>("batch", [&](Transport& t) { return t.batch(calls); });
}

std::string EndpointPool::endpoint() const {
  const auto o = order();
  return o.empty() ? std::string("(no endpoint)") : endpoints_[o.front()]->endpoint();
}

asio::awaitable<void> EndpointPool::refresh_heads() {
  JsonParser parser;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    auto raw = co_await endpoints_[i]->call("eth_blockNumber", "[]");
    if (!raw) {
      record(i, raw.error().is_retryable());
      continue;
    }
    if (auto head = decode_u64_result(parser, *raw, "eth_blockNumber")) {
      report_head(i, *head);
      record(i, false);
    }
  }
}

std::vector<EndpointPool::EndpointHealth> EndpointPool::health() const {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  std::optional<BlockNumber> best;
  for (const auto& e : entries_)
    if (e.head && (!best || *e.head > *best)) best = e.head;
  std::vector<EndpointHealth> out;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const auto& e = entries_[i];
    out.push_back({endpoints_[i]->endpoint(), e.consecutive_failures, e.head, e.unhealthy_until <= now,
                   best && e.head && *best - *e.head > options_.max_head_lag});
  }
  return out;
}

}  // namespace sluice::rpc
