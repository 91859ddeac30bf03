#pragma once
/// A plain JSON-RPC-over-HTTP client for tests (libcurl, one persistent connection). Independent of Sluice's own
/// RPC code on purpose: tests use it to check the node's view of what Sluice did.

#include <curl/curl.h>

#include <string>

namespace sluice::test {

class RpcClient {
 public:
  explicit RpcClient(std::string url);
  ~RpcClient();
  RpcClient(const RpcClient&) = delete;
  RpcClient& operator=(const RpcClient&) = delete;

  /// The raw response body of `method` with `params_json` (a JSON array). Throws on a transport error.
  std::string call_raw(const std::string& method, const std::string& params_json);
  /// The "result" of a call whose result is a JSON string; throws with the node's answer otherwise.
  std::string call(const std::string& method, const std::string& params_json);
  /// Field `name` (a string) of a call's result object; throws if absent.
  std::string call_field(const std::string& method, const std::string& params_json, const char* name);
  /// Polls eth_getTransactionReceipt until the node has one (anvil mines a moment after the send); returns the
  /// raw response. Throws after `timeout_ms`.
  std::string wait_for_receipt(const std::string& tx_hash, int timeout_ms = 10000);

 private:
  std::string url_;
  CURL* curl_;
  curl_slist* headers_;
};

/// One-shot helpers over a temporary client.
std::string json_rpc(const std::string& url, const std::string& method, const std::string& params_json);
/// Extracts the "result" string of a JSON-RPC response; throws with the body otherwise.
std::string json_rpc_result_string(const std::string& response);

}  // namespace sluice::test
