#pragma once
/// A tiny HTTP/1.1 server (Boost.Beast, Asio coroutines) for GET /metrics (Prometheus text, from the registry)
/// and GET /health (JSON from a callback); anything else is 404, non-GET 405. One connection at a time is plenty
/// for a scraper; keep-alive supported.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace sluice::keeper::metrics {

class Registry;

class HttpServer {
 public:
  using HealthFn = std::function<std::string()>;  ///< returns the /health JSON body
  /// `address` "host:port" (port 0: any free port). Binds at construction; errors name the address.
  static boost::system::result<std::unique_ptr<HttpServer>, std::string> bind(boost::asio::any_io_executor executor,
                                                                              const std::string& address,
                                                                              const Registry& registry,
                                                                              HealthFn health);
  ~HttpServer();
  std::uint16_t port() const noexcept;
  /// Serves until stop().
  boost::asio::awaitable<void> run();
  void stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::keeper::metrics
