#pragma once
/// Typed decoders: the raw "result" JSON of each method into our types (simdjson on-demand). Every failure is a
/// `malformed_response` RpcError naming `method` and the field at fault; nothing here throws or crashes on any
/// input. Quantities are parsed leniently (see quantity.hpp). Each decoder takes a `JsonParser` to reuse.

#include "chain/rpc/error.hpp"
#include "chain/rpc/types.hpp"

#include <simdjson.h>

#include <optional>
#include <string_view>
#include <vector>

namespace sluice::rpc {

/// A reusable simdjson parser plus a padded copy buffer for inputs that lack padding.
class JsonParser {
 public:
  simdjson::ondemand::parser parser;
  std::string scratch;
};

RpcResult<std::uint64_t> decode_u64_result(JsonParser& p, std::string_view json, std::string_view method);
RpcResult<U256> decode_u256_result(JsonParser& p, std::string_view json, std::string_view method);
RpcResult<Bytes> decode_bytes_result(JsonParser& p, std::string_view json, std::string_view method);
RpcResult<Hash> decode_hash_result(JsonParser& p, std::string_view json, std::string_view method);
/// `null` (unknown block) is nullopt.
RpcResult<std::optional<BlockHeader>> decode_block_header(JsonParser& p, std::string_view json,
                                                          std::string_view method = "eth_getBlockByNumber");
RpcResult<std::vector<Log>> decode_logs(JsonParser& p, std::string_view json,
                                        std::string_view method = "eth_getLogs");
RpcResult<std::optional<Receipt>> decode_receipt(JsonParser& p, std::string_view json,
                                                 std::string_view method = "eth_getTransactionReceipt");
RpcResult<std::optional<TransactionInfo>> decode_transaction(
    JsonParser& p, std::string_view json, std::string_view method = "eth_getTransactionByHash");
RpcResult<FeeHistory> decode_fee_history(JsonParser& p, std::string_view json,
                                         std::string_view method = "eth_feeHistory");

/// A single log object (a newHeads/logs subscription payload uses the same shapes).
RpcResult<Log> decode_log(JsonParser& p, std::string_view json, std::string_view method = "eth_subscription");

}  // namespace sluice::rpc
