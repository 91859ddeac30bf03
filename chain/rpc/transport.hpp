#pragma once
/// The one interface between typed JSON-RPC methods and the wire. A transport sends a method with its params
/// (a JSON array, already encoded) and hands back the raw JSON text of the "result" member, or an `RpcError`
/// (a JSON-RPC error object becomes `ErrorKind::node_error`). HTTP (`HttpTransport`), WebSocket and the failover
/// pool (`EndpointPool`) all implement it, so `Client` works over any of them.
///
/// Coroutines: calls are `boost::asio::awaitable`s and resume on the executor of the awaiting coroutine.

#include "chain/rpc/error.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace sluice::rpc {

/// One call of a batch: method and params JSON (an array, e.g. `["0x1",false]`; "[]" for none).
struct RawCall {
  std::string method;
  std::string params_json;
};

/// Results of a batch, in the order of the calls (whatever order the node answered in). Each entry succeeds or
/// fails on its own (a node error for one call does not fail the others).
using BatchResults = std::vector<RpcResult<std::string>>;

class Transport {
 public:
  virtual ~Transport() = default;

  /// Sends one call; the raw JSON of its "result" (e.g. `"0x1"`, `{...}`, `null`).
  virtual boost::asio::awaitable<RpcResult<std::string>> call(std::string method, std::string params_json) = 0;

  /// Sends `calls` as one JSON-RPC batch (or as several, if the transport caps batch size). The outer result
  /// fails only when the batch as a whole failed (transport, HTTP status, unparseable body).
  virtual boost::asio::awaitable<RpcResult<BatchResults>> batch(std::vector<RawCall> calls) = 0;

  /// The redacted endpoint (see `redact_url`) for errors and logs.
  virtual std::string endpoint() const = 0;
};

}  // namespace sluice::rpc
