#include "chain/rpc/block_follower.hpp"

#include "chain/rpc/http_transport.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cctype>

namespace sluice::rpc {

namespace asio = boost::asio;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

bool starts_with_nocase(std::string_view text, std::string_view prefix) noexcept {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

/// A block already delivered, remembered for de-duplication and reorg handling.
struct Delivered {
  BlockNumber number = 0;
  Hash hash;
  std::vector<Log> logs;
};

/// What the session loop reacts to.
struct Event {
  enum class Kind { head, catch_up, dead } kind = Kind::catch_up;
  std::string json;  ///< head: the notification's raw result
};

}  // namespace

bool is_http_url(std::string_view url) noexcept {
  return starts_with_nocase(url, "http://") || starts_with_nocase(url, "https://");
}

struct BlockFollower::State {
  State(asio::any_io_executor ex, std::vector<std::string> u, FollowerOptions o, Sink s, Diagnostics d)
      : executor(std::move(ex)),
        urls(std::move(u)),
        options(std::move(o)),
        sink(std::move(s)),
        diagnostics(std::move(d)),
        signal(executor) {}

  asio::any_io_executor executor;
  std::vector<std::string> urls;
  FollowerOptions options;
  Sink sink;
  Diagnostics diagnostics;
  std::deque<Delivered> recent;        ///< ascending by number, contiguous
  std::optional<BlockNumber> next;     ///< the next block to deliver; unset until the first endpoint answers
  std::size_t index = 0;
  bool stopped = false;
  std::deque<Event> events;
  asio::steady_timer signal;           ///< wakes the session loop when an event arrives
  std::shared_ptr<WsTransport> ws;     ///< the current WebSocket transport, if any
  JsonParser parser;

  void diagnose(const std::string& line) const {
    if (diagnostics) diagnostics(line);
  }

  void push(Event event) {
    events.push_back(std::move(event));
    signal.cancel();
  }

  /// The next event, or a catch_up after `timeout` without one.
  asio::awaitable<Event> next_event(std::chrono::milliseconds timeout) {
    if (events.empty() && !stopped) {
      signal.expires_after(timeout);
      co_await signal.async_wait(kNoThrow);
    }
    if (events.empty()) co_return Event{};
    Event event = std::move(events.front());
    events.pop_front();
    co_return event;
  }

  asio::awaitable<void> sleep(std::chrono::milliseconds duration) {
    if (stopped) co_return;
    signal.expires_after(duration);
    co_await signal.async_wait(kNoThrow);
  }

  const Delivered* find_delivered(BlockNumber number) const {
    if (recent.empty() || number < recent.front().number || number > recent.back().number) return nullptr;
    return &recent[number - recent.front().number];
  }

  /// Fetches the block's logs, then delivers the head and its logs, and remembers it.
  asio::awaitable<RpcResult<void>> deliver(Client& client, const BlockHeader& head) {
    std::vector<Log> logs;
    if (options.logs) {
      LogFilter filter;
      filter.addresses = options.addresses;
      filter.topics = options.topics;
      filter.block_hash = head.hash;
      auto fetched = co_await client.get_logs(std::move(filter));
      if (!fetched) co_return fetched.error();
      logs = std::move(*fetched);
      std::stable_sort(logs.begin(), logs.end(),
                       [](const Log& a, const Log& b) { return a.log_index.value_or(0) < b.log_index.value_or(0); });
    }
    if (stopped) co_return RpcResult<void>();  // stop() means: deliver nothing more
    sink(FollowerItem{FollowerItem::Kind::head, head, {}});
    for (const Log& log : logs) sink(FollowerItem{FollowerItem::Kind::log, {}, log});
    recent.push_back(Delivered{head.number, head.hash, std::move(logs)});
    while (recent.size() > std::max<std::size_t>(options.reorg_window, 1)) recent.pop_front();
    next = head.number + 1;
    co_return RpcResult<void>();
  }

