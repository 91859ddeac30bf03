// wss://: certificate and host-name verification, against a one-shot Beast TLS WebSocket server on loopback with
// a throwaway self-signed certificate made by the openssl CLI.

#include "chain/rpc/ws_transport.hpp"
#include "tests/support/io_thread.hpp"
#include "tests/support/process.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

using namespace sluice;
using namespace sluice::test;
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

/// A certificate for DNS:localhost (and its key) in a fresh temporary directory.
struct SelfSigned {
  SelfSigned() {
    dir = std::filesystem::temp_directory_path() / ("sluice-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto made = run_process({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                   "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout",
                                   (dir / "key.pem").string(), "-out", (dir / "cert.pem").string()});
    if (made.exit_code != 0) throw std::runtime_error("openssl req failed: " + made.err);
  }
  ~SelfSigned() { std::filesystem::remove_all(dir); }
  std::string cert() const { return (dir / "cert.pem").string(); }
  std::string key() const { return (dir / "key.pem").string(); }
  std::filesystem::path dir;
};

/// Serves every connection: TLS, WebSocket upgrade, then answers each request with id 1..n as eth_chainId would.
class TlsWsServer {
 public:
  TlsWsServer(asio::io_context& io, const SelfSigned& cert)
      : tls_(asio::ssl::context::tls_server), acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    tls_.use_certificate_chain_file(cert.cert());
    tls_.use_private_key_file(cert.key(), asio::ssl::context::pem);
    asio::co_spawn(io, accept_loop(), asio::detached);
  }
  int port() const { return acceptor_.local_endpoint().port(); }
  void close() { acceptor_.close(); }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
      if (ec) co_return;
      asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
    }
  }
  asio::awaitable<void> serve(tcp::socket socket) {
    beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(std::move(socket), tls_);
    auto [tls_ec] = co_await ws.next_layer().async_handshake(asio::ssl::stream_base::server, kNoThrow);
    if (tls_ec) co_return;
    auto [accept_ec] = co_await ws.async_accept(kNoThrow);
    if (accept_ec) co_return;
    for (std::uint64_t id = 1;; ++id) {
      beast::flat_buffer buffer;
      auto [read_ec, n] = co_await ws.async_read(buffer, kNoThrow);
      if (read_ec) co_return;
      const std::string answer = R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"result":"0x7a69"})";
      auto [write_ec, m] = co_await ws.async_write(asio::buffer(answer), kNoThrow);
      if (write_ec) co_return;
    }
  }

  asio::ssl::context tls_;
  tcp::acceptor acceptor_;
};

rpc::RpcResult<std::string> chain_id_over(IoThread& io, const std::string& url, const std::string& ca_file) {
  rpc::WsTransportOptions options;
  options.ca_file = ca_file;
  options.max_connect_failures = 1;  // a verification failure is final for this test
  options.call_timeout = std::chrono::seconds(5);
  auto transport = io.sync([&] { return rpc::WsTransport::create(io.executor(), url, options).value(); });
  auto answer = io.run([&]() { return transport->call("eth_chainId", "[]"); });
  io.sync([&] { transport->close(); });
  return answer;
}

}  // namespace

TEST_CASE("wss: the server certificate must chain to a trusted CA and name the host we asked for") {
  SelfSigned cert;
  IoThread io;
  auto server = io.sync([&] { return std::make_unique<TlsWsServer>(io.io(), cert); });
  const std::string port = std::to_string(server->port());

  // Trusted (the test CA) and the right name: the call goes through.
  auto trusted = chain_id_over(io, "wss://localhost:" + port, cert.cert());
  REQUIRE(trusted.has_value());
  CHECK(*trusted == "\"0x7a69\"");
  // Not trusted (system store only): refused, no answer accepted from that server.
  auto untrusted = chain_id_over(io, "wss://localhost:" + port, "");
  REQUIRE_FALSE(untrusted.has_value());
  CHECK(untrusted.error().kind == rpc::ErrorKind::transport);
  // Trusted certificate, but for another name than the one we connect to (127.0.0.1 is not DNS:localhost).
  auto wrong_name = chain_id_over(io, "wss://127.0.0.1:" + port, cert.cert());
  REQUIRE_FALSE(wrong_name.has_value());
  CHECK(wrong_name.error().kind == rpc::ErrorKind::transport);
  io.sync([&] { server->close(); });
  io.sync([&] { server.reset(); });
}
