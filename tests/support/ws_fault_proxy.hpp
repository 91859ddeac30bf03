#pragma once
/// A fault-injecting WebSocket proxy for integration tests: listens on a free loopback port, relays every
/// WebSocket message between each client and an upstream node (anvil), and on command drops every connection,
/// stalls, delays messages, refuses new connections, or corrupts / truncates the next message sent to the client.
/// Bytes are relayed as they are, so a stalled proxy is really silent (WebSocket pings go unanswered); the
/// node-to-client direction is parsed into WebSocket frames, so a corruption hits exactly one JSON-RPC message.
/// Runs on its own thread; every control is thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace sluice::test {

class WsFaultProxy {
 public:
  /// Starts relaying to `upstream_port` on 127.0.0.1 (a plain ws:// endpoint, e.g. anvil's port).
  explicit WsFaultProxy(int upstream_port);
  ~WsFaultProxy();
  WsFaultProxy(const WsFaultProxy&) = delete;
  WsFaultProxy& operator=(const WsFaultProxy&) = delete;

  int port() const noexcept;
  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port()); }

  /// Closes every open connection abruptly (TCP close, no WebSocket close frame), as a crashing node or a
  /// broken network would. New connections are still accepted.
  void drop_all();
  /// For `duration`, nothing is forwarded in either direction and nothing is read from clients (so their
  /// WebSocket pings go unanswered): messages already received wait and are delivered afterwards.
  void stall(std::chrono::milliseconds duration);
  /// Delays each message by `delay` (both directions) until changed; zero turns it off.
  void set_delay(std::chrono::milliseconds delay);
  /// While down, drops every open connection and closes new ones right after accepting them.
  void set_down(bool down);
  /// The next message from upstream to a client is replaced by a corrupted copy (invalid JSON, same length).
  void corrupt_next();
  /// The next message from upstream to a client is cut in half (a truncated, unparsable JSON document).
  void truncate_next();

  /// Client connections accepted so far (including refused ones while down).
  std::uint64_t connections_accepted() const noexcept;
  /// Messages forwarded from upstream to clients so far.
  std::uint64_t messages_to_clients() const noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sluice::test
