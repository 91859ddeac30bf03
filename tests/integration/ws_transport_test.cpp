// WsTransport against a real anvil, directly and through the fault-injecting WebSocket proxy.

#include "chain/rpc/ws_transport.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/io_thread.hpp"
#include "tests/support/echo_emitter.hpp"
#include "tests/support/ws_fault_proxy.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <thread>

using namespace sluice;
using namespace sluice::test;
using rpc::RpcResult;
using rpc::WsTransport;
namespace asio = boost::asio;

namespace {

rpc::WsTransportOptions fast_options() {
  rpc::WsTransportOptions options;
  options.call_timeout = std::chrono::seconds(10);
  options.backoff_initial = std::chrono::milliseconds(20);
  options.backoff_max = std::chrono::milliseconds(200);
  options.connection.idle_timeout = std::chrono::milliseconds(1500);
  return options;
}

std::shared_ptr<WsTransport> make_transport(IoThread& io, const std::string& url,
                                            rpc::WsTransportOptions options = fast_options()) {
  return io.sync([&] { return WsTransport::create(io.executor(), url, options).value(); });
}

RpcResult<std::string> call(IoThread& io, const std::shared_ptr<WsTransport>& transport, std::string method,
                            std::string params = "[]") {
  return io.run([&]() { return transport->call(method, params); });
}

/// Collects notifications from the io thread.
struct Inbox {
  std::mutex mutex;
  std::vector<std::string> messages;
  void add(std::string_view json) {
    std::lock_guard lock(mutex);
    messages.emplace_back(json);
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return messages.size();
  }
  std::vector<std::string> copy() {
    std::lock_guard lock(mutex);
    return messages;
  }
};

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace

TEST_CASE("ws transport: calls and batches over WebSocket match anvil's HTTP answers") {
  Anvil anvil;
  RpcClient http(anvil.http_url());
  http.call_raw("anvil_mine", R"(["0x5"])");
  IoThread io;
  auto transport = make_transport(io, anvil.ws_url());
  auto number = call(io, transport, "eth_blockNumber");
  REQUIRE(number);
  CHECK(*number == "\"" + http.call("eth_blockNumber", "[]") + "\"");
  auto batch = io.run([&]() {
    return transport->batch({{"eth_chainId", "[]"}, {"eth_getBlockByNumber", R"(["0x3",false])"},
                             {"no_such_method", "[]"}});
  });
  REQUIRE(batch.has_value());
  REQUIRE(batch->size() == 3);
  CHECK((*batch)[0].value() == "\"0x7a69\"");
  CHECK((*batch)[1].value().find(http.call_field("eth_getBlockByNumber", R"(["0x3",false])", "hash")) !=
        std::string::npos);
  REQUIRE_FALSE((*batch)[2]);
  CHECK((*batch)[2].error().kind == rpc::ErrorKind::node_error);
  auto refused = call(io, transport, "eth_getBlockByNumber", R"(["not a block"])");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == rpc::ErrorKind::node_error);
  io.sync([&] { transport->close(); });
}

