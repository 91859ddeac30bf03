#pragma once
/// The JSON-RPC 2.0 envelope (https://www.jsonrpc.org/specification): request building with correct string
/// escaping, and response decoding with simdjson (on-demand) into raw result JSON or `RpcError`.
/// A `ResponseDecoder` owns one simdjson parser, reused for every response of its connection.

#include "chain/rpc/transport.hpp"

#include <simdjson.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace sluice::rpc {

/// Appends `text` as a JSON string literal (with quotes), escaping '"', '\\' and control characters.
void append_json_string(std::string& out, std::string_view text);

/// `{"jsonrpc":"2.0","id":<id>,"method":"<method>","params":<params_json>}`.
std::string build_request(std::uint64_t id, std::string_view method, std::string_view params_json);
/// A JSON array of requests with ids `first_id`, `first_id + 1`, ...
std::string build_batch(std::uint64_t first_id, std::span<const RawCall> calls);

class ResponseDecoder {
 public:
  /// Decodes the response to a single request with id `id`. `body` must have at least `SIMDJSON_PADDING` bytes
  /// of capacity past its size (see `pad_for_simdjson`); it is not modified.
  RpcResult<std::string> decode_single(const std::string& body, std::uint64_t id, std::string_view method);
  /// Decodes a batch response to calls with ids first_id..first_id+calls.size()-1, in any order. A call whose
  /// id is missing from the answer fails with malformed_response naming its method.
  RpcResult<BatchResults> decode_batch(const std::string& body, std::uint64_t first_id,
                                       std::span<const RawCall> calls);

 private:
  simdjson::ondemand::parser parser_;
};

/// Reserves `SIMDJSON_PADDING` extra bytes of capacity so that simdjson can read `body` in place.
void pad_for_simdjson(std::string& body);

}  // namespace sluice::rpc
