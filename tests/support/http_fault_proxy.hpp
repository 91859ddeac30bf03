#pragma once
/// A fault-injecting HTTP/1.1 proxy for JSON-RPC tests (Boost.Beast on its own thread): listens on a free loopback
/// port and forwards each POST to an upstream node over a keep-alive connection, applying the next scripted fault
/// to the exchange. Faults are consumed one per request in order; when none is left, requests pass through.

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace sluice::test {

struct HttpFault {
  enum class Kind {
    pass,           ///< forward unchanged
    delay,          ///< forward, answer after `delay`
    stall,          ///< never answer; close the connection after `delay`
    status,         ///< answer `status` (e.g. 429, 503) without forwarding, with Retry-After if set
    truncate,       ///< forward, answer with the first half of the body (Content-Length matching)
    corrupt,        ///< forward, answer with the body's first ':' replaced by ';' (invalid JSON)
    reorder_batch,  ///< forward, answer with the batch array's elements in reverse order
    close,          ///< close the connection without answering
  };
  Kind kind = Kind::pass;
  int status = 503;
  std::string retry_after;  ///< Retry-After header value; empty: none
  std::chrono::milliseconds delay{0};

  static HttpFault pass() { return {}; }
  static HttpFault http_status(int code, std::string retry_after = {}) { return {Kind::status, code, std::move(retry_after), {}}; }
  static HttpFault delayed(std::chrono::milliseconds d) { return {Kind::delay, 0, {}, d}; }
  static HttpFault stalled(std::chrono::milliseconds d) { return {Kind::stall, 0, {}, d}; }
  static HttpFault of(Kind k) { return {k, 0, {}, {}}; }
};

class HttpFaultProxy {
 public:
  /// Proxies to `upstream_port` on 127.0.0.1.
  explicit HttpFaultProxy(int upstream_port);
  ~HttpFaultProxy();
  HttpFaultProxy(const HttpFaultProxy&) = delete;
  HttpFaultProxy& operator=(const HttpFaultProxy&) = delete;

  int port() const noexcept { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// Appends faults for the next requests.
  void script(std::deque<HttpFault> faults);
  /// Applies `fault` to every request from now on (after the scripted ones), until changed.
  void set_default(HttpFault fault);
  /// Requests received so far.
  int requests() const noexcept { return requests_.load(); }

 private:
  HttpFault next_fault();
  void start_accept();

  boost::asio::io_context io_;
  int port_ = 0;
  int upstream_port_ = 0;
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::deque<HttpFault> script_;
  HttpFault default_;
  std::thread thread_;
};

}  // namespace sluice::test