  /// Walks back from the newest delivered block to the newest one the node still has; the logs of every
  /// abandoned block are delivered again with removed = true, and `next` moves back to the fork point + 1.
  asio::awaitable<RpcResult<void>> unwind(Client& client) {
    while (!recent.empty() && !stopped) {
      auto canonical = co_await client.get_block_by_number(recent.back().number);
      if (!canonical) co_return canonical.error();
      if (*canonical && (*canonical)->hash == recent.back().hash) co_return RpcResult<void>();
      Delivered abandoned = std::move(recent.back());
      recent.pop_back();
      diagnose("reorg: block " + std::to_string(abandoned.number) + " " + abandoned.hash.hex() +
               " was abandoned by the node");
      for (auto it = abandoned.logs.rbegin(); it != abandoned.logs.rend(); ++it) {
        Log removed = *it;
        removed.removed = true;
        sink(FollowerItem{FollowerItem::Kind::log, {}, std::move(removed)});
      }
      next = abandoned.number;
    }
    if (recent.empty()) diagnose("reorg deeper than the remembered window; continuing on the node's chain");
    co_return RpcResult<void>();
  }

  /// Delivers every block from `next` up to `target` (inclusive) that the node has, in order.
  asio::awaitable<RpcResult<void>> catch_up(Client& client, BlockNumber target) {
    while (next && *next <= target && !stopped) {
      auto block = co_await client.get_block_by_number(*next);
      if (!block) co_return block.error();
      if (!*block) co_return RpcResult<void>();  // this node is behind: later
      if (!recent.empty() && recent.back().number + 1 == (*block)->number &&
          (*block)->parent_hash != recent.back().hash) {
        auto unwound = co_await unwind(client);
        if (!unwound) co_return unwound;
        continue;
      }
      auto delivered = co_await deliver(client, **block);
      if (!delivered) co_return delivered;
    }
    co_return RpcResult<void>();
  }

  asio::awaitable<RpcResult<void>> catch_up_to_tip(Client& client) {
    auto tip = co_await client.block_number();
    if (!tip) co_return tip.error();
    if (!next) next = options.from_block ? *options.from_block : *tip + 1;
    co_return co_await catch_up(client, *tip);
  }

  asio::awaitable<RpcResult<void>> on_live_head(Client& client, const std::string& json) {
    auto decoded = decode_block_header(parser, json, "eth_subscription");
    if (!decoded) co_return decoded.error();
    if (!*decoded) co_return RpcResult<void>();
    const BlockHeader& head = **decoded;
    if (!next) co_return co_await catch_up_to_tip(client);
    if (head.number < *next) {
      // Below what we remember (or before --from-block): nothing to compare with, nothing to deliver.
      if (recent.empty() || head.number < recent.front().number) co_return RpcResult<void>();
      const Delivered* seen = find_delivered(head.number);
      if (seen && seen->hash == head.hash) co_return RpcResult<void>();  // already delivered (backfill won)
      auto unwound = co_await unwind(client);  // a different block at a height we delivered: a reorg
      if (!unwound) co_return unwound;
      co_return co_await catch_up(client, head.number);
    }
    if (head.number == *next && (recent.empty() || recent.back().hash == head.parent_hash))
      co_return co_await deliver(client, head);
    co_return co_await catch_up(client, head.number);  // a gap (or a parent we did not deliver): backfill
  }

