// End-to-end JSON-RPC figures against a local anvil, printed as a table (run by scripts/bench-rpc):
//  1. eth_blockNumber round-trip latency (p50/p99, µs) over HTTP keep-alive with Sluice's client, side by side with
//     `cast block-number` and `curl` (the command-line tool), each started once per request, in the same run;
//  2. logs fetched per second: 100,000 logs emitted by tests/support/log_emitter.hpp, fetched with get_logs.
// Not a Google Benchmark (it needs processes and a node); built as target rpc_roundtrip.

#include "chain/private_key.hpp"
#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/sync_client.hpp"
#include "chain/transaction.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/dev_transaction.hpp"
#include "tests/support/log_emitter.hpp"
#include "tests/support/process.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

using namespace sluice;
using namespace sluice::rpc;
using Clock = std::chrono::steady_clock;

namespace {

struct Percentiles {
  double p50 = 0, p99 = 0;
};

Percentiles percentiles(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  const auto at = [&](double q) { return us[std::min(us.size() - 1, static_cast<std::size_t>(q * static_cast<double>(us.size())))]; };
  return {at(0.50), at(0.99)};
}

template <class F>
std::vector<double> time_each(int n, F&& f) {
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    f();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return us;
}

void print_row(const char* what, int n, const Percentiles& p) {
  std::printf("| %-52s | %6d | %10.1f | %10.1f |\n", what, n, p.p50, p.p99);
}

}  // namespace

