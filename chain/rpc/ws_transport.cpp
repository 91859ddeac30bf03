#include "chain/rpc/ws_transport.hpp"

#include "chain/rpc/json.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <simdjson.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <unordered_map>

namespace sluice::rpc {

namespace asio = boost::asio;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

/// A one-shot completion a coroutine can wait for: the timer never expires by itself; `finish` cancels it.
struct Waiter {
  explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {
    timer.expires_at(asio::steady_timer::time_point::max());
  }
  asio::steady_timer timer;
  std::optional<RpcResult<std::string>> single;
  std::optional<RpcResult<BatchResults>> batch;
  bool done = false;

  void finish() {
    done = true;
    timer.cancel();
  }
  /// Waits until finished or `timeout` elapsed; true if finished.
  asio::awaitable<bool> wait(std::chrono::milliseconds timeout) {
    if (done) co_return true;
    timer.expires_after(timeout);
    co_await timer.async_wait(kNoThrow);
    co_return done;
  }
};

/// A request sent (or to be sent) and not yet answered. A batch occupies ids [first, first + calls.size()).
struct Pending {
  std::string method;  ///< "batch" for a batch
  std::string wire;
  std::vector<RawCall> calls;  ///< batch only
  std::size_t count = 1;
  int sends = 0;
  std::shared_ptr<Waiter> waiter;                 ///< the caller's; null for internal requests
  std::optional<SubscriptionHandle> subscribe_for;  ///< an eth_subscribe we issued for this handle
};

struct Subscription {
  std::string params_json;
  std::function<void(std::string_view)> handler;
  std::string server_id;            ///< empty until confirmed on the current connection
  std::shared_ptr<Waiter> confirm;  ///< the subscribe() caller, until the first answer
};

/// What an incoming message is, found without decoding its payload.
struct Incoming {
  enum class Kind { response, notification, unparsable } kind = Kind::unparsable;
  std::uint64_t id = 0;           ///< response: its id (a batch: the id of any element)
  std::string subscription;       ///< notification: the node's subscription id
  std::string_view result_json;   ///< notification: raw JSON of params.result (points into the body)
};

Incoming classify(simdjson::ondemand::parser& parser, const std::string& body) {
  Incoming incoming;
  simdjson::ondemand::document doc;
  if (parser.iterate(body.data(), body.size(), body.capacity()).get(doc)) return incoming;
  simdjson::ondemand::json_type type;
  if (doc.type().get(type)) return incoming;
  if (type == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array array;
    if (doc.get_array().get(array)) return incoming;
    for (auto element : array) {
      simdjson::ondemand::object object;
      std::uint64_t id = 0;
      if (element.get_object().get(object) || object.find_field_unordered("id").get_uint64().get(id)) return incoming;
      incoming.kind = Incoming::Kind::response;
      incoming.id = id;
      return incoming;
    }
    return incoming;
  }
  simdjson::ondemand::object object;
  if (doc.get_object().get(object)) return incoming;
  // Field order varies by node: look for "id" first, then for a subscription notification.
  std::uint64_t id = 0;
  if (!object.find_field_unordered("id").get_uint64().get(id)) {
    incoming.kind = Incoming::Kind::response;
    incoming.id = id;
    return incoming;
  }
  std::string_view method;
  if (object.find_field_unordered("method").get_string().get(method) || method != "eth_subscription")
    return incoming;
  simdjson::ondemand::object params;
  if (object.find_field_unordered("params").get_object().get(params)) return incoming;
  std::string_view subscription;
  if (params.find_field_unordered("subscription").get_string().get(subscription)) return incoming;
  simdjson::ondemand::value result;
  std::string_view raw;
  if (params.find_field_unordered("result").get(result) || simdjson::to_json_string(result).get(raw)) return incoming;
  incoming.kind = Incoming::Kind::notification;
  incoming.subscription = std::string(subscription);
  incoming.result_json = raw;
  return incoming;
}

}  // namespace

struct WsTransport::State : std::enable_shared_from_this<WsTransport::State> {
  State(asio::any_io_executor ex, WsEndpoint ep, std::string redacted_url, WsTransportOptions opts)
      : executor(std::move(ex)),
        endpoint(std::move(ep)),
        redacted(std::move(redacted_url)),
        options(std::move(opts)),
        wake(executor),
        rng(std::random_device{}()) {}

