#pragma once
/// Runs strategy's `ContractCall`s against a node: eth_calls at one block tag, sent as JSON-RPC batches of
/// `calls_per_batch`, outcomes handed back in call order. A call that reverts (or whose answer does not decode) is
/// a `CallOutcome{ok = false}` with the node's message; only a batch that fails as a whole is an error, after one
/// retry of each of its halves.

#include "chain/rpc/client.hpp"
#include "strategy/core/contract_call.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace sluice::keeper {

class StateReader {
 public:
  StateReader(rpc::Client& client, std::size_t calls_per_batch);

  /// The outcome of every call at `block`, in order.
  boost::asio::awaitable<rpc::RpcResult<std::vector<CallOutcome>>> run(std::span<const ContractCall> calls,
                                                                       rpc::BlockTag block);

  std::uint64_t calls_sent() const noexcept { return calls_; }
  std::uint64_t batches_sent() const noexcept { return batches_; }

 private:
  boost::asio::awaitable<rpc::RpcResult<rpc::BatchResults>> send(std::span<const ContractCall> calls,
                                                                  const rpc::BlockTag& block);
  rpc::Client& client_;
  std::size_t calls_per_batch_;
  std::uint64_t calls_ = 0;
  std::uint64_t batches_ = 0;
};

}  // namespace sluice::keeper
