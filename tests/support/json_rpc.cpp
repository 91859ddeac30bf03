#include "tests/support/json_rpc.hpp"

#include <simdjson.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace sluice::test {

namespace {
std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

simdjson::dom::element parse_result(simdjson::dom::parser& parser, const std::string& response,
                                    const std::string& method) {
  simdjson::dom::element doc;
  if (parser.parse(response).get(doc) != simdjson::SUCCESS)
    throw std::runtime_error(method + ": response is not JSON: " + response.substr(0, 500));
  simdjson::dom::element result;
  if (doc["result"].get(result) != simdjson::SUCCESS)
    throw std::runtime_error(method + ": no result in " + response.substr(0, 500));
  return result;
}
}  // namespace

RpcClient::RpcClient(std::string url)
    : url_(std::move(url)), curl_(curl_easy_init()), headers_(curl_slist_append(nullptr, "Content-Type: application/json")) {
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

RpcClient::~RpcClient() {
  curl_slist_free_all(headers_);
  curl_easy_cleanup(curl_);
}

std::string RpcClient::call_raw(const std::string& method, const std::string& params_json) {
  const std::string body = R"({"jsonrpc":"2.0","id":1,"method":")" + method + R"(","params":)" + params_json + "}";
  std::string response;
  curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 60000L);
  if (const CURLcode rc = curl_easy_perform(curl_); rc != CURLE_OK)
    throw std::runtime_error(method + ": HTTP to " + url_ + " failed: " + curl_easy_strerror(rc));
  return response;
}

std::string RpcClient::call(const std::string& method, const std::string& params_json) {
  return json_rpc_result_string(call_raw(method, params_json));
}

std::string RpcClient::call_field(const std::string& method, const std::string& params_json, const char* name) {
  const std::string response = call_raw(method, params_json);
  simdjson::dom::parser parser;
  std::string_view value;
  if (parse_result(parser, response, method)[name].get_string().get(value) != simdjson::SUCCESS)
    throw std::runtime_error(method + ": no string field " + name + " in " + response.substr(0, 500));
  return std::string(value);
}

std::string RpcClient::wait_for_receipt(const std::string& tx_hash, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    std::string response = call_raw("eth_getTransactionReceipt", "[\"" + tx_hash + "\"]");
    if (response.find("\"result\":null") == std::string::npos) return response;
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("no receipt for " + tx_hash + " within " + std::to_string(timeout_ms) + " ms");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string json_rpc(const std::string& url, const std::string& method, const std::string& params_json) {
  return RpcClient(url).call_raw(method, params_json);
}

std::string json_rpc_result_string(const std::string& response) {
  simdjson::dom::parser parser;
  std::string_view value;
  if (parse_result(parser, response, "json-rpc").get_string().get(value) != simdjson::SUCCESS)
    throw std::runtime_error("result is not a string: " + response.substr(0, 500));
  return std::string(value);
}

}  // namespace sluice::test