  asio::any_io_executor executor;
  WsEndpoint endpoint;
  std::string redacted;
  WsTransportOptions options;
  std::shared_ptr<asio::ssl::context> tls;
  std::shared_ptr<WsConnection> connection;
  bool stopped = false;
  bool is_dead = false;
  std::uint64_t generation = 0;
  std::uint64_t next_id = 1;
  SubscriptionHandle next_handle = 1;
  std::map<std::uint64_t, Pending> pending;
  std::map<SubscriptionHandle, Subscription> subscriptions;
  std::unordered_map<std::string, SubscriptionHandle> by_server_id;
  asio::steady_timer wake;  ///< the backoff sleep; cancelled by close()
  std::minstd_rand rng;
  simdjson::ondemand::parser peek_parser;
  ResponseDecoder decoder;
  std::function<void(std::uint64_t)> on_connection;
  std::function<void(const std::string&)> on_diagnostic;
  std::function<void()> on_dead;

  RpcError error(ErrorKind kind, std::string method, std::string message) const {
    RpcError e = make_error(kind, std::move(method), std::move(message));
    e.endpoint = redacted;
    return e;
  }

  void diagnose(const std::string& line) const {
    if (on_diagnostic) on_diagnostic(redacted + ": " + line);
  }

  bool is_connected() const noexcept { return connection && connection->is_open(); }

  void send(Pending& p) {
    ++p.sends;
    connection->send(p.wire);
  }

  void complete(Pending& p, RpcResult<std::string> result) {
    if (p.waiter) {
      p.waiter->single = std::move(result);
      p.waiter->finish();
    }
  }

  void fail(Pending& p, const RpcError& e) {
    if (!p.waiter) return;
    if (p.method == "batch")
      p.waiter->batch = RpcResult<BatchResults>(e);
    else
      p.waiter->single = RpcResult<std::string>(e);
    p.waiter->finish();
  }

  /// Forgets every subscription; a subscribe() still waiting for its first answer gets `e`.
  void fail_subscriptions(const RpcError& e) {
    for (auto& [handle, sub] : subscriptions)
      if (sub.confirm) {
        RpcError each = e;
        each.method = "eth_subscribe";
        sub.confirm->single = RpcResult<std::string>(std::move(each));
        sub.confirm->finish();
      }
    subscriptions.clear();
    by_server_id.clear();
  }

  void fail_all_pending(const RpcError& e) {
    for (auto& [id, p] : pending) {
      RpcError each = e;
      each.method = p.method;
      fail(p, each);
    }
    pending.clear();
  }

  std::uint64_t enqueue(Pending p) {
    const std::uint64_t id = next_id;
    next_id += p.count;
    auto [it, inserted] = pending.emplace(id, std::move(p));
    if (is_connected()) send(it->second);
    return id;
  }

  void request_subscription(SubscriptionHandle handle, const Subscription& sub) {
    Pending p;
    p.method = "eth_subscribe";
    p.subscribe_for = handle;
    p.wire = build_request(next_id, p.method, sub.params_json);
    enqueue(std::move(p));
  }

  void on_subscribe_answer(SubscriptionHandle handle, RpcResult<std::string> answer) {
    auto it = subscriptions.find(handle);
    if (it == subscriptions.end()) return;  // unsubscribed meanwhile
    Subscription& sub = it->second;
    std::string server_id;
    if (answer && answer->size() >= 2 && answer->front() == '"' && answer->back() == '"')
      server_id = answer->substr(1, answer->size() - 2);
    else if (answer)
      answer = RpcResult<std::string>(error(ErrorKind::malformed_response, "eth_subscribe",
                                            "subscription id is not a string: " + *answer));
    if (!answer) {
      diagnose("eth_subscribe refused: " + answer.error().describe());
      if (sub.confirm) {
        sub.confirm->single = std::move(answer);
        sub.confirm->finish();
        subscriptions.erase(it);  // refused on first try: the caller learns it and gets no handle
      }
      return;
    }
    sub.server_id = server_id;
    by_server_id[server_id] = handle;
    if (sub.confirm) {
      sub.confirm->single = RpcResult<std::string>(std::move(server_id));
      sub.confirm->finish();
      sub.confirm.reset();
    }
  }

  /// Handles one message; false if it was unparsable (the connection is then dropped).
  bool dispatch(std::string& body) {
    pad_for_simdjson(body);
    const Incoming incoming = classify(peek_parser, body);
    if (incoming.kind == Incoming::Kind::notification) {
      auto found = by_server_id.find(incoming.subscription);
      if (found == by_server_id.end()) return true;  // a late notification of a cancelled subscription
      auto sub = subscriptions.find(found->second);
      if (sub == subscriptions.end()) return true;
      auto handler = sub->second.handler;  // the handler may unsubscribe
      handler(incoming.result_json);
      return true;
    }
    if (incoming.kind == Incoming::Kind::unparsable) return false;
    auto it = pending.upper_bound(incoming.id);
    if (it == pending.begin()) return true;  // an answer to a request that timed out: nothing waits for it
    --it;
    if (incoming.id >= it->first + it->second.count) return true;
    Pending p = std::move(it->second);
    const std::uint64_t first = it->first;
    pending.erase(it);
    if (p.method == "batch") {
      auto results = decoder.decode_batch(body, first, p.calls);
      if (!results) results.error().endpoint = redacted;
      if (p.waiter) {
        p.waiter->batch = std::move(results);
        p.waiter->finish();
      }
      return true;
    }
    auto result = decoder.decode_single(body, first, p.method);
    if (!result) result.error().endpoint = redacted;
    if (p.subscribe_for) {
      on_subscribe_answer(*p.subscribe_for, std::move(result));
      return true;
    }
    complete(p, std::move(result));
    return true;
  }

