#include "chain/rpc/client.hpp"

#include <algorithm>
#include <cctype>

namespace sluice::rpc {

namespace {

bool contains_ci(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         }) != haystack.end();
}

}  // namespace

bool is_log_range_error(const RpcError& error) noexcept {
  if (error.kind != ErrorKind::node_error) return false;
  if (error.code == -32005) return true;  // EIP-1474 "limit exceeded"
  static constexpr std::string_view kPhrases[] = {
      "more than",         // geth: "query returned more than 10000 results"
      "too many",          // "too many results", "too many blocks"
      "range too large",   // "block range too large"
      "range is too",      // "block range is too wide"
      "limit exceeded",    // "query limit exceeded"
      "size exceeded",     // "Log response size exceeded"
      "exceed",            // "exceeds max results", "exceeded max range"
      "block range",       // "eth_getLogs block range must be..."
  };
  for (const auto phrase : kPhrases)
    if (contains_ci(error.message, phrase)) return true;
  return false;
}

Client::Client(std::shared_ptr<Transport> transport, ClientOptions options)
    : transport_(std::move(transport)), options_(options) {}

namespace {

/// Sends `call` and decodes its result with `decode`, filling in the endpoint on any error.
template <class Decode>
auto run_call(Transport& transport, JsonParser& parser, RawCall call, Decode decode)
    -> boost::asio::awaitable<decltype(decode(parser, std::string_view{}, std::string_view{}))> {
  auto raw = co_await transport.call(call.method, std::move(call.params_json));
  if (!raw) {
    RpcError e = std::move(raw.error());
    if (e.method.empty()) e.method = call.method;
    if (e.endpoint.empty()) e.endpoint = transport.endpoint();
    co_return e;
  }
  auto decoded = decode(parser, *raw, call.method);
  annotate(decoded, transport.endpoint());
  co_return decoded;
}

}  // namespace

#define SLUICE_RPC_CALL(request, decoder) \
  co_return co_await run_call(*transport_, parser_, request, [](JsonParser& p, std::string_view j, std::string_view m) { return decoder(p, j, m); })

Task<std::uint64_t> Client::chain_id() { SLUICE_RPC_CALL(requests::chain_id(), decode_u64_result); }
Task<BlockNumber> Client::block_number() { SLUICE_RPC_CALL(requests::block_number(), decode_u64_result); }
Task<std::optional<BlockHeader>> Client::get_block_by_number(BlockTag block) {
  SLUICE_RPC_CALL(requests::get_block_by_number(block), decode_block_header);
}
Task<Bytes> Client::call(CallRequest request, BlockTag block, StateOverride overrides,
                         BlockOverrides block_overrides) {
  SLUICE_RPC_CALL(requests::call(request, block, overrides, block_overrides), decode_bytes_result);
}
Task<std::uint64_t> Client::estimate_gas(CallRequest request, std::optional<BlockTag> block,
                                         StateOverride overrides) {
  SLUICE_RPC_CALL(requests::estimate_gas(request, block, overrides), decode_u64_result);
}
Task<FeeHistory> Client::fee_history(std::uint64_t block_count, BlockTag newest, std::vector<double> percentiles) {
  SLUICE_RPC_CALL(requests::fee_history(block_count, newest, percentiles), decode_fee_history);
}
Task<U256> Client::gas_price() { SLUICE_RPC_CALL(requests::gas_price(), decode_u256_result); }
Task<U256> Client::max_priority_fee_per_gas() {
  SLUICE_RPC_CALL(requests::max_priority_fee_per_gas(), decode_u256_result);
}
Task<std::uint64_t> Client::get_transaction_count(Address account, BlockTag block) {
  SLUICE_RPC_CALL(requests::get_transaction_count(account, block), decode_u64_result);
}
Task<Hash> Client::send_raw_transaction(Bytes raw) {
  SLUICE_RPC_CALL(requests::send_raw_transaction(raw), decode_hash_result);
}
Task<std::optional<Receipt>> Client::get_transaction_receipt(Hash tx_hash) {
  SLUICE_RPC_CALL(requests::get_transaction_receipt(tx_hash), decode_receipt);
}
Task<std::optional<TransactionInfo>> Client::get_transaction_by_hash(Hash tx_hash) {
  SLUICE_RPC_CALL(requests::get_transaction_by_hash(tx_hash), decode_transaction);
}
Task<U256> Client::get_balance(Address account, BlockTag block) {
  SLUICE_RPC_CALL(requests::get_balance(account, block), decode_u256_result);
}
Task<Bytes> Client::get_code(Address account, BlockTag block) {
  SLUICE_RPC_CALL(requests::get_code(account, block), decode_bytes_result);
}
Task<Hash> Client::get_storage_at(Address account, U256 slot, BlockTag block) {
  SLUICE_RPC_CALL(requests::get_storage_at(account, slot, block), decode_hash_result);
}

