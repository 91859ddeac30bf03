#include "tests/support/ws_fault_proxy.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace sluice::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// One client connection and its upstream connection. Bytes are relayed as they are (so a stalled proxy
/// really is silent: WebSocket pings go unanswered); the node-to-client direction is parsed into WebSocket
/// frames (RFC 6455 section 5.2) so that a fault hits exactly one message.
struct Session {
  explicit Session(tcp::socket socket) : client(std::move(socket)), upstream(client.get_executor()) {}
  tcp::socket client;
  tcp::socket upstream;
  bool closed = false;

  void abort() {
    if (closed) return;
    closed = true;
    beast::error_code ignored;
    client.close(ignored);
    upstream.close(ignored);
  }
};

enum class Mangle : int { none = 0, corrupt = 1, truncate = 2 };

/// The header of a server-to-client frame (unmasked, as RFC 6455 requires of servers) for `payload_size`.
std::string frame_header(std::uint8_t first_byte, std::uint64_t payload_size) {
  std::string header(1, static_cast<char>(first_byte));
  if (payload_size < 126) {
    header += static_cast<char>(payload_size);
  } else if (payload_size <= 0xffff) {
    header += static_cast<char>(126);
    header += static_cast<char>(payload_size >> 8);
    header += static_cast<char>(payload_size & 0xff);
  } else {
    header += static_cast<char>(127);
    for (int shift = 56; shift >= 0; shift -= 8) header += static_cast<char>((payload_size >> shift) & 0xff);
  }
  return header;
}

}  // namespace

struct WsFaultProxy::Impl : std::enable_shared_from_this<WsFaultProxy::Impl> {
  explicit Impl(int upstream) : upstream_port(upstream), acceptor(io), work(asio::make_work_guard(io)) {}

  int upstream_port;
  asio::io_context io;
  tcp::acceptor acceptor;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::thread thread;
  int port = 0;
  std::vector<std::weak_ptr<Session>> sessions;  // touched on the io thread only

  std::atomic<std::int64_t> stall_until_ns{0};
  std::atomic<std::int64_t> delay_ns{0};
  std::atomic<bool> down{false};
  std::atomic<int> mangle{static_cast<int>(Mangle::none)};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> to_clients{0};

  void abort_all() {
    for (auto& weak : sessions)
      if (auto session = weak.lock()) session->abort();
    sessions.clear();
  }

