#pragma once
/// Fills and keeps current a `book::PositionBook` from a node: discovery of every account from the protocols'
/// events since the configured start block, batched state reads at one block, and live updates where each touched
/// account is re-read from chain (never patched from event amounts) and removed logs (reorgs) re-read the same way.
/// The chain side (discovery, reads, log routing) lives in `ChainReader` and `LogRouter`; this class fills the book.

#include "chain/rpc/client.hpp"
#include "keeper/book/book_source.hpp"
#include "keeper/book/chain_reader.hpp"
#include "keeper/book/log_router.hpp"
#include "strategy/book/position_book.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

namespace sluice::keeper {

class BookLoader {
 public:
  BookLoader(rpc::Client& client, BookSource source, LoaderOptions options = {});
  ~BookLoader();

  /// Discovers every position from the start blocks up to `block` and reads all state at `block`.
  boost::asio::awaitable<rpc::RpcResult<LoadStats>> load(book::PositionBook& book, std::uint64_t block);

  /// Applies new logs (from the watcher, in block order, possibly `removed`): price events update prices,
  /// position events mark accounts touched. Nothing is read until `refresh`.
  void apply_logs(book::PositionBook& book, const std::vector<rpc::Log>& logs);

  /// Re-reads touched accounts and market state at `block` (batched) and moves the book's clock there.
  boost::asio::awaitable<rpc::RpcResult<LoadStats>> refresh(book::PositionBook& book, std::uint64_t block);
  /// As above with the block's timestamp already known (the backtest reads headers in batches): no header read.
  /// With nothing touched since the last refresh, no read at all: only the book's clock moves.
  boost::asio::awaitable<rpc::RpcResult<LoadStats>> refresh(book::PositionBook& book, std::uint64_t block,
                                                            std::uint64_t timestamp);
  /// Whether logs applied since the last refresh touched anything to re-read.
  bool touched() const noexcept;

  /// The log filter (addresses and topics) live following must subscribe to (complete after `load`).
  rpc::LogFilter live_filter() const;

  /// Called with everything read by `load` and `refresh` before it goes into the book (logs, tests).
  void on_read(std::function<void(const ChainState&)> observer);

 private:
  struct Pending;
  std::unique_ptr<Pending> pending_;
};

}  // namespace sluice::keeper
