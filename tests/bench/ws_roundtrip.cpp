// eth_blockNumber round-trip latency to a local anvil over WebSocket (Sluice's WsTransport, timed inside one
// coroutine on the io thread, one call in flight at a time), side by side with Sluice over HTTP keep-alive,
// `curl` and `cast block-number` (one process per request) in the same run. Run by scripts/bench-ws.
// Not a Google Benchmark (it needs processes and a node); built as target ws_roundtrip.

#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/ws_transport.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/process.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace sluice;
using namespace sluice::rpc;
using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;

namespace {

struct Percentiles {
  double p50 = 0, p99 = 0;
};

Percentiles percentiles(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  const auto at = [&](double q) {
    return us[std::min(us.size() - 1, static_cast<std::size_t>(q * static_cast<double>(us.size())))];
  };
  return {at(0.50), at(0.99)};
}

/// Times `n` sequential eth_blockNumber calls over `transport` after `warmup` untimed ones (µs each).
asio::awaitable<std::vector<double>> time_calls(Transport& transport, int warmup, int n) {
  std::vector<double> us;
  for (int i = 0; i < warmup + n; ++i) {
    const auto t0 = Clock::now();
    auto answer = co_await transport.call("eth_blockNumber", "[]");
    if (!answer) {
      std::fprintf(stderr, "%s\n", answer.error().describe().c_str());
      std::abort();
    }
    if (i >= warmup) us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  co_return us;
}

template <class F>
std::vector<double> time_processes(int n, F&& run) {
  std::vector<double> us;
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    if (run().exit_code != 0) std::abort();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return us;
}

void print_row(const char* what, std::size_t n, const Percentiles& p) {
  std::printf("| %-62s | %6zu | %10.1f | %10.1f |\n", what, n, p.p50, p.p99);
}

}  // namespace

int main(int argc, char** argv) {
  const int n_sluice = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int n_tools = argc > 2 ? std::atoi(argv[2]) : 200;
  test::Anvil anvil;
  asio::io_context io(1);

  auto ws = WsTransport::create(io.get_executor(), anvil.ws_url()).value();
  auto ws_future = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<std::vector<double>> {
        auto us = co_await time_calls(*ws, 200, n_sluice);
        ws->close();  // ends the transport's background coroutine, so io.run() returns
        co_return us;
      },
      asio::use_future);
  io.run();
  const auto ws_us = ws_future.get();

  HttpOptions http_options;
  http_options.connections = 1;
  HttpTransport http(anvil.http_url(), http_options);
  io.restart();
  auto http_future = asio::co_spawn(io, time_calls(http, 200, n_sluice), asio::use_future);
  io.run();
  const auto http_us = http_future.get();

  const std::string body = R"({"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]})";
  const auto curl_us = time_processes(n_tools, [&] {
    return test::run_process({"curl", "-s", "-X", "POST", "-H", "Content-Type: application/json", "--data", body,
                              anvil.http_url()});
  });
  const auto cast_ws_us = time_processes(n_tools, [&] {
    return test::run_process({test::node_tool("cast"), "block-number", "--rpc-url", anvil.ws_url()});
  });
  const auto cast_http_us = time_processes(n_tools, [&] {
    return test::run_process({test::node_tool("cast"), "block-number", "--rpc-url", anvil.http_url()});
  });

  std::printf("eth_blockNumber round trip to a local anvil (µs)\n\n");
  std::printf("| %-62s | %6s | %10s | %10s |\n", "client", "calls", "p50 µs", "p99 µs");
  std::printf("|%s|%s|%s|%s|\n", std::string(64, '-').c_str(), std::string(8, '-').c_str(),
              std::string(12, '-').c_str(), std::string(12, '-').c_str());
  print_row("sluice WsTransport, one WebSocket, sequential calls", ws_us.size(), percentiles(ws_us));
  print_row("sluice HttpTransport, HTTP keep-alive, sequential calls", http_us.size(), percentiles(http_us));
  print_row("curl (CLI) over HTTP, one process per request", curl_us.size(), percentiles(curl_us));
  print_row("cast block-number --rpc-url ws://, one process per request", cast_ws_us.size(),
            percentiles(cast_ws_us));
  print_row("cast block-number --rpc-url http://, one process per request", cast_http_us.size(),
            percentiles(cast_http_us));
  return 0;
}
