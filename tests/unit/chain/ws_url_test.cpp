#include "chain/rpc/ws_connection.hpp"

#include <doctest/doctest.h>

using namespace sluice::rpc;

TEST_CASE("ws url: ws:// and wss:// URLs split into TLS flag, host, default or explicit port, and target") {
  auto plain = parse_ws_url("ws://127.0.0.1:8545");
  REQUIRE(plain.has_value());
  CHECK_FALSE(plain->tls);
  CHECK(plain->host == "127.0.0.1");
  CHECK(plain->port == "8545");
  CHECK(plain->target == "/");

  auto tls = parse_ws_url("WSS://eth-mainnet.example.org/v2/KEY?x=1");
  REQUIRE(tls.has_value());
  CHECK(tls->tls);
  CHECK(tls->host == "eth-mainnet.example.org");
  CHECK(tls->port == "443");  // RFC 6455 section 3: default port 443 for wss, 80 for ws
  CHECK(tls->target == "/v2/KEY?x=1");

  auto v6 = parse_ws_url("ws://[::1]:9000?a=b");
  REQUIRE(v6.has_value());
  CHECK(v6->host == "::1");
  CHECK(v6->port == "9000");
  CHECK(v6->target == "/?a=b");

  CHECK(parse_ws_url("ws://localhost")->port == "80");
  CHECK(is_ws_url("wss://x"));
  CHECK(is_ws_url("WS://x"));
  CHECK_FALSE(is_ws_url("http://x"));
}

TEST_CASE("ws url: malformed URLs are refused with bad_url, never crash") {
  for (const char* url : {"", "ws:/", "ws://", "ws://:80", "ws://host:", "ws://host:0", "ws://host:65536",
                          "ws://host:12a", "ws://host:123456", "ws://user:pw@host/", "ws://[::1", "ws://[]:80",
                          "ws://[::1]x", "ws://::1:80", "http://host/", "ws://host/#frag", "wss://host:-1"}) {
    auto parsed = parse_ws_url(url);
    REQUIRE_MESSAGE(!parsed.has_value(), url);
    CHECK(parsed.error() == make_error_code(WsError::bad_url));
  }
}
