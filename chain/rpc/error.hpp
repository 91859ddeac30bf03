#pragma once
/// Failures of node access. Every fallible RPC operation returns `rpc::RpcResult<T>` =
/// `boost::system::result<T, RpcError>`: the error is a value that names the JSON-RPC method and the endpoint
/// (redacted: scheme, host and port only, never a path, query or credentials, which often hold API keys), carries
/// the node's JSON-RPC error code, message and data, and the decoded revert reason when the data is revert data.
/// `.value()` on a failed result throws `rpc::RpcException` (for the synchronous facade and tests).

#include "chain/bytes.hpp"
#include "chain/fixed_bytes.hpp"
#include "chain/u256.hpp"

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <iosfwd>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace sluice::rpc {

/// What kind of failure an `RpcError` is. The kind decides retries: see `is_retryable`.
enum class ErrorKind {
  transport = 1,        ///< connection refused/reset, DNS, TLS: the request may not have reached the node
  timeout,              ///< no complete answer within the per-call timeout
  http_status,          ///< an HTTP status other than 200 (5xx are retryable, 4xx other than 429 are not)
  rate_limited,         ///< HTTP 429 (Retry-After, when sent, is in `retry_after`)
  malformed_response,   ///< a body that is not the JSON-RPC answer we asked for (bad JSON, wrong id, bad field)
  node_error,           ///< a JSON-RPC error object from the node (`code`, `message`, `data`)
  no_healthy_endpoint,  ///< every endpoint of a pool is failing or demoted
  invalid_argument,     ///< the caller asked for something impossible (e.g. get_logs with a reversed range)
};
const char* to_string(ErrorKind kind) noexcept;

/// Revert data decoded (https://docs.soliditylang.org/en/latest/control-structures.html#revert).
struct RevertReason {
  enum class Kind {
    error_string,  ///< Error(string), selector 0x08c379a0: `message`
    panic,         ///< Panic(uint256), selector 0x4e487b71: `panic_code` (0x11 = overflow, 0x12 = div by zero...)
    custom,        ///< any other selector: a custom error; `selector` and the raw `data`
    empty,         ///< revert without data (`revert()` or `require(cond)` without message)
  };
  Kind kind = Kind::empty;
  std::string message;
  U256 panic_code;
  FixedBytes<4> selector;
  /// Human-readable: "Error(\"...\")", "Panic(0x11: arithmetic overflow)", "custom error 0x12345678", "empty".
  std::string describe() const;
};

/// Decodes revert data. Never fails: data too short for a selector is `custom` with a zero selector unless empty,
/// and Error(string)/Panic whose arguments do not decode are reported as `custom`.
RevertReason decode_revert(ByteView data);

struct RpcError {
  ErrorKind kind = ErrorKind::transport;
  std::string method;    ///< JSON-RPC method, e.g. "eth_call" ("batch" for a whole batch)
  std::string endpoint;  ///< redacted endpoint, e.g. "http://127.0.0.1:8545"
  std::string message;   ///< what went wrong (the node's message for node_error)
  std::optional<std::int64_t> code;  ///< JSON-RPC error code (node_error)
  std::optional<int> http_status;    ///< HTTP status (http_status, rate_limited)
  std::optional<std::chrono::milliseconds> retry_after;  ///< from a Retry-After header
  Bytes data;                        ///< error.data when it is a hex string (revert data)
  std::string data_json;             ///< error.data as raw JSON when it is anything else
  std::optional<RevertReason> revert;  ///< decoded from `data` when the node says the call reverted

  /// Retryable: transport, timeout, rate_limited, 5xx http_status. Never node_error or malformed_response.
  bool is_retryable() const noexcept;
  /// One line: "<method> at <endpoint>: <kind>[ <code>]: <message>[ (revert: ...)]".
  std::string describe() const;
};

/// Prints `describe()` (so results print in test failures and logs).
std::ostream& operator<<(std::ostream& os, const RpcError& error);

/// Thrown by `RpcResult<T>::value()` on failure and by the synchronous facade.
class RpcException : public std::runtime_error {
 public:
  explicit RpcException(RpcError error) : std::runtime_error(error.describe()), error_(std::move(error)) {}
  const RpcError& error() const noexcept { return error_; }

 private:
  RpcError error_;
};

/// Found by ADL: `boost::system::result<T, RpcError>::value()` throws this way.
[[noreturn]] void throw_exception_from_error(const RpcError& error, const boost::source_location& location);

template <class T>
using RpcResult = boost::system::result<T, RpcError>;

/// Fills in the endpoint (and method, when empty) of a failed result; `result.error()` is a copy, hence this.
template <class T>
void annotate(RpcResult<T>& result, std::string_view endpoint, std::string_view method = {}) {
  if (result) return;
  RpcError e = result.error();
  if (e.endpoint.empty()) e.endpoint = std::string(endpoint);
  if (e.method.empty()) e.method = std::string(method);
  result = std::move(e);
}

/// Convenience constructors (method and endpoint are filled by the layer that knows them).
RpcError make_error(ErrorKind kind, std::string method, std::string message);

/// The scheme://host[:port] part of a URL: what errors and logs may show of an endpoint.
std::string redact_url(std::string_view url);

}  // namespace sluice::rpc
