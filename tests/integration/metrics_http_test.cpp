// The /metrics and /health server on a real socket (port 0), queried with libcurl, and fed malformed requests.
#include "keeper/metrics/http_server.hpp"
#include "keeper/metrics/registry.hpp"
#include "tests/support/io_thread.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <curl/curl.h>
#include <doctest/doctest.h>

#include <string>

using namespace sluice::keeper::metrics;
namespace asio = boost::asio;

namespace {

struct Reply {
  long status = 0;
  std::string body;
  std::string content_type;
};

std::size_t append(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

Reply fetch(std::uint16_t port, const std::string& path, const char* method = nullptr) {
  CURL* curl = curl_easy_init();
  REQUIRE(curl != nullptr);
  Reply r;
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  if (method) curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  const CURLcode rc = curl_easy_perform(curl);
  REQUIRE_MESSAGE(rc == CURLE_OK, curl_easy_strerror(rc));
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  char* type = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
  if (type) r.content_type = type;
  curl_easy_cleanup(curl);
  return r;
}

/// Sends raw bytes and returns whatever comes back until the server closes (or 5 s pass).
std::string raw_exchange(std::uint16_t port, const std::string& bytes) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(socket, asio::buffer(bytes));
  struct timeval tv{5, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  boost::system::error_code ec;
  char buf[4096];
  for (;;) {
    std::size_t n = socket.read_some(asio::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}

}  // namespace

TEST_CASE("metrics http: GET /metrics and /health, 404 and 405, and malformed requests do not stop it") {
  sluice::test::IoThread io;
  Registry registry;
  registry.counter("sluice_heads_total", "New heads received").inc(7);
  registry.histogram("sluice_stage_seconds", "Stage latency", {0.001, 0.01}, {{"stage", "sent"}}).observe(0.002);
  int health_calls = 0;
  auto bound = HttpServer::bind(io.executor(), "127.0.0.1:0", registry, [&] {
    ++health_calls;
    return std::string(R"({"head_age_seconds":1.5,"in_flight":0})");
  });
  REQUIRE_MESSAGE(bound.has_value(), (bound ? "" : bound.error()));
  auto& server = **bound;
  const auto port = server.port();
  REQUIRE(port != 0);
  auto done = asio::co_spawn(io.io(), server.run(), asio::use_future);

  auto metrics = fetch(port, "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(metrics.body == io.sync([&] { return registry.render(); }));
  CHECK(metrics.body.find("sluice_heads_total 7\n") != std::string::npos);
  CHECK(metrics.body.find("sluice_stage_seconds_bucket{stage=\"sent\",le=\"0.01\"} 1\n") != std::string::npos);
  CHECK(fetch(port, "/metrics?name[]=x").status == 200);

  auto health = fetch(port, "/health");
  CHECK(health.status == 200);
  CHECK(health.content_type == "application/json");
  CHECK(health.body == R"({"head_age_seconds":1.5,"in_flight":0})");
  CHECK(health_calls == 1);

  CHECK(fetch(port, "/").status == 404);
  CHECK(fetch(port, "/metricsx").status == 404);
  CHECK(fetch(port, "/metrics", "POST").status == 405);
  CHECK(fetch(port, "/health", "DELETE").status == 405);

  // Malformed: garbage, a bad Content-Length, an oversized header, a truncated request; each answered 400 or closed.
  CHECK(raw_exchange(port, "THIS IS NOT HTTP\r\n\r\n").starts_with("HTTP/1.1 400"));
  CHECK(raw_exchange(port, "GET /metrics HTTP/1.1\r\nContent-Length: abc\r\n\r\n").starts_with("HTTP/1.1 400"));
  CHECK(raw_exchange(port, "GET /metrics HTTP/1.1\r\nX: " + std::string(20000, 'a') + "\r\n\r\n")
            .starts_with("HTTP/1.1 400"));
  {
    asio::io_context client;
    asio::ip::tcp::socket half(client);
    half.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(half, asio::buffer(std::string("GET /metr")));
    half.close();  // hangs up mid-request
  }
  // Keep-alive: two requests on one connection.
  const auto two = raw_exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n"
                                      "Connection: close\r\n\r\n");
  CHECK(two.starts_with("HTTP/1.1 200"));
  CHECK(two.find("HTTP/1.1 404") != std::string::npos);

  // Still serving after all that.
  CHECK(fetch(port, "/metrics").status == 200);

  server.stop();
  REQUIRE(done.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  done.get();
}

TEST_CASE("metrics http: a bad or busy address is an error naming it") {
  sluice::test::IoThread io;
  Registry registry;
  auto bad = HttpServer::bind(io.executor(), "127.0.0.1", registry, {});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().find("127.0.0.1") != std::string::npos);
  auto bad_port = HttpServer::bind(io.executor(), "127.0.0.1:99999", registry, {});
  REQUIRE_FALSE(bad_port.has_value());
  CHECK(bad_port.error().find("invalid port") != std::string::npos);

  auto first = HttpServer::bind(io.executor(), "127.0.0.1:0", registry, {});
  REQUIRE(first.has_value());
  const std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = HttpServer::bind(io.executor(), taken, registry, {});
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error().find(taken) != std::string::npos);
  CHECK(second.error().find("bind") != std::string::npos);
  auto localhost = HttpServer::bind(io.executor(), "localhost:0", registry, {});
  CHECK(localhost.has_value());
}
