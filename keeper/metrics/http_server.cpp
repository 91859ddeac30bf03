#include "keeper/metrics/http_server.hpp"

#include "keeper/metrics/registry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <chrono>
#include <set>

namespace sluice::keeper::metrics {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr std::uint32_t kHeaderLimit = 8 * 1024;
constexpr std::uint64_t kBodyLimit = 64 * 1024;
constexpr const char* kMetricsType = "text/plain; version=0.0.4; charset=utf-8";

/// Shared by the server and its connections, so a connection outliving the HttpServer object stays valid.
struct State {
  explicit State(asio::any_io_executor ex, const Registry& r, HttpServer::HealthFn h)
      : executor(std::move(ex)), acceptor(executor), registry(r), health(std::move(h)) {}
  asio::any_io_executor executor;
  tcp::acceptor acceptor;
  const Registry& registry;
  HttpServer::HealthFn health;
  std::set<beast::tcp_stream*> connections;  ///< open ones, closed by stop()
  bool stopped = false;
};

using Response = http::response<http::string_body>;

Response make_response(http::status status, unsigned version, bool keep_alive, std::string body,
                       const char* content_type) {
  Response res{status, version};
  res.set(http::field::server, "sluice");
  res.set(http::field::content_type, content_type);
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response handle(const State& state, const http::request<http::string_body>& req) {
  const unsigned v = req.version();
  const bool keep = req.keep_alive();
  if (req.method() != http::verb::get) {
    auto res = make_response(http::status::method_not_allowed, v, keep, "method not allowed\n", "text/plain");
    res.set(http::field::allow, "GET");
    return res;
  }
  std::string_view target = req.target();
  target = target.substr(0, target.find('?'));  // a scraper may add parameters: ignored
  if (target == "/metrics")
    return make_response(http::status::ok, v, keep, state.registry.render(), kMetricsType);
  if (target == "/health") {
    try {
      return make_response(http::status::ok, v, keep, state.health ? state.health() : "{}", "application/json");
    } catch (const std::exception& e) {
      return make_response(http::status::internal_server_error, v, keep, std::string("health: ") + e.what() + "\n",
                           "text/plain");
    }
  }
  return make_response(http::status::not_found, v, keep, "not found\n", "text/plain");
}

asio::awaitable<void> serve(std::shared_ptr<State> state, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  state->connections.insert(&stream);
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(kBodyLimit);
    stream.expires_after(kIdleTimeout);
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    (void)n;
    if (ec) {
      // A request Beast cannot parse gets a 400 before the connection closes; a closed or timed-out one, nothing.
      if (ec.category() == make_error_code(http::error::end_of_stream).category() && ec != http::error::end_of_stream &&
          ec != http::error::partial_message) {
        auto res = make_response(http::status::bad_request, 11, false, "bad request\n", "text/plain");
        co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      }
      break;
    }
    auto res = handle(*state, parser.get());
    const bool keep = res.keep_alive();
    auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    (void)wn;
    if (wec || !keep || state->stopped) break;
  }
  state->connections.erase(&stream);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

/// "host:port", "[v6]:port"; the host as a literal address, "localhost", or a name to resolve.
boost::system::result<tcp::endpoint, std::string> parse_endpoint(asio::any_io_executor ex, const std::string& address) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) return std::string("expected host:port");
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return std::string("expected host:port");
  const std::string port_text = address.substr(colon + 1);
  std::uint16_t port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size()) return "invalid port '" + port_text + "'";
  boost::system::error_code aec;
  auto ip = asio::ip::make_address(host, aec);
  if (!aec) return tcp::endpoint(ip, port);
  tcp::resolver resolver(ex);
  auto results = resolver.resolve(host, port_text, aec);
  if (aec || results.empty()) return "cannot resolve '" + host + "': " + aec.message();
  return results.begin()->endpoint();
}

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<State> state;
  std::uint16_t port = 0;
};

boost::system::result<std::unique_ptr<HttpServer>, std::string> HttpServer::bind(asio::any_io_executor executor,
                                                                                const std::string& address,
                                                                                const Registry& registry,
                                                                                HealthFn health) {
  auto fail = [&](const std::string& what) { return "metrics address " + address + ": " + what; };
  auto endpoint = parse_endpoint(executor, address);
  if (!endpoint) return fail(endpoint.error());
  auto state = std::make_shared<State>(executor, registry, std::move(health));
  boost::system::error_code ec;
  auto& acceptor = state->acceptor;
  if (acceptor.open(endpoint->protocol(), ec); ec) return fail("open: " + ec.message());
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) return fail("option: " + ec.message());
  if (acceptor.bind(*endpoint, ec); ec) return fail("bind: " + ec.message());
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) return fail("listen: " + ec.message());
  auto impl = std::make_unique<Impl>();
  impl->port = acceptor.local_endpoint(ec).port();
  impl->state = std::move(state);
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const noexcept { return impl_->port; }

asio::awaitable<void> HttpServer::run() {
  auto state = impl_->state;
  while (!state->stopped) {
    auto [ec, socket] = co_await state->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (state->stopped || ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) break;
      // Out of descriptors or a connection reset before accept: back off a little rather than spin.
      asio::steady_timer pause(state->executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    asio::co_spawn(state->executor, serve(state, std::move(socket)), asio::detached);
  }
}

void HttpServer::stop() {
  // On the server's executor: the acceptor and connections are only touched there.
  asio::post(impl_->state->executor, [state = impl_->state] {
    state->stopped = true;
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
    for (auto* stream : state->connections) stream->socket().close(ignored);
  });
}

}  // namespace sluice::keeper::metrics
