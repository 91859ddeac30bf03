#pragma once
/// A blocking facade over `Client` for simple callers (CLI commands, scripts): each method runs the coroutine to
/// completion on a private io_context and returns its `RpcResult`.

#include "chain/rpc/client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <utility>

namespace sluice::rpc {

class SyncClient {
 public:
  explicit SyncClient(std::shared_ptr<Transport> transport, ClientOptions options = {})
      : client_(std::move(transport), options) {}

  /// Runs `fn(client)` (returning an awaitable) to completion: `sync.run([&](Client& c) { return c.gas_price(); })`.
  template <class Fn>
  auto run(Fn&& fn) {
    using Awaitable = decltype(fn(client_));
    using Value = typename Awaitable::value_type;
    std::optional<Value> out;
    io_.restart();
    boost::asio::co_spawn(
        io_, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await fn(client_)); },
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
    io_.run();
    return std::move(*out);
  }

  RpcResult<std::uint64_t> chain_id() { return run([](Client& c) { return c.chain_id(); }); }
  RpcResult<BlockNumber> block_number() { return run([](Client& c) { return c.block_number(); }); }
  RpcResult<std::optional<BlockHeader>> get_block_by_number(BlockTag b) {
    return run([&](Client& c) { return c.get_block_by_number(b); });
  }
  RpcResult<std::vector<Log>> get_logs(LogFilter f) {
    return run([&](Client& c) { return c.get_logs(f); });
  }
  Client& client() noexcept { return client_; }

 private:
  boost::asio::io_context io_;
  Client client_;
};

}  // namespace sluice::rpc