  asio::awaitable<void> wait_out_stall_and_delay(bool apply_delay) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    if (apply_delay) {
      if (const auto delay = delay_ns.load(); delay > 0) {
        timer.expires_after(std::chrono::nanoseconds(delay));
        co_await timer.async_wait(kNoThrow);
      }
    }
    for (auto until = stall_until_ns.load(); now_ns() < until; until = stall_until_ns.load()) {
      timer.expires_after(std::chrono::nanoseconds(until - now_ns()));
      co_await timer.async_wait(kNoThrow);
    }
  }

  /// Client to node: raw bytes (masked frames, pings included).
  asio::awaitable<void> pump_up(std::shared_ptr<Session> session) {
    auto self = shared_from_this();
    std::array<char, 16384> buffer{};
    while (!session->closed) {
      co_await wait_out_stall_and_delay(false);
      auto [read_ec, n] = co_await session->client.async_read_some(asio::buffer(buffer), kNoThrow);
      if (read_ec || session->closed) break;
      co_await wait_out_stall_and_delay(true);
      if (session->closed) break;
      auto [write_ec, written] = co_await asio::async_write(session->upstream, asio::buffer(buffer.data(), n), kNoThrow);
      if (write_ec) break;
    }
    session->abort();
  }

  /// Node to client: the HTTP upgrade response as is, then frame by frame.
  asio::awaitable<void> pump_down(std::shared_ptr<Session> session) {
    auto self = shared_from_this();
    std::string pending;  // bytes read from upstream, not yet forwarded
    auto need = [&](std::size_t size) -> asio::awaitable<bool> {
      while (pending.size() < size) {
        co_await wait_out_stall_and_delay(false);
        std::array<char, 16384> buffer{};
        auto [ec, n] = co_await session->upstream.async_read_some(asio::buffer(buffer), kNoThrow);
        if (ec || session->closed) co_return false;
        pending.append(buffer.data(), n);
      }
      co_return true;
    };
    auto forward = [&](std::string bytes) -> asio::awaitable<bool> {
      co_await wait_out_stall_and_delay(true);
      if (session->closed) co_return false;
      auto [ec, n] = co_await asio::async_write(session->client, asio::buffer(bytes), kNoThrow);
      co_return !ec;
    };
    // The upgrade response ends at the first blank line.
    std::size_t end = std::string::npos;
    while ((end = pending.find("\r\n\r\n")) == std::string::npos)
      if (!co_await need(pending.size() + 1)) co_return session->abort();
    std::string response = pending.substr(0, end + 4);
    pending.erase(0, end + 4);
    if (!co_await forward(std::move(response))) co_return session->abort();
    for (;;) {
      if (!co_await need(2)) break;
      const auto b0 = static_cast<std::uint8_t>(pending[0]);
      const auto b1 = static_cast<std::uint8_t>(pending[1]);
      std::size_t header_size = 2;
      std::uint64_t size = b1 & 0x7f;
      if (size == 126) header_size += 2;
      if (size == 127) header_size += 8;
      if (b1 & 0x80) header_size += 4;  // a masked server frame is a protocol error; relay it anyway
      if (!co_await need(header_size)) break;
      if (size >= 126) {
        size = 0;
        for (std::size_t i = 2; i < 2 + (header_size - 2 - ((b1 & 0x80) ? 4 : 0)); ++i)
          size = (size << 8) | static_cast<std::uint8_t>(pending[i]);
      }
      if (!co_await need(header_size + size)) break;
      std::string header = pending.substr(0, header_size);
      std::string payload = pending.substr(header_size, size);
      pending.erase(0, header_size + size);
      const bool text = (b0 & 0x0f) == 1 && !(b1 & 0x80);
      if (text) {
        switch (static_cast<Mangle>(mangle.exchange(static_cast<int>(Mangle::none)))) {
          case Mangle::corrupt:
            for (char& c : payload)
              if (c == '"' || c == ':') c = '?';
            break;
          case Mangle::truncate:
            payload.resize(payload.size() / 2);
            header = frame_header(b0, payload.size());
            break;
          case Mangle::none:
            break;
        }
        ++to_clients;
      }
      if (!co_await forward(header + payload)) break;
    }
    session->abort();
  }

  asio::awaitable<void> serve(std::shared_ptr<Session> session) {
    auto self = shared_from_this();
    auto [connect_ec] = co_await session->upstream.async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(upstream_port)), kNoThrow);
    if (connect_ec || session->closed) co_return session->abort();
    beast::error_code ignored;
    session->client.set_option(tcp::no_delay(true), ignored);
    session->upstream.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(io, pump_up(session), asio::detached);
    asio::co_spawn(io, pump_down(session), asio::detached);
  }

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) continue;
      ++accepted;
      if (down.load()) {
        beast::error_code ignored;
        socket.close(ignored);
        continue;
      }
      auto session = std::make_shared<Session>(std::move(socket));
      std::erase_if(sessions, [](const std::weak_ptr<Session>& weak) { return weak.expired(); });
      sessions.push_back(session);
      asio::co_spawn(io, serve(session), asio::detached);
    }
  }
};

WsFaultProxy::WsFaultProxy(int upstream_port) : impl_(std::make_shared<Impl>(upstream_port)) {
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([impl = impl_] { impl->io.run(); });
}

WsFaultProxy::~WsFaultProxy() {
  asio::post(impl_->io, [impl = impl_] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->abort_all();
    impl->work.reset();
    impl->io.stop();
  });
  impl_->thread.join();
}

int WsFaultProxy::port() const noexcept { return impl_->port; }

void WsFaultProxy::drop_all() {
  asio::post(impl_->io, [impl = impl_] { impl->abort_all(); });
}

void WsFaultProxy::stall(std::chrono::milliseconds duration) {
  impl_->stall_until_ns = now_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count();
}

void WsFaultProxy::set_delay(std::chrono::milliseconds delay) {
  impl_->delay_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(delay).count();
}

void WsFaultProxy::set_down(bool down) {
  impl_->down = down;
  if (down) drop_all();
}

void WsFaultProxy::corrupt_next() { impl_->mangle = static_cast<int>(Mangle::corrupt); }
void WsFaultProxy::truncate_next() { impl_->mangle = static_cast<int>(Mangle::truncate); }

std::uint64_t WsFaultProxy::connections_accepted() const noexcept { return impl_->accepted.load(); }
std::uint64_t WsFaultProxy::messages_to_clients() const noexcept { return impl_->to_clients.load(); }

}  // namespace sluice::test
