#include "chain/rpc/http_transport.hpp"

#include "chain/rpc/json.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <mutex>
#include <random>
#include <thread>

namespace sluice::rpc {

namespace asio = boost::asio;
using std::chrono::milliseconds;

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt, std::optional<milliseconds> retry_after,
                                        double unit_random) {
  if (retry_after) return *retry_after;
  const double base = static_cast<double>(policy.initial_backoff.count()) * std::pow(policy.multiplier, attempt - 1);
  const double cap = std::min(base, static_cast<double>(policy.max_backoff.count()));
  // Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in [0, cap].
  return milliseconds(static_cast<std::int64_t>(cap * std::clamp(unit_random, 0.0, 1.0)));
}

std::optional<milliseconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return std::nullopt;
    return milliseconds(std::stoll(std::string(value)) * 1000);
  }
  // HTTP-date (RFC 9110 section 5.6.7): curl_getdate understands IMF-fixdate and the obsolete forms.
  const std::string text(value);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  const auto target = std::chrono::system_clock::from_time_t(when);
  if (target <= now) return milliseconds(0);
  return std::chrono::duration_cast<milliseconds>(target - now);
}

namespace {

/// What one HTTP exchange produced, decoded on the worker thread with that connection's parser.
struct Outcome {
  std::optional<RpcError> error;  ///< transport/HTTP failure or a whole-batch failure
  std::string single;
  BatchResults batch;
};

struct Request {
  std::string body;
  std::uint64_t first_id = 0;
  std::string method;           ///< single call; empty for a batch
  std::vector<RawCall> calls;   ///< batch
};

struct CompletionBase {
  virtual ~CompletionBase() = default;
  virtual void complete(Outcome outcome) = 0;
};

template <class Handler>
struct Completion final : CompletionBase {
  explicit Completion(Handler h)
      : handler(std::move(h)), work(asio::make_work_guard(asio::get_associated_executor(handler))) {}
  void complete(Outcome outcome) override {
    auto executor = work.get_executor();
    asio::post(executor, [h = std::move(handler), o = std::move(outcome)]() mutable { std::move(h)(std::move(o)); });
    work.reset();
  }
  Handler handler;
  asio::executor_work_guard<asio::associated_executor_t<Handler>> work;
};

struct Job {
  const Request* request;
  std::unique_ptr<CompletionBase> done;
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t write_header(char* data, size_t size, size_t count, void* user) {
  const std::string_view line(data, size * count);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size() &&
      std::equal(kName.begin(), kName.end(), line.begin(), [](char a, char b) { return a == std::tolower(b); }))
    *static_cast<std::string*>(user) = std::string(line.substr(kName.size()));
  return size * count;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

class HttpTransport::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(std::string url, HttpOptions options)
      : url_(std::move(url)), redacted_(redact_url(url_)), options_(options),
        rng_(options.jitter_seed ? options.jitter_seed
                                 : static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())),
        tokens_(options.burst), last_refill_(std::chrono::steady_clock::now()) {
    static CurlGlobal global;
    const int n = std::max(1, options_.connections);
    for (int i = 0; i < n; ++i) workers_.emplace_back([this] { worker(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }

  /// Sends `request` once on a worker connection; resumes on the caller's executor.
  asio::awaitable<Outcome> perform(const Request& request) {
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Outcome)>(
        [this, &request](auto handler) {
          auto done = std::make_unique<Completion<decltype(handler)>>(std::move(handler));
          {
            std::lock_guard lock(mutex_);
            queue_.push_back(Job{&request, std::move(done)});
          }
          cv_.notify_one();
        },
        asio::use_awaitable);
  }

  /// Sends with retries, backoff and rate limiting.
  asio::awaitable<Outcome> send(const Request& request) {
    auto executor = co_await asio::this_coro::executor;
    for (int attempt = 1;; ++attempt) {
      if (const auto wait = take_token(); wait.count() > 0) {
        asio::steady_timer timer(executor, wait);
        co_await timer.async_wait(asio::use_awaitable);
      }
      requests_.fetch_add(1, std::memory_order_relaxed);
      Outcome outcome = co_await perform(request);
      if (!outcome.error || !outcome.error->is_retryable() || attempt >= options_.retry.max_attempts) co_return outcome;
      if (outcome.error->retry_after && *outcome.error->retry_after > options_.retry.max_retry_after) co_return outcome;
      const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
      const auto delay = backoff_delay(options_.retry, attempt, outcome.error->retry_after, unit);
      retries_.fetch_add(1, std::memory_order_relaxed);
      asio::steady_timer timer(executor, delay);
      co_await timer.async_wait(asio::use_awaitable);
    }
  }

  std::uint64_t next_ids(std::size_t count) { return next_id_.fetch_add(count, std::memory_order_relaxed); }
  const std::string& endpoint() const { return redacted_; }
  const HttpOptions& options() const { return options_; }
  Stats stats() const {
    return {requests_.load(), retries_.load(), connections_opened_.load()};
  }

 private:
  /// Token bucket: returns how long to wait before this request may go (reserving its token now).
  milliseconds take_token() {
    if (options_.requests_per_second <= 0) return milliseconds(0);
    std::lock_guard lock(bucket_mutex_);
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - last_refill_).count();
    last_refill_ = now;
    tokens_ = std::min(options_.burst, tokens_ + elapsed * options_.requests_per_second);
    tokens_ -= 1.0;
    if (tokens_ >= 0) return milliseconds(0);
    return milliseconds(static_cast<std::int64_t>(std::ceil(-tokens_ / options_.requests_per_second * 1000.0)));
  }

  void worker() {
    CURL* curl = curl_easy_init();
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    ResponseDecoder decoder;
    std::string body, retry_after;
    char error_buffer[CURL_ERROR_SIZE];
    if (curl) {
      curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
      curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
      curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
      curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, write_header);
      curl_easy_setopt(curl, CURLOPT_HEADERDATA, &retry_after);
      curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
      curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
      curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
      curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
      curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    }
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) break;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      const Request& request = *job.request;
      const std::string method = request.method.empty() ? std::string("batch") : request.method;
      Outcome outcome;
      if (!curl) {
        outcome.error = make_error(ErrorKind::transport, method, "curl_easy_init failed");
      } else {
        body.clear();
        retry_after.clear();
        error_buffer[0] = '\0';
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
        const CURLcode code = curl_easy_perform(curl);
        long connects = 0;
        curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
        connections_opened_.fetch_add(static_cast<std::uint64_t>(connects), std::memory_order_relaxed);
        outcome = classify(code, curl, body, retry_after, error_buffer, request, method, decoder);
      }
      if (outcome.error && outcome.error->endpoint.empty()) outcome.error->endpoint = redacted_;
      for (auto& r : outcome.batch) annotate(r, redacted_);
      job.done->complete(std::move(outcome));
    }
    curl_slist_free_all(headers);
    if (curl) curl_easy_cleanup(curl);
  }

  Outcome classify(CURLcode code, CURL* curl, std::string& body, const std::string& retry_after,
                   const char* error_buffer, const Request& request, const std::string& method,
                   ResponseDecoder& decoder) {
    Outcome out;
    if (code != CURLE_OK) {
      const bool timed_out = code == CURLE_OPERATION_TIMEDOUT;
      // curl's message names the host and port only (the URL path, which may hold a key, is not in it).
      out.error = make_error(timed_out ? ErrorKind::timeout : ErrorKind::transport, method,
                             *error_buffer ? error_buffer : curl_easy_strerror(code));
      return out;
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    pad_for_simdjson(body);
    if (status < 200 || status > 299) {
      RpcError e = make_error(status == 429 ? ErrorKind::rate_limited : ErrorKind::http_status, method,
                              "HTTP status " + std::to_string(status));
      e.http_status = static_cast<int>(status);
      if (!retry_after.empty()) e.retry_after = parse_retry_after(retry_after, std::chrono::system_clock::now());
      // Some nodes answer a JSON-RPC error with a 4xx status: surface the node's error instead.
      if (status >= 400 && status < 500 && status != 429 && !request.method.empty()) {
        auto decoded = decoder.decode_single(body, request.first_id, request.method);
        if (!decoded && decoded.error().kind == ErrorKind::node_error) e = decoded.error();
      }
      out.error = std::move(e);
      return out;
    }
    if (!request.method.empty()) {
      auto decoded = decoder.decode_single(body, request.first_id, request.method);
      if (decoded) out.single = std::move(*decoded);
      else out.error = std::move(decoded.error());
    } else {
      auto decoded = decoder.decode_batch(body, request.first_id, request.calls);
      if (decoded) out.batch = std::move(*decoded);
      else out.error = std::move(decoded.error());
    }
    return out;
  }

  std::string url_;
  std::string redacted_;
  HttpOptions options_;
  std::mt19937_64 rng_;  // used on the io_context thread(s) of the callers
  std::mutex bucket_mutex_;
  double tokens_;
  std::chrono::steady_clock::time_point last_refill_;
  std::atomic<std::uint64_t> next_id_{1};
  std::atomic<std::uint64_t> requests_{0}, retries_{0}, connections_opened_{0};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

HttpTransport::HttpTransport(std::string url, HttpOptions options)
    : impl_(std::make_shared<Impl>(std::move(url), options)) {}
HttpTransport::~HttpTransport() = default;

std::string HttpTransport::endpoint() const { return impl_->endpoint(); }
HttpTransport::Stats HttpTransport::stats() const { return impl_->stats(); }

asio::awaitable<RpcResult<std::string>> HttpTransport::call(std::string method, std::string params_json) {
  Request request;
  request.first_id = impl_->next_ids(1);
  request.body = build_request(request.first_id, method, params_json);
  request.method = std::move(method);
  Outcome outcome = co_await impl_->send(request);
  if (outcome.error) co_return std::move(*outcome.error);
  co_return std::move(outcome.single);
}

asio::awaitable<RpcResult<BatchResults>> HttpTransport::batch(std::vector<RawCall> calls) {
  BatchResults out;
  out.reserve(calls.size());
  const std::size_t chunk = std::max<std::size_t>(1, impl_->options().max_batch_size);
  for (std::size_t begin = 0; begin < calls.size(); begin += chunk) {
    Request request;
    const std::size_t end = std::min(calls.size(), begin + chunk);
    request.calls.assign(std::make_move_iterator(calls.begin() + static_cast<std::ptrdiff_t>(begin)),
                         std::make_move_iterator(calls.begin() + static_cast<std::ptrdiff_t>(end)));
    request.first_id = impl_->next_ids(request.calls.size());
    request.body = build_batch(request.first_id, request.calls);
    Outcome outcome = co_await impl_->send(request);
    if (outcome.error) co_return std::move(*outcome.error);
    for (auto& r : outcome.batch) out.push_back(std::move(r));
  }
  co_return out;
}

}  // namespace sluice::rpc