  void on_connected() {
    ++generation;
    by_server_id.clear();
    // Subscriptions first, so that no notification is missed for longer than needed; internal eth_subscribe
    // requests of the previous connection are obsolete (their answers will never come).
    std::erase_if(pending, [](const auto& entry) { return entry.second.subscribe_for.has_value(); });
    for (auto& [handle, sub] : subscriptions) {
      sub.server_id.clear();
      request_subscription(handle, sub);
    }
    for (auto it = pending.begin(); it != pending.end();) {
      Pending& p = it->second;
      if (p.subscribe_for) {
        ++it;
        continue;
      }
      if (p.sends > options.max_resends) {
        fail(p, error(ErrorKind::transport, p.method, "connection lost; gave up after re-sending the request"));
        it = pending.erase(it);
        continue;
      }
      send(p);
      ++it;
    }
    if (on_connection) on_connection(generation);
  }

  std::chrono::milliseconds jittered(std::chrono::milliseconds base) {
    std::uniform_int_distribution<std::int64_t> dist(base.count() / 2, std::max<std::int64_t>(base.count(), 1));
    return std::chrono::milliseconds(dist(rng));
  }

  static asio::awaitable<void> run(std::shared_ptr<State> self) {
    auto backoff = self->options.backoff_initial;
    int failures = 0;
    while (!self->stopped) {
      auto connected = co_await connect_ws(self->endpoint, self->options.connection, self->tls);
      if (self->stopped) break;
      if (!connected) {
        ++failures;
        self->diagnose("connect failed (" + connected.error().message() + ")");
        if (self->options.max_connect_failures > 0 && failures >= self->options.max_connect_failures) {
          self->is_dead = true;
          const RpcError unreachable =
              self->error(ErrorKind::transport, "", "endpoint unreachable: " + connected.error().message());
          self->fail_all_pending(unreachable);
          self->fail_subscriptions(unreachable);
          if (self->on_dead) self->on_dead();
          co_return;
        }
        self->wake.expires_after(self->jittered(backoff));
        co_await self->wake.async_wait(kNoThrow);
        backoff = std::min(backoff * 2, self->options.backoff_max);
        continue;
      }
      failures = 0;
      backoff = self->options.backoff_initial;
      self->connection = *connected;
      auto connection = self->connection;
      self->on_connected();
      for (;;) {
        auto message = co_await connection->read();
        if (!message) {
          if (!self->stopped) self->diagnose("connection lost (" + message.error().message() + ")");
          break;
        }
        if (!self->dispatch(*message)) {
          std::string excerpt = message->substr(0, 120);
          self->diagnose("unparsable message from node, reconnecting: " + excerpt);
          // The message may have been the answer to any request in flight: fail them all, explicitly.
          self->fail_all_pending(self->error(ErrorKind::malformed_response, "",
                                             "unparsable message from node: " + excerpt));
          break;
        }
      }
      connection->abort();
      if (self->connection == connection) self->connection.reset();
      if (self->stopped) break;
      self->wake.expires_after(self->jittered(backoff));
      co_await self->wake.async_wait(kNoThrow);
    }
  }
};

RpcResult<std::shared_ptr<WsTransport>> WsTransport::create(asio::any_io_executor executor, std::string_view url,
                                                             WsTransportOptions options) {
  auto endpoint = parse_ws_url(url);
  if (!endpoint) {
    RpcError e = make_error(ErrorKind::invalid_argument, "", endpoint.error().message());
    e.endpoint = redact_url(url);
    return e;
  }
  auto state = std::make_shared<State>(std::move(executor), *endpoint, redact_url(url), std::move(options));
  if (endpoint->tls) {
    auto tls = make_tls_context(state->options.ca_file);
    if (!tls) {
      RpcError e = make_error(ErrorKind::invalid_argument, "", "TLS setup failed: " + tls.error().message());
      e.endpoint = state->redacted;
      return e;
    }
    state->tls = *tls;
  }
  asio::co_spawn(state->executor, State::run(state), asio::detached);
  return std::shared_ptr<WsTransport>(new WsTransport(std::move(state)));
}

