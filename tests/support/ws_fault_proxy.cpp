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
#include <boost/beast/websocket.hpp>

#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace sluice::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Ws = websocket::stream<beast::tcp_stream>;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Session {
  explicit Session(tcp::socket socket) : client(std::move(socket)), upstream(client.get_executor()) {}
  Ws client;
  Ws upstream;
  bool closed = false;

  void abort() {
    if (closed) return;
    closed = true;
    beast::error_code ignored;
    beast::get_lowest_layer(client).socket().close(ignored);
    beast::get_lowest_layer(upstream).socket().close(ignored);
  }
};

enum class Mangle : int { none = 0, corrupt = 1, truncate = 2 };

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

  asio::awaitable<void> pump(std::shared_ptr<Session> session, bool to_client) {
    auto self = shared_from_this();
    Ws& from = to_client ? session->upstream : session->client;
    Ws& to = to_client ? session->client : session->upstream;
    beast::flat_buffer buffer;
    while (!session->closed) {
      co_await wait_out_stall_and_delay(false);  // a stalled proxy reads nothing, so client pings go unanswered
      auto [read_ec, read_n] = co_await from.async_read(buffer, kNoThrow);
      if (read_ec || session->closed) break;
      std::string message = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      co_await wait_out_stall_and_delay(true);
      if (session->closed) break;
      if (to_client) {
        switch (static_cast<Mangle>(mangle.exchange(static_cast<int>(Mangle::none)))) {
          case Mangle::corrupt:
            for (char& c : message)
              if (c == '"' || c == ':') c = '?';
            break;
          case Mangle::truncate:
            message.resize(message.size() / 2);
            break;
          case Mangle::none:
            break;
        }
        ++to_clients;
      }
      to.text(true);
      auto [write_ec, write_n] = co_await to.async_write(asio::buffer(message), kNoThrow);
      if (write_ec) break;
    }
    session->abort();
  }

  asio::awaitable<void> serve(std::shared_ptr<Session> session) {
    auto self = shared_from_this();
    auto [accept_ec] = co_await session->client.async_accept(kNoThrow);
    if (accept_ec) co_return;
    auto& upstream_tcp = beast::get_lowest_layer(session->upstream);
    auto [connect_ec] = co_await upstream_tcp.async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(upstream_port)), kNoThrow);
    if (connect_ec) {
      session->abort();
      co_return;
    }
    auto [handshake_ec] = co_await session->upstream.async_handshake(
        "127.0.0.1:" + std::to_string(upstream_port), "/", kNoThrow);
    if (handshake_ec || session->closed) {
      session->abort();
      co_return;
    }
    asio::co_spawn(io, pump(session, true), asio::detached);
    asio::co_spawn(io, pump(session, false), asio::detached);
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