int main(int argc, char** argv) {
  const int n_sluice = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int n_tools = argc > 2 ? std::atoi(argv[2]) : 200;
  const std::uint64_t total_logs = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 100'000;

  test::Anvil anvil({"--gas-limit", "100000000"});
  const std::string url = anvil.http_url();
  HttpOptions options;
  options.connections = 1;
  auto transport = std::make_shared<HttpTransport>(url, options);
  SyncClient client(transport);

  // ---- 1. latency ----
  for (int i = 0; i < 200; ++i) client.block_number().value();  // warm-up: connection open, parser sized
  const auto sluice_us = time_each(n_sluice, [&] { client.block_number().value(); });
  const std::string body = R"({"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]})";
  const std::string curl_path = "curl";
  const auto curl_us = time_each(n_tools, [&] {
    auto r = test::run_process({curl_path, "-s", "-X", "POST", "-H", "Content-Type: application/json", "--data", body, url});
    if (r.exit_code != 0) std::abort();
  });
  // curl's own keep-alive: one process, n_tools requests chained with --next on one connection; per-request time
  // as curl measures it (%{time_total}, from the start of the transfer to its end, inside the process).
  std::vector<std::string> chained{curl_path};
  for (int i = 0; i < n_tools; ++i) {
    if (i) chained.push_back("--next");
    for (const std::string& a : {std::string("-s"), std::string("-o"), std::string("/dev/null"), std::string("-w"),
                                 std::string("%{time_total}\n"), std::string("-H"),
                                 std::string("Content-Type: application/json"), std::string("--data"), body, url})
      chained.push_back(a);
  }
  const auto chained_run = test::run_process(chained);
  if (chained_run.exit_code != 0) std::abort();
  std::vector<double> curl_keepalive_us;
  for (std::size_t pos = 0; pos < chained_run.out.size();) {
    const auto end = chained_run.out.find('\n', pos);
    curl_keepalive_us.push_back(std::stod(chained_run.out.substr(pos, end - pos)) * 1e6);
    pos = end == std::string::npos ? chained_run.out.size() : end + 1;
  }
  const auto cast_us = time_each(n_tools, [&] {
    auto r = test::run_process({test::node_tool("cast"), "block-number", "--rpc-url", url});
    if (r.exit_code != 0) std::abort();
  });
  std::printf("eth_blockNumber round trip to a local anvil (µs)\n\n");
  std::printf("| %-52s | %6s | %10s | %10s |\n", "client", "calls", "p50 µs", "p99 µs");
  std::printf("|%s|%s|%s|%s|\n", std::string(54, '-').c_str(), std::string(8, '-').c_str(), std::string(12, '-').c_str(),
              std::string(12, '-').c_str());
  print_row("sluice rpc::Client, HTTP keep-alive (SyncClient)", n_sluice, percentiles(sluice_us));
  print_row("curl (CLI), one process per request", n_tools, percentiles(curl_us));
  print_row("curl (CLI), keep-alive: one process, --next chained", static_cast<int>(curl_keepalive_us.size()),
            percentiles(curl_keepalive_us));
  print_row("cast block-number, one process per request", n_tools, percentiles(cast_us));
  std::fflush(stdout);

  // ---- 2. logs per second ----
  const PrivateKey key = PrivateKey::from_hex(test::Anvil::dev_private_key(0)).value();
  auto send = [&](std::optional<Address> to, Bytes data, std::uint64_t gas) {
    const auto nonce = client.run([&](Client& cl) { return cl.get_transaction_count(parse_address(test::Anvil::dev_address(0)).value(), BlockTag::pending()); }).value();
    const Eip1559Transaction tx = test::dev_transaction(nonce, to, std::move(data), gas);
    const Hash hash = client.run([&](Client& cl) { return cl.send_raw_transaction(encode_raw(sign(tx, key))); }).value();
    for (;;) {
      auto receipt = client.run([&](Client& cl) { return cl.get_transaction_receipt(hash); }).value();
      if (receipt) {
        if (receipt->status != 1) std::abort();
        return *receipt;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  };
  Bytes init = from_hex(test::kLogEmitterInit).value();
  const Bytes runtime = from_hex(test::kLogEmitterRuntime).value();
  init.insert(init.end(), runtime.begin(), runtime.end());
  const Address emitter = send(std::nullopt, init, 1'000'000).contract_address.value();
  const std::uint64_t per_tx = 10'000;
  BlockNumber first_block = 0, last_block = 0;
  for (std::uint64_t emitted = 0; emitted < total_logs; emitted += per_tx) {
    const auto word = U256(std::min(per_tx, total_logs - emitted)).to_be();
    const Receipt r = send(emitter, Bytes(word.begin(), word.end()), 20'000'000);
    if (first_block == 0) first_block = r.block_number;
    last_block = r.block_number;
  }
  LogFilter filter;
  filter.addresses = {emitter};
  filter.from_block = first_block;
  filter.to_block = last_block;
  std::printf("\nlogs fetched from a local anvil (%llu logs in blocks %llu..%llu, %llu per tx)\n\n",
              static_cast<unsigned long long>(total_logs), static_cast<unsigned long long>(first_block),
              static_cast<unsigned long long>(last_block), static_cast<unsigned long long>(per_tx));
  std::printf("| %-52s | %10s | %12s |\n", "request shape", "seconds", "logs/s");
  std::printf("|%s|%s|%s|\n", std::string(54, '-').c_str(), std::string(12, '-').c_str(), std::string(14, '-').c_str());
  for (const std::uint64_t range : {std::uint64_t{0}, std::uint64_t{1}}) {
    SyncClient fetcher(transport, ClientOptions{.min_log_range = 1, .max_log_range = range});
    for (int round = 0; round < 2; ++round) {  // the first round warms anvil's caches; the second is reported
      const auto t0 = Clock::now();
      const auto logs = fetcher.get_logs(filter).value();
      const double s = std::chrono::duration<double>(Clock::now() - t0).count();
      if (logs.size() != total_logs) std::abort();
      if (round == 1)
        std::printf("| %-52s | %10.3f | %12.0f |\n",
                    range == 0 ? "one eth_getLogs over the whole range" : "one eth_getLogs per block (max_log_range=1)",
                    s, static_cast<double>(total_logs) / s);
    }
  }
  return 0;
}
