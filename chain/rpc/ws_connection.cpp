#include "chain/rpc/ws_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>
#include <deque>

namespace sluice::rpc {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

const char* describe(WsError e) noexcept {
  switch (e) {
    case WsError::bad_url:
      return "ws: URL must be ws://host[:port][/path] or wss://host[:port][/path]";
    case WsError::closed:
      return "ws: connection closed";
    case WsError::message_too_large:
      return "ws: message too large";
  }
  return "ws: unknown error";
}

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

bool starts_with_nocase(std::string_view text, std::string_view prefix) noexcept {
  if (text.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

bool all_digits(std::string_view text) noexcept {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The WebSocket layer over `Next` (a plain or TLS Beast stream).
template <class Next>
class BeastWsConnection final : public WsConnection, public std::enable_shared_from_this<BeastWsConnection<Next>> {
 public:
  template <class... Args>
  explicit BeastWsConnection(Args&&... args) : ws_(std::forward<Args>(args)...) {}

  websocket::stream<Next>& stream() noexcept { return ws_; }

  asio::awaitable<Result<std::string>> read() override {
    buffer_.clear();
    auto [ec, n] = co_await ws_.async_read(buffer_, kNoThrow);
    if (ec == websocket::error::message_too_big) co_return make_error_code(WsError::message_too_large);
    if (ec == websocket::error::closed) co_return make_error_code(WsError::closed);
    if (ec) co_return ec;
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(n);
    co_return text;
  }

  void send(std::string text) override {
    if (!open_) return;
    queue_.push_back(std::move(text));
    if (writing_) return;
    writing_ = true;
    asio::co_spawn(ws_.get_executor(), write_loop(this->shared_from_this()), asio::detached);
  }

  void abort() noexcept override {
    if (!open_) return;
    open_ = false;
    queue_.clear();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  bool is_open() const noexcept override { return open_; }

 private:
  static asio::awaitable<void> write_loop(std::shared_ptr<BeastWsConnection> self) {
    while (self->open_ && !self->queue_.empty()) {
      std::string message = std::move(self->queue_.front());
      self->queue_.pop_front();
      self->ws_.text(true);
      auto [ec, n] = co_await self->ws_.async_write(asio::buffer(message), kNoThrow);
      if (ec) self->abort();
    }
    self->writing_ = false;
  }

  websocket::stream<Next> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool open_ = true;
};

template <class Connection>
void configure(Connection& connection, const WsOptions& options) {
  auto& ws = connection.stream();
  beast::get_lowest_layer(ws).expires_never();  // from here on the WebSocket layer's own timeouts apply
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = options.connect_timeout;
  timeouts.idle_timeout = options.idle_timeout;
  timeouts.keep_alive_pings = true;
  ws.set_option(timeouts);
  ws.read_message_max(options.max_message_bytes);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::request_type& request) { request.set(beast::http::field::user_agent, "sluice"); }));
}

std::string host_header(const WsEndpoint& endpoint) {
  const bool default_port = endpoint.port == (endpoint.tls ? "443" : "80");
  const bool v6 = endpoint.host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + endpoint.host + "]" : endpoint.host;
  return default_port ? host : host + ":" + endpoint.port;
}

}  // namespace

bool is_ws_url(std::string_view url) noexcept {
  return starts_with_nocase(url, "ws://") || starts_with_nocase(url, "wss://");
}

Result<WsEndpoint> parse_ws_url(std::string_view url) {
  WsEndpoint endpoint;
  if (starts_with_nocase(url, "wss://")) {
    endpoint.tls = true;
    url.remove_prefix(6);
  } else if (starts_with_nocase(url, "ws://")) {
    url.remove_prefix(5);
  } else {
    return make_error_code(WsError::bad_url);
  }
  const auto authority_end = url.find_first_of("/?#");
  std::string_view authority = url.substr(0, authority_end);
  std::string_view rest = authority_end == std::string_view::npos ? std::string_view{} : url.substr(authority_end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return make_error_code(WsError::bad_url);
  if (rest.find('#') != std::string_view::npos) return make_error_code(WsError::bad_url);
  std::string_view port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return make_error_code(WsError::bad_url);
    endpoint.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return make_error_code(WsError::bad_url);
      port = after.substr(1);
      if (port.empty()) return make_error_code(WsError::bad_url);
    }
  } else {
    const auto colon = authority.rfind(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return make_error_code(WsError::bad_url);
    }
    if (endpoint.host.empty() || endpoint.host.find(':') != std::string::npos) return make_error_code(WsError::bad_url);
  }
  if (!port.empty()) {
    if (!all_digits(port) || port.size() > 5 || std::stoul(std::string(port)) == 0 ||
        std::stoul(std::string(port)) > 65535)
      return make_error_code(WsError::bad_url);
    endpoint.port = std::string(port);
  } else {
    endpoint.port = endpoint.tls ? "443" : "80";
  }
  endpoint.target = rest.empty() ? "/" : std::string(rest);
  if (endpoint.target.front() == '?') endpoint.target.insert(endpoint.target.begin(), '/');
  return endpoint;
}

