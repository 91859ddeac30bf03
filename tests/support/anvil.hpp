#pragma once
/// A real anvil node for integration tests: started on a free loopback port, killed when the fixture dies.

#include <sys/types.h>

#include <string>
#include <vector>

namespace sluice::test {

class Anvil {
 public:
  /// Starts `anvil` from the pinned npm tools with `extra_args` and waits until it answers eth_chainId.
  explicit Anvil(const std::vector<std::string>& extra_args = {});
  ~Anvil();
  Anvil(const Anvil&) = delete;
  Anvil& operator=(const Anvil&) = delete;

  int port() const noexcept { return port_; }
  std::string http_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_); }

  /// anvil's default dev accounts (mnemonic "test test ... junk"): private key i, as 0x-hex.
  static std::string dev_private_key(int index);
  static std::string dev_address(int index);

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

/// A raw JSON-RPC request over HTTP (libcurl); returns the response body. Throws on a transport error.
std::string json_rpc(const std::string& url, const std::string& method, const std::string& params_json);

/// Extracts the "result" string of a JSON-RPC response (quoted strings only); throws with the body otherwise.
std::string json_rpc_result_string(const std::string& response);

/// Picks a loopback TCP port that is free right now.
int free_port();

}  // namespace sluice::test