#undef SLUICE_RPC_CALL

Task<BatchResults> Client::batch(std::vector<RawCall> calls) { co_return co_await transport_->batch(std::move(calls)); }

Task<std::vector<Log>> Client::get_logs(LogFilter filter) {
  const bool numeric_range = !filter.block_hash && filter.from_block && filter.from_block->number() &&
                             filter.to_block && filter.to_block->number();
  if (numeric_range) {
    const BlockNumber from = *filter.from_block->number(), to = *filter.to_block->number();
    if (from > to) co_return make_error(ErrorKind::invalid_argument, "eth_getLogs", "fromBlock is after toBlock");
    co_return co_await get_logs_range(filter, from, to);
  }
  auto first = co_await run_call(*transport_, parser_, requests::get_logs(filter),
                                 [](JsonParser& p, std::string_view j, std::string_view m) { return decode_logs(p, j, m); });
  if (first || filter.block_hash || !is_log_range_error(first.error())) co_return first;
  // Named ends of the range are pinned to numbers before splitting, so that every part sees the same chain:
  // latest/pending -> the head, earliest -> 0, safe/finalized -> that block's number as the node reports it.
  auto resolve = [&](const std::optional<BlockTag>& tag) -> Task<BlockNumber> {
    if (tag && tag->number()) co_return *tag->number();
    const NamedBlock named = tag ? *tag->named() : NamedBlock::latest;
    if (named == NamedBlock::earliest) co_return BlockNumber{0};
    if (named == NamedBlock::safe || named == NamedBlock::finalized) {
      auto header = co_await get_block_by_number(named);
      if (!header) co_return header.error();
      if (!*header) co_return make_error(ErrorKind::node_error, "eth_getBlockByNumber", "node has no such block");
      co_return (*header)->number;
    }
    co_return co_await block_number();
  };
  auto from = co_await resolve(filter.from_block);
  if (!from) co_return from.error();
  auto to = co_await resolve(filter.to_block);
  if (!to) co_return to.error();
  if (*from > *to) co_return first;
  co_return co_await get_logs_range(filter, *from, *to);
}

Task<std::vector<Log>> Client::get_logs_range(const LogFilter& filter, BlockNumber from, BlockNumber to) {
  // Explicit work list, oldest range first, so logs are appended in block order without recursion.
  std::vector<std::pair<BlockNumber, BlockNumber>> pending;
  auto push_range = [&](BlockNumber a, BlockNumber b) {
    // Up-front split: pushed newest first so the oldest is on top of the stack.
    if (options_.max_log_range == 0 || b - a < options_.max_log_range) {
      pending.emplace_back(a, b);
      return;
    }
    std::vector<std::pair<BlockNumber, BlockNumber>> chunks;
    for (BlockNumber s = a;; s += options_.max_log_range) {
      const BlockNumber e = std::min<BlockNumber>(b, s + options_.max_log_range - 1);
      chunks.emplace_back(s, e);
      if (e == b) break;
    }
    pending.insert(pending.end(), chunks.rbegin(), chunks.rend());
  };
  push_range(from, to);
  std::vector<Log> out;
  while (!pending.empty()) {
    const auto [a, b] = pending.back();
    pending.pop_back();
    LogFilter part = filter;
    part.from_block = a;
    part.to_block = b;
    auto logs = co_await run_call(*transport_, parser_, requests::get_logs(part),
                                  [](JsonParser& p, std::string_view j, std::string_view m) { return decode_logs(p, j, m); });
    if (logs) {
      out.insert(out.end(), std::make_move_iterator(logs->begin()), std::make_move_iterator(logs->end()));
      continue;
    }
    if (!is_log_range_error(logs.error()) || b - a + 1 <= options_.min_log_range) co_return logs.error();
    const BlockNumber mid = a + (b - a) / 2;
    pending.emplace_back(mid + 1, b);
    pending.emplace_back(a, mid);
  }
  co_return out;
}

}  // namespace sluice::rpc
