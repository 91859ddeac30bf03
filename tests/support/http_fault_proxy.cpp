#include "tests/support/http_fault_proxy.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <simdjson.h>

#include <algorithm>
#include <vector>

namespace sluice::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

std::string reversed_batch(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(body).get_array().get(array) != simdjson::SUCCESS) return body;
  std::vector<std::string> parts;
  for (auto element : array) parts.push_back(simdjson::minify(element));
  std::reverse(parts.begin(), parts.end());
  std::string out = "[";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
  return out + "]";
}

void mutate(const HttpFault& fault, std::string& body) {
  switch (fault.kind) {
    case HttpFault::Kind::truncate: body.resize(body.size() / 2); break;
    case HttpFault::Kind::corrupt:
      if (const auto p = body.find(':'); p != std::string::npos) body[p] = ';';
      break;
    case HttpFault::Kind::reorder_batch: body = reversed_batch(body); break;
    default: break;
  }
}

/// Sends `request` upstream on `upstream` (reconnecting once if the kept-alive connection was closed).
asio::awaitable<http::response<http::string_body>> forward(beast::tcp_stream& upstream, int port,
                                                            http::request<http::string_body> request) {
  for (int attempt = 0;; ++attempt) {
    try {
      if (!upstream.socket().is_open())
        co_await upstream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)),
                                        asio::use_awaitable);
      request.keep_alive(true);
      co_await http::async_write(upstream, request, asio::use_awaitable);
      beast::flat_buffer buffer;
      http::response<http::string_body> response;
      co_await http::async_read(upstream, buffer, response, asio::use_awaitable);
      co_return response;
    } catch (const std::exception&) {
      beast::error_code ignored;
      upstream.socket().close(ignored);
      if (attempt >= 1) throw;
    }
  }
}

}  // namespace

HttpFaultProxy::HttpFaultProxy(int upstream_port) : upstream_port_(upstream_port) {
  auto acceptor = std::make_shared<tcp::acceptor>(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  port_ = acceptor->local_endpoint().port();
  asio::co_spawn(
      io_,
      [this, acceptor]() -> asio::awaitable<void> {
        for (;;) {
          tcp::socket socket = co_await acceptor->async_accept(asio::use_awaitable);
          asio::co_spawn(
              io_,
              [this, s = std::move(socket)]() mutable -> asio::awaitable<void> {
                beast::tcp_stream client(std::move(s));
                beast::tcp_stream upstream(co_await asio::this_coro::executor);
                beast::flat_buffer buffer;
                for (;;) {
                  http::request<http::string_body> request;
                  co_await http::async_read(client, buffer, request, asio::use_awaitable);
                  ++requests_;
                  const HttpFault fault = next_fault();
                  if (fault.kind == HttpFault::Kind::close) co_return;
                  if (fault.kind == HttpFault::Kind::stall) {
                    asio::steady_timer timer(co_await asio::this_coro::executor, fault.delay);
                    co_await timer.async_wait(asio::use_awaitable);
                    co_return;
                  }
                  http::response<http::string_body> response;
                  if (fault.kind == HttpFault::Kind::status) {
                    response.result(static_cast<unsigned>(fault.status));
                    response.set(http::field::content_type, "text/plain");
                    if (!fault.retry_after.empty()) response.set(http::field::retry_after, fault.retry_after);
                    response.body() = "injected fault";
                  } else {
                    response = co_await forward(upstream, upstream_port_, request);
                    mutate(fault, response.body());
                    if (fault.kind == HttpFault::Kind::delay) {
                      asio::steady_timer timer(co_await asio::this_coro::executor, fault.delay);
                      co_await timer.async_wait(asio::use_awaitable);
                    }
                  }
                  response.version(request.version());
                  response.keep_alive(request.keep_alive());
                  response.prepare_payload();
                  co_await http::async_write(client, response, asio::use_awaitable);
                }
              },
              asio::detached);  // a session ends with an exception when the client goes away
        }
      },
      asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

HttpFaultProxy::~HttpFaultProxy() {
  io_.stop();
  thread_.join();
}

void HttpFaultProxy::script(std::deque<HttpFault> faults) {
  std::lock_guard lock(mutex_);
  for (auto& f : faults) script_.push_back(std::move(f));
}

void HttpFaultProxy::set_default(HttpFault fault) {
  std::lock_guard lock(mutex_);
  default_ = std::move(fault);
}

HttpFault HttpFaultProxy::next_fault() {
  std::lock_guard lock(mutex_);
  if (script_.empty()) return default_;
  HttpFault f = std::move(script_.front());
  script_.pop_front();
  return f;
}

}  // namespace sluice::test
