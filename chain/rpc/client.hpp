#pragma once
/// Typed Ethereum JSON-RPC methods over any `Transport`, as Asio coroutines. Each method builds its params with
/// requests.hpp and decodes with decode.hpp; errors come back as `RpcError` values naming the method.
///
///   boost::asio::co_spawn(io, [&]() -> awaitable<void> {
///     auto head = co_await client.block_number();
///     if (!head) spdlog::warn("{}", head.error().describe());
///   }, detached);

#include "chain/rpc/decode.hpp"
#include "chain/rpc/requests.hpp"
#include "chain/rpc/transport.hpp"
#include "chain/rpc/types.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace sluice::rpc {

struct ClientOptions {
  /// get_logs: smallest range (in blocks) that is still split when the node refuses a range; a refusal for a
  /// single block is returned as the error.
  std::uint64_t min_log_range = 1;
  /// get_logs: ranges larger than this are split up front (0: never split up front, only on refusal).
  std::uint64_t max_log_range = 0;
};

/// True when a node error means "too many results / range too large": geth "query returned more than 10000
/// results", Infura/Alchemy "Log response size exceeded", "block range is too wide", "limit exceeded", -32005.
bool is_log_range_error(const RpcError& error) noexcept;

template <class T>
using Task = boost::asio::awaitable<RpcResult<T>>;

/// Not thread-safe: one Client per thread or strand (it reuses one JSON parser). Coroutines of one Client may
/// interleave on a single-threaded io_context: each decode runs without suspending.
class Client {
 public:
  explicit Client(std::shared_ptr<Transport> transport, ClientOptions options = {});

  Transport& transport() noexcept { return *transport_; }

  Task<std::uint64_t> chain_id();
  Task<BlockNumber> block_number();
  /// nullopt when the node does not know the block.
  Task<std::optional<BlockHeader>> get_block_by_number(BlockTag block);
  /// eth_call: the return data. A revert is a node_error with `revert` decoded. `block_overrides`: the block
  /// environment (number, time, base fee) on the state of `block`.
  Task<Bytes> call(CallRequest request, BlockTag block = {}, StateOverride overrides = {},
                   BlockOverrides block_overrides = {});
  Task<std::uint64_t> estimate_gas(CallRequest request, std::optional<BlockTag> block = std::nullopt,
                                   StateOverride overrides = {});
  Task<FeeHistory> fee_history(std::uint64_t block_count, BlockTag newest, std::vector<double> reward_percentiles);
  Task<U256> gas_price();
  Task<U256> max_priority_fee_per_gas();
  Task<std::uint64_t> get_transaction_count(Address account, BlockTag block = {});
  Task<Hash> send_raw_transaction(Bytes raw);
  Task<std::optional<Receipt>> get_transaction_receipt(Hash tx_hash);
  Task<std::optional<TransactionInfo>> get_transaction_by_hash(Hash tx_hash);
  /// eth_getLogs, splitting the block range in halves whenever the node refuses it as too large
  /// (`is_log_range_error`); named tags in the range are resolved to numbers first when a split is needed.
  /// Logs come back in block order; no log is lost or duplicated by splitting.
  Task<std::vector<Log>> get_logs(LogFilter filter);
  Task<U256> get_balance(Address account, BlockTag block = {});
  Task<Bytes> get_code(Address account, BlockTag block = {});
  Task<Hash> get_storage_at(Address account, U256 slot, BlockTag block = {});

  /// Raw batch (build the calls with requests.hpp, decode each with decode.hpp).
  Task<BatchResults> batch(std::vector<RawCall> calls);

  /// Decodes a raw result with this client's parser (for batch results): `decode(json, decode_u256_result, m)`.
  JsonParser& parser() noexcept { return parser_; }

 private:
  Task<std::vector<Log>> get_logs_range(const LogFilter& filter, BlockNumber from, BlockNumber to);

  std::shared_ptr<Transport> transport_;
  ClientOptions options_;
  JsonParser parser_;
};

}  // namespace sluice::rpc
