// Integration: the HTTP transport and the endpoint pool through tests/support/http_fault_proxy between the client
// and a real anvil: retries with backoff (503, 429 + Retry-After, stalls), corrupt and truncated JSON as errors
// naming the method, reordered batch answers, failover to a healthy endpoint, demotion of a lagging endpoint,
// and the token-bucket rate limit.

#include "chain/rpc/endpoint_pool.hpp"
#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/sync_client.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/http_fault_proxy.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::rpc;
using sluice::test::Anvil;
using sluice::test::HttpFault;
using sluice::test::HttpFaultProxy;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

HttpOptions fast_options() {
  HttpOptions o;
  o.timeout = milliseconds(400);
  o.connections = 1;
  o.retry.max_attempts = 4;
  o.retry.initial_backoff = milliseconds(10);
  o.retry.max_backoff = milliseconds(50);
  o.jitter_seed = 42;
  return o;
}

long elapsed_ms(Clock::time_point since) {
  return static_cast<long>(std::chrono::duration_cast<milliseconds>(Clock::now() - since).count());
}

}  // namespace

TEST_CASE("rpc faults: 503s and stalls are retried with backoff until the node answers") {
  Anvil anvil;
  HttpFaultProxy proxy(anvil.port());
  auto transport = std::make_shared<HttpTransport>(proxy.url(), fast_options());
  SyncClient client(transport);

  proxy.script({HttpFault::http_status(503), HttpFault::http_status(502), HttpFault::stalled(milliseconds(1000))});
  CHECK(client.chain_id().value() == 31337);
  CHECK(proxy.requests() == 4);
  CHECK(transport->stats().retries == 3);

  // Out of attempts: the last error surfaces, naming the method and the endpoint (never its path).
  proxy.script({HttpFault::http_status(503), HttpFault::http_status(503), HttpFault::http_status(503),
                HttpFault::http_status(503)});
  auto failed = client.block_number();
  REQUIRE(!failed);
  CHECK(failed.error().kind == ErrorKind::http_status);
  CHECK(failed.error().http_status == 503);
  CHECK(failed.error().method == "eth_blockNumber");
  CHECK(failed.error().endpoint == proxy.url());

  proxy.script({HttpFault::stalled(milliseconds(2000)), HttpFault::stalled(milliseconds(2000)),
                HttpFault::stalled(milliseconds(2000)), HttpFault::stalled(milliseconds(2000))});
  auto timed_out = client.block_number();
  REQUIRE(!timed_out);
  CHECK(timed_out.error().kind == ErrorKind::timeout);
  CHECK(client.block_number().value() == 0);  // and the transport still works afterwards
}

TEST_CASE("rpc faults: HTTP 429 honours Retry-After; 4xx is not retried") {
  Anvil anvil;
  HttpFaultProxy proxy(anvil.port());
  auto transport = std::make_shared<HttpTransport>(proxy.url(), fast_options());
  SyncClient client(transport);

  proxy.script({HttpFault::http_status(429, "1")});
  const auto start = Clock::now();
  CHECK(client.chain_id().value() == 31337);
  CHECK(elapsed_ms(start) >= 950);  // waited the server's 1 s, not our 10 ms backoff
  CHECK(transport->stats().retries == 1);

  proxy.script({HttpFault::http_status(429, "3600")});  // beyond max_retry_after: give up at once
  auto limited = client.chain_id();
  REQUIRE(!limited);
  CHECK(limited.error().kind == ErrorKind::rate_limited);
  CHECK(limited.error().retry_after == milliseconds(3600 * 1000));

  const int before = proxy.requests();
  proxy.script({HttpFault::http_status(403)});
  auto forbidden = client.chain_id();
  REQUIRE(!forbidden);
  CHECK(forbidden.error().kind == ErrorKind::http_status);
  CHECK(proxy.requests() == before + 1);
}

TEST_CASE("rpc faults: corrupt and truncated JSON are errors naming the method, never a crash") {
  Anvil anvil;
  HttpFaultProxy proxy(anvil.port());
  SyncClient client(std::make_shared<HttpTransport>(proxy.url(), fast_options()));

  for (const auto kind : {HttpFault::Kind::corrupt, HttpFault::Kind::truncate}) {
    CAPTURE(static_cast<int>(kind));
    proxy.script({HttpFault::of(kind)});
    auto r = client.get_block_by_number(BlockTag::latest());
    REQUIRE(!r);
    CHECK(r.error().kind == ErrorKind::malformed_response);
    CHECK(r.error().method == "eth_getBlockByNumber");
    CHECK(r.error().describe().find("eth_getBlockByNumber at " + proxy.url()) == 0);
    LogFilter filter;
    proxy.script({HttpFault::of(kind)});
    auto logs = client.get_logs(filter);
    REQUIRE(!logs);
    CHECK(logs.error().method == "eth_getLogs");
    proxy.script({HttpFault::of(kind)});
    auto batch = client.run([](Client& c) { return c.batch({requests::chain_id(), requests::block_number()}); });
    REQUIRE(!batch);
    CHECK(batch.error().kind == ErrorKind::malformed_response);
  }
  CHECK(client.chain_id().value() == 31337);
}

