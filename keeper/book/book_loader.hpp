#pragma once
/// Fills and keeps current a `book::PositionBook` from a node: discovery of every account from the protocols'
/// events since the configured start block, batched state reads at one block, and live updates where each touched
/// account is re-read from chain (never patched from event amounts) and removed logs (reorgs) re-read the same way.

#include "chain/rpc/client.hpp"
#include "keeper/book/book_source.hpp"
#include "strategy/book/position_book.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <string_view>

namespace sluice::keeper {

struct LoaderOptions {
  std::size_t calls_per_batch = 500;        ///< eth_calls per JSON-RPC batch
  std::uint64_t log_blocks_per_request = 0;  ///< 0: one eth_getLogs for the whole range (split on refusal)
  /// Progress while discovering and reading: stage ("logs", "accounts", ...), done, total.
  std::function<void(std::string_view stage, std::uint64_t done, std::uint64_t total)> progress;
};

/// What a discovery or refresh did, for logs and benchmarks.
struct LoadStats {
  std::uint64_t logs = 0;
  std::uint64_t accounts_read = 0;
  std::uint64_t calls = 0;
};

class BookLoader {
 public:
  BookLoader(rpc::Client& client, BookSource source, LoaderOptions options = {});

  /// Discovers every position from the start blocks up to `block` and reads all state at `block`.
  boost::asio::awaitable<rpc::RpcResult<LoadStats>> load(book::PositionBook& book, std::uint64_t block);

  /// Applies new logs (from the watcher, in block order, possibly `removed`): price events update prices,
  /// position events mark accounts touched. Nothing is read until `refresh`.
  void apply_logs(book::PositionBook& book, const std::vector<rpc::Log>& logs);

  /// Re-reads touched accounts and market state at `block` (batched) and moves the book's clock there.
  boost::asio::awaitable<rpc::RpcResult<LoadStats>> refresh(book::PositionBook& book, std::uint64_t block);

  /// The log filter (addresses and topics) live following must subscribe to.
  rpc::LogFilter live_filter() const;

 private:
  rpc::Client& client_;
  BookSource source_;
  LoaderOptions options_;
  struct Pending;
  std::shared_ptr<Pending> pending_;
};

}  // namespace sluice::keeper