TEST_CASE("ws transport: newHeads and logs subscriptions receive while blocks are mined") {
  Anvil anvil;
  RpcClient http(anvil.http_url());
  const std::string from = Anvil::dev_address(0);
  const std::string emitter = deploy_echo_emitter(http, from);
  const std::string other = deploy_echo_emitter(http, from);
  IoThread io;
  auto transport = make_transport(io, anvil.ws_url());
  Inbox heads, logs;
  auto head_handle = io.run([&]() {
    return transport->subscribe(R"(["newHeads"])", [&](std::string_view json) { heads.add(json); });
  });
  REQUIRE(head_handle);
  auto log_handle = io.run([&]() {
    return transport->subscribe(R"(["logs",{"address":")" + emitter + R"(","topics":[")" + kEchoTopic + "\"]}]",
                                [&](std::string_view json) { logs.add(json); });
  });
  REQUIRE(log_handle);
  CHECK(*head_handle != *log_handle);
  for (int i = 0; i < 5; ++i) {
    http.wait_for_receipt(emit_echo(http, from, emitter, "0xaa0" + std::to_string(i)));
    http.wait_for_receipt(emit_echo(http, from, other, "0xbb0" + std::to_string(i)));  // filtered out
  }
  REQUIRE(wait_until([&] { return heads.size() >= 10 && logs.size() >= 5; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(heads.size() == 10);
  const auto received = logs.copy();
  REQUIRE(received.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(received[i].find("\"data\":\"0xaa0" + std::to_string(i) + "\"") != std::string::npos);
    CHECK(received[i].find(emitter) != std::string::npos);
  }
  auto unsubscribed = io.run([&]() { return transport->unsubscribe(*log_handle); });
  CHECK(unsubscribed);
  http.wait_for_receipt(emit_echo(http, from, emitter, "0xcc"));
  REQUIRE(wait_until([&] { return heads.size() >= 11; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(logs.size() == 5);
  io.sync([&] { transport->close(); });
}

TEST_CASE("ws transport: subscription handles stay stable across reconnects, requests in flight are re-sent") {
  Anvil anvil;
  RpcClient http(anvil.http_url());
  WsFaultProxy proxy(anvil.port());
  IoThread io;
  auto transport = make_transport(io, proxy.ws_url());
  std::atomic<std::uint64_t> connections{0};
  io.sync([&] { transport->set_connection_listener([&](std::uint64_t g) { connections = g; }); });
  Inbox heads;
  auto handle = io.run([&]() {
    return transport->subscribe(R"(["newHeads"])", [&](std::string_view json) { heads.add(json); });
  });
  REQUIRE(handle);
  http.call("evm_mine", "[]");
  REQUIRE(wait_until([&] { return heads.size() == 1; }));
  for (int drop = 0; drop < 3; ++drop) {
    const auto before = connections.load();
    proxy.drop_all();
    REQUIRE(wait_until([&] { return connections.load() > before; }));
    http.call("evm_mine", "[]");
    REQUIRE(wait_until([&] { return heads.size() == static_cast<std::size_t>(drop + 2); }));
  }
  // The same handle still works: unsubscribing it stops notifications.
  CHECK(io.run([&]() { return transport->unsubscribe(*handle); }));
  // A request whose answer is lost with the connection is re-sent on the next one.
  proxy.set_delay(std::chrono::milliseconds(300));
  std::thread dropper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    proxy.drop_all();
  });
  auto answered = call(io, transport, "eth_chainId");
  dropper.join();
  REQUIRE(answered);
  CHECK(*answered == "\"0x7a69\"");
  CHECK(connections.load() >= 5);
  io.sync([&] { transport->close(); });
}

TEST_CASE("ws transport: corrupt or truncated JSON yields an error, not a crash, and the transport recovers") {
  Anvil anvil;
  WsFaultProxy proxy(anvil.port());
  IoThread io;
  auto transport = make_transport(io, proxy.ws_url());
  REQUIRE(call(io, transport, "eth_chainId"));
  proxy.corrupt_next();
  auto corrupted = call(io, transport, "eth_blockNumber");
  REQUIRE_FALSE(corrupted);
  CHECK(corrupted.error().kind == rpc::ErrorKind::malformed_response);
  CHECK(corrupted.error().describe().find("unparsable") != std::string::npos);
  proxy.truncate_next();
  auto truncated = call(io, transport, "eth_blockNumber");
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error().kind == rpc::ErrorKind::malformed_response);
  auto recovered = call(io, transport, "eth_chainId");
  REQUIRE(recovered);
  CHECK(*recovered == "\"0x7a69\"");
  io.sync([&] { transport->close(); });
}

TEST_CASE("ws transport: a stall longer than the keepalive timeout is detected and the connection replaced") {
  Anvil anvil;
  WsFaultProxy proxy(anvil.port());
  IoThread io;
  auto transport = make_transport(io, proxy.ws_url());
  std::atomic<std::uint64_t> connections{0};
  io.sync([&] { transport->set_connection_listener([&](std::uint64_t g) { connections = g; }); });
  REQUIRE(call(io, transport, "eth_chainId"));
  REQUIRE(connections.load() == 1);
  // Idle timeout 1.5 s: a ping goes out after 0.75 s, and the silent connection is declared dead at 1.5 s.
  proxy.stall(std::chrono::milliseconds(2500));
  REQUIRE(wait_until([&] { return connections.load() >= 2; }, std::chrono::seconds(10)));
  auto answered = call(io, transport, "eth_chainId");
  REQUIRE(answered);
  // A short stall (below the timeout) only delays the answer.
  proxy.stall(std::chrono::milliseconds(300));
  const auto before = connections.load();
  CHECK(call(io, transport, "eth_chainId"));
  CHECK(connections.load() == before);
  io.sync([&] { transport->close(); });
}

TEST_CASE("ws transport: an unreachable endpoint is declared dead after max_connect_failures, bad URLs are refused") {
  IoThread io;
  auto options = fast_options();
  options.max_connect_failures = 3;
  auto transport = make_transport(io, "ws://127.0.0.1:" + std::to_string(free_port()), options);
  REQUIRE(wait_until([&] { return io.sync([&] { return transport->dead(); }); }, std::chrono::seconds(10)));
  auto refused = call(io, transport, "eth_chainId");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == rpc::ErrorKind::transport);
  for (const char* url : {"http://127.0.0.1:8545", "ws://", "ws://host:0", "ws://host:99999", "ws://user@host/"}) {
    auto created = io.sync([&] { return WsTransport::create(io.executor(), url); });
    CHECK_MESSAGE(!created, url);
  }
}
