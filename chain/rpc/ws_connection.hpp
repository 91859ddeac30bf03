#pragma once
/// One WebSocket connection to a JSON-RPC node (RFC 6455 over Boost.Beast), plain `ws://` or `wss://` with
/// certificate and host-name verification (SNI set). Text messages in, text messages out; keepalive pings are
/// Beast's: after half the idle timeout without traffic a ping is sent, and a connection that stays silent for the
/// whole idle timeout is declared dead (the pending read fails with a timeout).
/// Single-threaded: every member must be used from the executor the connection was made on.

#include "chain/error.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace sluice::rpc {

enum class WsError {
  bad_url = 1,        ///< not ws://host[:port][/path] or wss://...
  closed,             ///< the connection was closed (by us or by the peer)
  message_too_large,  ///< the peer sent a message above WsOptions::max_message_bytes
};

const char* describe(WsError e) noexcept;
SLUICE_ERROR_CATEGORY(WsError, "ws")

/// Where to connect, from a `ws://` or `wss://` URL.
struct WsEndpoint {
  bool tls = false;
  std::string host;    ///< host name or IP literal (brackets stripped for IPv6)
  std::string port;    ///< decimal; 80 / 443 when the URL has none
  std::string target;  ///< request target, "/" when the URL has no path
};

/// Parses `ws://host[:port][/path]` or `wss://...` (scheme case-insensitive). No user-info, no fragment.
Result<WsEndpoint> parse_ws_url(std::string_view url);
/// True if `url` starts with ws:// or wss:// (case-insensitive).
bool is_ws_url(std::string_view url) noexcept;

struct WsOptions {
  std::chrono::milliseconds connect_timeout{5000};  ///< resolve + TCP + TLS + WebSocket handshake
  std::chrono::milliseconds idle_timeout{6000};     ///< ping after half of it, dead after all of it
  std::size_t max_message_bytes = 64u << 20;        ///< a bigger message fails the read
};

/// A TLS context for wss://: peer verification on, the system's trust store loaded, TLS 1.2 minimum.
/// `extra_ca_file` (PEM), if not empty, is trusted as well (a test CA or a private node's certificate).
Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const std::string& extra_ca_file = {});

class WsConnection {
 public:
  virtual ~WsConnection() = default;
  /// The next text (or binary) message. Fails with the Beast/Asio error when the connection dies, times out
  /// (keepalive) or is aborted. At most one read may be outstanding.
  virtual boost::asio::awaitable<Result<std::string>> read() = 0;
  /// Queues `text` for sending; messages go out in order. A failed write aborts the connection, which the
  /// pending read then reports.
  virtual void send(std::string text) = 0;
  /// Closes the socket now (no close handshake): pending operations fail promptly.
  virtual void abort() noexcept = 0;
  virtual bool is_open() const noexcept = 0;
};

/// Resolves, connects and handshakes (TLS first for wss://). `tls` must be non-null for a wss:// endpoint.
boost::asio::awaitable<Result<std::shared_ptr<WsConnection>>> connect_ws(
    const WsEndpoint& endpoint, const WsOptions& options, std::shared_ptr<boost::asio::ssl::context> tls);

}  // namespace sluice::rpc

SLUICE_ERROR_ENUM(sluice::rpc::WsError)