TEST_CASE("rpc faults: reordered batch answers are matched by id") {
  Anvil anvil;
  HttpFaultProxy proxy(anvil.port());
  SyncClient client(std::make_shared<HttpTransport>(proxy.url(), fast_options()));
  proxy.script({HttpFault::of(HttpFault::Kind::reorder_batch)});
  std::vector<RawCall> calls;
  for (std::uint64_t i = 0; i < 50; ++i)
    calls.push_back(requests::get_block_by_number(i % 2 == 0 ? BlockTag(std::uint64_t{0}) : BlockTag(std::uint64_t{99})));
  calls.push_back(requests::chain_id());
  auto results = client.run([&](Client& c) { return c.batch(calls); }).value();
  REQUIRE(results.size() == 51);
  JsonParser p;
  for (std::size_t i = 0; i < 50; ++i) {
    CAPTURE(i);
    const auto block = decode_block_header(p, results[i].value()).value();
    CHECK(block.has_value() == (i % 2 == 0));
  }
  CHECK(decode_u64_result(p, results[50].value(), "eth_chainId").value() == 31337);
}

TEST_CASE("rpc pool: failover moves to the healthy endpoint; a lagging endpoint is demoted") {
  Anvil ahead;
  Anvil behind;
  HttpFaultProxy flaky(ahead.port());
  test::RpcClient(ahead.http_url()).call_raw("anvil_mine", "[\"0xa\"]");  // 10 blocks ahead of `behind`

  HttpOptions no_retry = fast_options();
  no_retry.retry.max_attempts = 1;
  const int dead_port = test::free_port();  // nothing listens there
  auto dead = std::make_shared<HttpTransport>("http://127.0.0.1:" + std::to_string(dead_port), no_retry);
  auto flaky_transport = std::make_shared<HttpTransport>(flaky.url(), no_retry);
  auto behind_transport = std::make_shared<HttpTransport>(behind.http_url(), no_retry);
  PoolOptions pool_options;
  pool_options.max_consecutive_failures = 2;
  pool_options.max_head_lag = 3;
  auto pool = std::make_shared<EndpointPool>(
      std::vector<std::shared_ptr<Transport>>{dead, flaky_transport, behind_transport}, pool_options);
  SyncClient client(pool);

  // The dead endpoint fails (connection refused): the call moves on to the next one.
  CHECK(client.block_number().value() == 10);
  CHECK(pool->health()[0].consecutive_failures == 1);
  CHECK(client.block_number().value() == 10);
  CHECK(!pool->health()[0].healthy);  // two failures in a row: in cooldown, tried last from now on
  const int flaky_before = flaky.requests();
  CHECK(client.block_number().value() == 10);
  CHECK(flaky.requests() == flaky_before + 1);

  // 503 from the flaky one: failover to `behind` for that call.
  flaky.script({HttpFault::http_status(503)});
  CHECK(client.block_number().value() == 0);
  CHECK(pool->health()[1].consecutive_failures == 1);

  // Heads: `behind` lags by 10 > 3 blocks and is demoted below the others.
  client.run([&](Client&) -> boost::asio::awaitable<RpcResult<int>> {
    co_await pool->refresh_heads();
    co_return 0;
  });
  const auto health = pool->health();
  CHECK(health[1].head == 10);
  CHECK(health[2].head == 0);
  CHECK(health[2].demoted);
  CHECK(!health[1].demoted);
  CHECK(pool->endpoint() == flaky.url());
  // The flaky endpoint now fails once: the demoted one still answers rather than nobody.
  flaky.script({HttpFault::http_status(503)});
  CHECK(client.block_number().value() == 0);

  // Everything failing: a no_healthy_endpoint error that says what the last failure was.
  flaky.set_default(HttpFault::http_status(503));
  auto pool2 = std::make_shared<EndpointPool>(
      std::vector<std::shared_ptr<Transport>>{dead, std::make_shared<HttpTransport>(flaky.url(), no_retry)});
  SyncClient client2(pool2);
  auto none = client2.chain_id();
  REQUIRE(!none);
  CHECK(none.error().kind == ErrorKind::no_healthy_endpoint);
  CHECK(none.error().message.find("503") != std::string::npos);
}

TEST_CASE("rpc http: the token bucket paces requests") {
  Anvil anvil;
  HttpOptions o;
  o.requests_per_second = 20;
  o.burst = 1;
  SyncClient client(std::make_shared<HttpTransport>(anvil.http_url(), o));
  const auto start = Clock::now();
  for (int i = 0; i < 11; ++i) REQUIRE(client.chain_id().has_value());
  // 1 token up front, then 10 more at 20/s: at least ~500 ms.
  CHECK(elapsed_ms(start) >= 450);
}
