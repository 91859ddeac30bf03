#pragma once
/// An io_context running on its own thread for integration tests, and a way to run a coroutine on it and wait
/// for its result from the test thread (with a deadline, so a hung coroutine fails the test instead of hanging).

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <utility>

namespace sluice::test {

class IoThread {
 public:
  IoThread() : work_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~IoThread() {
    work_.reset();
    io_.stop();
    thread_.join();
  }
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  boost::asio::io_context& io() noexcept { return io_; }
  boost::asio::any_io_executor executor() { return io_.get_executor(); }

  /// Runs `make()` (a callable returning an awaitable<T>) on the io thread and waits for its value.
  template <class Make>
  auto run(Make make, std::chrono::milliseconds deadline = std::chrono::seconds(60)) {
    auto future = boost::asio::co_spawn(io_, [make = std::move(make)]() mutable { return make(); },
                                        boost::asio::use_future);
    if (future.wait_for(deadline) != std::future_status::ready) throw std::runtime_error("coroutine timed out");
    return future.get();
  }

  /// Runs a plain callable on the io thread and waits for it.
  template <class F>
  auto sync(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto future = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return future.get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace sluice::test