  /// Follows through `urls[index]` until it fails `max_failures` times in a row, dies, or stop().
  asio::awaitable<RpcResult<void>> session(const std::string& url) {
    events.clear();
    std::shared_ptr<Transport> transport;
    const bool websocket = is_ws_url(url);
    if (websocket) {
      WsTransportOptions ws_options = options.ws;
      if (ws_options.max_connect_failures == 0) ws_options.max_connect_failures = options.max_failures;
      auto created = WsTransport::create(executor, url, ws_options);
      if (!created) co_return created.error();
      ws = *created;
      ws->set_diagnostic_listener([this](const std::string& line) { diagnose(line); });
      ws->set_connection_listener([this](std::uint64_t generation) {
        if (generation > 1) push(Event{Event::Kind::catch_up, {}});
      });
      ws->set_dead_listener([this] { push(Event{Event::Kind::dead, {}}); });
      transport = ws;
    } else if (is_http_url(url)) {
      transport = std::make_shared<HttpTransport>(url);
    } else {
      co_return make_error(ErrorKind::invalid_argument, "", "not a ws://, wss://, http:// or https:// URL: " +
                                                                redact_url(url));
    }
    Client client(transport);
    int failures = 0;
    auto failed = [&](const RpcError& error) {
      ++failures;
      diagnose(error.describe());
      return failures >= options.max_failures;
    };
    if (websocket) {
      auto subscribed = co_await ws->subscribe(R"(["newHeads"])", [this](std::string_view json) {
        push(Event{Event::Kind::head, std::string(json)});
      });
      if (!subscribed) {
        diagnose(subscribed.error().describe());
        ws->close();
        ws.reset();
        co_return RpcResult<void>();
      }
    }
    bool need_catch_up = true;
    const auto idle = websocket ? options.poll_interval * 4 : options.poll_interval;
    while (!stopped) {
      if (ws && ws->dead()) break;
      if (need_catch_up) {
        auto caught_up = co_await catch_up_to_tip(client);
        if (!caught_up) {
          if (failed(caught_up.error())) break;
          co_await sleep(options.poll_interval);
          continue;
        }
        need_catch_up = false;
        failures = 0;
      }
      Event event = co_await next_event(idle);
      if (stopped) break;
      if (event.kind == Event::Kind::dead) break;
      if (event.kind == Event::Kind::catch_up) {
        need_catch_up = true;
        continue;
      }
      auto handled = co_await on_live_head(client, event.json);
      if (!handled) {
        need_catch_up = true;  // whatever was missed is fetched on the next round
        if (failed(handled.error())) break;
      } else {
        failures = 0;
      }
    }
    if (ws) {
      ws->close();
      ws.reset();
    }
    co_return RpcResult<void>();
  }
};

BlockFollower::BlockFollower(asio::any_io_executor executor, std::vector<std::string> urls, FollowerOptions options,
                             Sink sink, Diagnostics diagnostics)
    : state_(std::make_shared<State>(std::move(executor), std::move(urls), std::move(options), std::move(sink),
                                     std::move(diagnostics))) {}

BlockFollower::~BlockFollower() { stop(); }

asio::awaitable<RpcResult<void>> BlockFollower::run() {
  auto state = state_;
  if (state->urls.empty()) co_return make_error(ErrorKind::invalid_argument, "", "no endpoint given");
  for (const auto& url : state->urls)
    if (!is_ws_url(url) && !is_http_url(url))
      co_return make_error(ErrorKind::invalid_argument, "",
                           "not a ws://, wss://, http:// or https:// URL: " + redact_url(url));
  while (!state->stopped) {
    const std::string& url = state->urls[state->index];
    auto result = co_await state->session(url);
    if (!result) co_return result;
    if (state->stopped) break;
    state->index = (state->index + 1) % state->urls.size();
    state->diagnose("failing over to " + redact_url(state->urls[state->index]));
    if (state->index == 0) co_await state->sleep(state->options.poll_interval);  // every endpoint failed once
  }
  co_return RpcResult<void>();
}

void BlockFollower::stop() {
  state_->stopped = true;
  state_->signal.cancel();
  if (state_->ws) state_->ws->close();
}

std::optional<BlockNumber> BlockFollower::next_block() const noexcept { return state_->next; }
std::size_t BlockFollower::endpoint_index() const noexcept { return state_->index; }

}  // namespace sluice::rpc