Result<std::shared_ptr<asio::ssl::context>> make_tls_context(const std::string& extra_ca_file) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  beast::error_code ec;
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                           asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                           asio::ssl::context::no_tlsv1_1,
                       ec);
  if (ec) return ec;
  context->set_default_verify_paths(ec);
  if (ec) return ec;
  if (!extra_ca_file.empty()) {
    context->load_verify_file(extra_ca_file, ec);
    if (ec) return ec;
  }
  context->set_verify_mode(asio::ssl::verify_peer, ec);
  if (ec) return ec;
  return context;
}

asio::awaitable<Result<std::shared_ptr<WsConnection>>> connect_ws(const WsEndpoint& endpoint,
                                                                  const WsOptions& options,
                                                                  std::shared_ptr<asio::ssl::context> tls) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto [resolve_ec, results] = co_await resolver.async_resolve(endpoint.host, endpoint.port, kNoThrow);
  if (resolve_ec) co_return resolve_ec;
  const std::string host = host_header(endpoint);

  if (!endpoint.tls) {
    auto connection = std::make_shared<BeastWsConnection<beast::tcp_stream>>(executor);
    auto& tcp_layer = beast::get_lowest_layer(connection->stream());
    tcp_layer.expires_after(options.connect_timeout);
    auto [connect_ec, ep] = co_await tcp_layer.async_connect(results, kNoThrow);
    if (connect_ec) co_return connect_ec;
    tcp_layer.socket().set_option(tcp::no_delay(true));
    configure(*connection, options);
    auto [handshake_ec] = co_await connection->stream().async_handshake(host, endpoint.target, kNoThrow);
    if (handshake_ec) co_return handshake_ec;
    co_return std::shared_ptr<WsConnection>(std::move(connection));
  }

  if (!tls) co_return make_error_code(boost::system::errc::invalid_argument);
  using TlsStream = beast::ssl_stream<beast::tcp_stream>;
  auto connection = std::make_shared<BeastWsConnection<TlsStream>>(executor, *tls);
  auto& tls_layer = connection->stream().next_layer();
  auto& tcp_layer = beast::get_lowest_layer(connection->stream());
  // SNI, and the certificate must name the host we asked for (RFC 6125), not merely chain to a trusted root.
  if (!SSL_set_tlsext_host_name(tls_layer.native_handle(), endpoint.host.c_str()))
    co_return beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
  tls_layer.set_verify_callback(asio::ssl::host_name_verification(endpoint.host));
  tcp_layer.expires_after(options.connect_timeout);
  auto [connect_ec, ep] = co_await tcp_layer.async_connect(results, kNoThrow);
  if (connect_ec) co_return connect_ec;
  tcp_layer.socket().set_option(tcp::no_delay(true));
  tcp_layer.expires_after(options.connect_timeout);
  auto [tls_ec] = co_await tls_layer.async_handshake(asio::ssl::stream_base::client, kNoThrow);
  if (tls_ec) co_return tls_ec;
  configure(*connection, options);
  auto [handshake_ec] = co_await connection->stream().async_handshake(host, endpoint.target, kNoThrow);
  if (handshake_ec) co_return handshake_ec;
  co_return std::shared_ptr<WsConnection>(std::move(connection));
}

}  // namespace sluice::rpc
