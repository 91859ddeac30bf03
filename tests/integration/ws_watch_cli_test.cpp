// `sluice chain watch` end to end: the binary against anvil through the WebSocket fault proxy, with failover
// to HTTP, compared line by line with the node's own view read over plain HTTP.

#include "tests/support/anvil.hpp"
#include "tests/support/chain_view.hpp"
#include "tests/support/echo_emitter.hpp"
#include "tests/support/process.hpp"
#include "tests/support/ws_fault_proxy.hpp"

#include <doctest/doctest.h>

#include <future>
#include <sstream>
#include <thread>

using namespace sluice::test;

namespace {

std::string expected_head_line(const NodeBlock& block) {
  return R"({"type":"head","number":)" + std::to_string(block.number) + R"(,"hash":")" + block.hash +
         R"(","parentHash":")" + block.parent_hash + R"(","baseFeePerGas":)" +
         std::to_string(parse_quantity(block.base_fee_hex)) + "}";
}

std::string expected_log_line(const NodeLog& log) {
  std::string topics;
  for (const auto& t : log.topics) topics += (topics.empty() ? "\"" : ",\"") + t + "\"";
  return R"({"type":"log","blockNumber":)" + std::to_string(log.block_number) + R"(,"logIndex":)" +
         std::to_string(log.log_index) + R"(,"transactionHash":")" + log.transaction_hash + R"(","address":")" +
         log.address + R"(","topics":[)" + topics + R"(],"data":")" + log.data + R"(","removed":false})";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("chain watch: JSON lines for every head and matching log, exactly once, through drops and failover") {
  Anvil anvil;
  RpcClient rpc(anvil.http_url());
  const std::string from = Anvil::dev_address(0);
  const std::string emitter = deploy_echo_emitter(rpc, from);
  const std::string other = deploy_echo_emitter(rpc, from);
  WsFaultProxy proxy(anvil.port());
  constexpr std::uint64_t kBlocks = 30;
  const std::uint64_t last = node_block_number(rpc) + kBlocks;
  auto watch = std::async(std::launch::async, [&] {
    return run_process({SLUICE_BINARY, "chain", "watch", "--rpc", proxy.ws_url(), "--rpc", anvil.http_url(),
                        "--logs", "--address", emitter, "--topic", kEchoTopic, "--from-block", "1",
                        "--until-block", std::to_string(last), "--poll-interval-ms", "100"});
  });
  for (std::uint64_t i = 0; i < kBlocks; ++i) {
    if (i == 8 || i == 16) proxy.drop_all();
    if (i == 22) proxy.set_down(true);  // the WebSocket endpoint dies: the watch fails over to HTTP
    if (i % 3 == 2)
      rpc.call_raw("evm_mine", "[]");
    else
      rpc.wait_for_receipt(emit_echo(rpc, from, i % 3 == 0 ? emitter : other, "0x" + std::to_string(10 + i)));
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  REQUIRE(watch.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  const ProcessResult result = watch.get();
  INFO("stderr: " << result.err);
  REQUIRE(result.exit_code == 0);

  std::vector<std::string> expected;
  const auto logs = node_logs(rpc, 1, last, emitter, kEchoTopic);
  std::size_t next_log = 0;
  for (std::uint64_t n = 1; n <= last; ++n) {
    expected.push_back(expected_head_line(node_block(rpc, n)));
    while (next_log < logs.size() && logs[next_log].block_number == n) expected.push_back(expected_log_line(logs[next_log++]));
  }
  CHECK(logs.size() == 10);
  CHECK(lines_of(result.out) == expected);
  CHECK(result.err.find("failing over to http://127.0.0.1") != std::string::npos);
}

TEST_CASE("chain watch: SIGTERM stops it cleanly with exit 0, bad arguments exit 2 with one error line") {
  Anvil anvil;
  // `timeout --preserve-status` sends SIGTERM after 3 s (time for the watch to start and install its handler
  // even on a loaded machine) and exits with the watch's own status.
  const ProcessResult stopped =
      run_process({"timeout", "--preserve-status", "-s", "TERM", "3", SLUICE_BINARY, "chain", "watch", "--rpc",
                   anvil.ws_url()});
  CHECK(stopped.exit_code == 0);
  CHECK(stopped.out.empty());

  const ProcessResult bad = run_process({SLUICE_BINARY, "chain", "watch", "--rpc", "ftp://example.org"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "error: watch: --rpc: expected a ws://, wss://, http:// or https:// URL, got 'ftp://example.org'\n");
  const ProcessResult no_logs =
      run_process({SLUICE_BINARY, "chain", "watch", "--rpc", anvil.ws_url(), "--address", Anvil::dev_address(0)});
  CHECK(no_logs.exit_code == 2);
  CHECK(no_logs.err.find("add --logs") != std::string::npos);
}
