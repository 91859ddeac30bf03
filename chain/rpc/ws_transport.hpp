#pragma once
/// JSON-RPC over one WebSocket endpoint (ws:// or wss://), with reconnects that callers do not have to see.
///
/// - Requests are correlated by id; batches are sent as one JSON array.
/// - A background coroutine owns the connection: it connects, re-subscribes, re-sends every request still
///   unanswered (at most `max_resends` times, then the request fails with a transport error: never silently
///   lost), reads until the connection dies (peer close, reset, keepalive timeout, unparsable message), then
///   reconnects after an exponential backoff with full jitter.
/// - `subscribe` returns a handle chosen by us, stable across reconnects: the node's subscription id changes on
///   every reconnect, the handle does not. Notifications missed while disconnected are NOT replayed here; callers
///   that need every block use `connection_listener` to backfill (see chain/rpc/block_follower.hpp).
/// - An unparsable message (corrupt or truncated JSON) cannot be attributed to a request, so every request in
///   flight fails with `malformed_response` and the connection is dropped and re-established.
///
/// Threading: one executor (e.g. a single-threaded io_context); call every member on it.

#include "chain/rpc/transport.hpp"
#include "chain/rpc/ws_connection.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace sluice::rpc {

struct WsTransportOptions {
  WsOptions connection;                                 ///< connect timeout, keepalive (idle) timeout
  std::chrono::milliseconds call_timeout{15000};        ///< per call, including time spent reconnecting
  std::chrono::milliseconds backoff_initial{50};        ///< first reconnect delay (before jitter)
  std::chrono::milliseconds backoff_max{2000};          ///< cap of the exponential backoff
  int max_resends = 3;                                  ///< re-sends of one request across reconnects
  /// Consecutive failed connection attempts after which the endpoint is declared dead (pending calls fail,
  /// `dead_listener` runs, no more attempts). 0: retry forever.
  int max_connect_failures = 0;
  std::string ca_file;  ///< extra trusted CA (PEM) for wss://
};

/// Our handle of a subscription: stays the same across reconnects (the node's id does not).
using SubscriptionHandle = std::uint64_t;

class WsTransport final : public Transport {
 public:
  /// Checks the URL (ws:// or wss://) and starts connecting in the background on `executor`.
  static RpcResult<std::shared_ptr<WsTransport>> create(boost::asio::any_io_executor executor, std::string_view url,
                                                        WsTransportOptions options = {});
  ~WsTransport() override;
  WsTransport(const WsTransport&) = delete;
  WsTransport& operator=(const WsTransport&) = delete;

  boost::asio::awaitable<RpcResult<std::string>> call(std::string method, std::string params_json) override;
  boost::asio::awaitable<RpcResult<BatchResults>> batch(std::vector<RawCall> calls) override;
  std::string endpoint() const override;

  /// eth_subscribe with `params_json` (e.g. `["newHeads"]`, `["logs",{"address":[...],"topics":[...]}]`).
  /// `on_notification` gets the raw JSON of each notification's "result", on the executor. Returns once the
  /// node confirmed the first subscription (or refused it).
  boost::asio::awaitable<RpcResult<SubscriptionHandle>> subscribe(
      std::string params_json, std::function<void(std::string_view result_json)> on_notification);
  /// Forgets the subscription (no more notifications) and sends eth_unsubscribe if connected.
  boost::asio::awaitable<RpcResult<void>> unsubscribe(SubscriptionHandle handle);

  /// Runs after every successful (re)connection, once subscriptions were re-sent; `generation` counts
  /// connections (1 for the first).
  void set_connection_listener(std::function<void(std::uint64_t generation)> listener);
  /// Diagnostics: disconnects, reconnect attempts, unparsable messages (one line each, no trailing newline).
  void set_diagnostic_listener(std::function<void(const std::string& line)> listener);
  /// Runs once when the endpoint is declared dead (see `max_connect_failures`).
  void set_dead_listener(std::function<void()> listener);

  bool connected() const noexcept;
  bool dead() const noexcept;
  std::uint64_t generation() const noexcept;
  /// Drops the current connection as if the network failed (tests, and callers that detect a stale node).
  void drop_connection();
  /// Stops for good: pending calls fail, the background coroutine ends.
  void close();

 private:
  struct State;
  explicit WsTransport(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace sluice::rpc
