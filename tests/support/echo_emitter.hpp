#pragma once
/// An echo emitter for log-delivery tests (tests/support/log_emitter.hpp has the many-events contract), hand-assembled EVM bytecode (no compiler needed):
/// every call emits LOG1(topic = kEchoTopic, data = calldata) and stops.
///
/// runtime (44 bytes):  CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY      36 6000 6000 37
///                      PUSH32 topic CALLDATASIZE PUSH1 0 LOG1 STOP    7f<32 bytes> 36 6000 a1 00
/// init (12 bytes):     PUSH1 44 PUSH1 12 PUSH1 0 CODECOPY PUSH1 44 PUSH1 0 RETURN
///                      602c 600c 6000 39 602c 6000 f3

#include "tests/support/json_rpc.hpp"

#include <string>

namespace sluice::test {

/// The event's topic0 (an arbitrary constant: the contract emits it verbatim).
inline const std::string kEchoTopic = "0x" + std::string(62, '0') + "e7";

inline std::string echo_emitter_init_code() {
  return "0x602c600c600039602c6000f3" "3660006000377f" + kEchoTopic.substr(2) + "366000a100";
}

/// Deploys an emitter from `from` (an unlocked anvil account); returns its address (lowercase 0x-hex).
inline std::string deploy_echo_emitter(RpcClient& rpc, const std::string& from) {
  const std::string tx = rpc.call("eth_sendTransaction", R"([{"from":")" + from + R"(","data":")" +
                                                             echo_emitter_init_code() + R"(","gas":"0x30000"}])");
  const std::string receipt = rpc.wait_for_receipt(tx);
  const auto key = receipt.find("\"contractAddress\":\"");
  if (key == std::string::npos) throw std::runtime_error("no contract address in " + receipt);
  return receipt.substr(key + 19, 42);
}

/// Sends a call to the emitter with `data_hex` (0x-hex) as calldata; returns the transaction hash.
inline std::string emit_echo(RpcClient& rpc, const std::string& from, const std::string& emitter,
                            const std::string& data_hex) {
  return rpc.call("eth_sendTransaction", R"([{"from":")" + from + R"(","to":")" + emitter + R"(","data":")" +
                                             data_hex + R"(","gas":"0x20000"}])");
}

}  // namespace sluice::test
