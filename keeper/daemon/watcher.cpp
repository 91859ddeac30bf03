#include "keeper/daemon/watcher.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::keeper {

std::vector<std::string> watcher_urls(const config::ChainConfig& chain) {
  std::vector<std::string> urls = chain.rpc_ws;
  urls.insert(urls.end(), chain.rpc_http.begin(), chain.rpc_http.end());
  return urls;
}

Watcher::Watcher(boost::asio::any_io_executor executor, std::vector<std::string> urls, const rpc::LogFilter& filter,
                 std::uint64_t from_block, std::chrono::milliseconds poll_interval,
                 std::function<void(const std::string&)> diagnostics)
    : urls_(std::move(urls)), wake_(executor) {
  rpc::FollowerOptions options;
  options.logs = true;
  options.addresses = filter.addresses;
  options.topics = filter.topics;
  options.from_block = from_block;
  options.poll_interval = poll_interval;
  // A dead WebSocket endpoint hands over to the next URL instead of retrying forever.
  options.ws.max_connect_failures = 4;
  follower_ = std::make_unique<rpc::BlockFollower>(
      executor, urls_, options,
      [this](const rpc::FollowerItem& item) {
        queue_.push(item, std::chrono::steady_clock::now());
        // The follower delivers a block's head and all its logs without suspending in between, so the consumer,
        // woken through the executor, never sees a head without its logs.
        if (item.kind == rpc::FollowerItem::Kind::head) wake_.cancel();
      },
      std::move(diagnostics));
}

Watcher::~Watcher() = default;

boost::asio::awaitable<rpc::RpcResult<void>> Watcher::run() { return follower_->run(); }

boost::asio::awaitable<std::optional<BlockBatch>> Watcher::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!stopped_ && !interrupted_ && !queue_.ready() && std::chrono::steady_clock::now() < deadline) {
    wake_.expires_at(deadline);
    boost::system::error_code ec;
    co_await wake_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
  interrupted_ = false;
  if (stopped_) co_return std::nullopt;
  co_return queue_.take();
}

void Watcher::interrupt() {
  interrupted_ = true;
  wake_.cancel();
}

void Watcher::stop() {
  stopped_ = true;
  follower_->stop();
  wake_.cancel();
}

}  // namespace sluice::keeper