WsTransport::~WsTransport() { close(); }

std::string WsTransport::endpoint() const { return state_->redacted; }

asio::awaitable<RpcResult<std::string>> WsTransport::call(std::string method, std::string params_json) {
  auto state = state_;
  if (state->stopped || state->is_dead)
    co_return state->error(ErrorKind::transport, method, state->is_dead ? "endpoint unreachable" : "closed");
  auto waiter = std::make_shared<Waiter>(state->executor);
  Pending p;
  p.method = method;
  p.wire = build_request(state->next_id, method, params_json);
  p.waiter = waiter;
  const std::uint64_t id = state->enqueue(std::move(p));
  if (!co_await waiter->wait(state->options.call_timeout)) {
    state->pending.erase(id);
    co_return state->error(ErrorKind::timeout, method, "no answer within the call timeout");
  }
  co_return std::move(*waiter->single);
}

asio::awaitable<RpcResult<BatchResults>> WsTransport::batch(std::vector<RawCall> calls) {
  auto state = state_;
  if (calls.empty()) co_return BatchResults{};
  if (state->stopped || state->is_dead)
    co_return state->error(ErrorKind::transport, "batch", state->is_dead ? "endpoint unreachable" : "closed");
  auto waiter = std::make_shared<Waiter>(state->executor);
  Pending p;
  p.method = "batch";
  p.count = calls.size();
  p.wire = build_batch(state->next_id, calls);
  p.calls = std::move(calls);
  p.waiter = waiter;
  const std::uint64_t id = state->enqueue(std::move(p));
  if (!co_await waiter->wait(state->options.call_timeout)) {
    state->pending.erase(id);
    co_return state->error(ErrorKind::timeout, "batch", "no answer within the call timeout");
  }
  co_return std::move(*waiter->batch);
}

asio::awaitable<RpcResult<SubscriptionHandle>> WsTransport::subscribe(
    std::string params_json, std::function<void(std::string_view)> on_notification) {
  auto state = state_;
  if (state->stopped || state->is_dead)
    co_return state->error(ErrorKind::transport, "eth_subscribe", state->is_dead ? "endpoint unreachable" : "closed");
  const SubscriptionHandle handle = state->next_handle++;
  Subscription sub;
  sub.params_json = std::move(params_json);
  sub.handler = std::move(on_notification);
  sub.confirm = std::make_shared<Waiter>(state->executor);
  auto waiter = sub.confirm;
  auto& stored = state->subscriptions.emplace(handle, std::move(sub)).first->second;
  if (state->is_connected()) state->request_subscription(handle, stored);
  if (!co_await waiter->wait(state->options.call_timeout)) {
    state->subscriptions.erase(handle);
    co_return state->error(ErrorKind::timeout, "eth_subscribe", "no answer within the call timeout");
  }
  if (!*waiter->single) co_return waiter->single->error();
  co_return handle;
}

asio::awaitable<RpcResult<void>> WsTransport::unsubscribe(SubscriptionHandle handle) {
  auto state = state_;
  auto it = state->subscriptions.find(handle);
  if (it == state->subscriptions.end())
    co_return state->error(ErrorKind::invalid_argument, "eth_unsubscribe", "unknown subscription handle");
  const std::string server_id = it->second.server_id;
  state->subscriptions.erase(it);
  if (server_id.empty() || !state->is_connected()) co_return RpcResult<void>();
  state->by_server_id.erase(server_id);
  std::string params = "[";
  append_json_string(params, server_id);
  params += "]";
  auto answer = co_await call("eth_unsubscribe", std::move(params));
  if (!answer) co_return answer.error();
  co_return RpcResult<void>();
}

void WsTransport::set_connection_listener(std::function<void(std::uint64_t)> listener) {
  state_->on_connection = std::move(listener);
}
void WsTransport::set_diagnostic_listener(std::function<void(const std::string&)> listener) {
  state_->on_diagnostic = std::move(listener);
}
void WsTransport::set_dead_listener(std::function<void()> listener) { state_->on_dead = std::move(listener); }

bool WsTransport::connected() const noexcept { return state_->is_connected(); }
bool WsTransport::dead() const noexcept { return state_->is_dead; }
std::uint64_t WsTransport::generation() const noexcept { return state_->generation; }

void WsTransport::drop_connection() {
  if (state_->connection) state_->connection->abort();
}

void WsTransport::close() {
  if (state_->stopped) return;
  state_->stopped = true;
  const RpcError closed = state_->error(ErrorKind::transport, "", "transport closed");
  state_->fail_all_pending(closed);
  state_->fail_subscriptions(closed);
  if (state_->connection) state_->connection->abort();
  state_->wake.cancel();
}

}  // namespace sluice::rpc
