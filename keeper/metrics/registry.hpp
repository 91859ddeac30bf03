#pragma once
/// Prometheus metrics, in process: counters, gauges and histograms with fixed label sets, rendered in the text
/// exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/). Updates are lock-free
/// (atomics); registration and rendering take a mutex. Metric objects live as long as the registry.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sluice::keeper::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

/// A Prometheus sample value as the Go client writes it (strconv.FormatFloat(v, 'g', -1, 64)): the shortest text
/// that reads back as `v`, in exponent form below 1e-4 and from 1e6 ("1e+06", "1.5e-07"); "+Inf", "-Inf", "NaN".
std::string format_float(double value);
/// A label value escaped for the text format: backslash, double quote and line feed.
std::string escape_label_value(const std::string& value);
/// HELP text escaped for the text format: backslash and line feed.
std::string escape_help(const std::string& help);

class Counter {
 public:
  /// Negative or NaN amounts are ignored (a counter only goes up).
  void inc(double amount = 1.0) noexcept;
  double value() const noexcept;

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void set(double value) noexcept;
  void add(double amount) noexcept;
  double value() const noexcept;

 private:
  std::atomic<double> value_{0.0};
};

/// Cumulative buckets (`le`), sum and count, as Prometheus histograms.
class Histogram {
 public:
  /// `upper_bounds` strictly increasing and finite (a trailing +Inf is dropped: it is always there); otherwise
  /// std::invalid_argument.
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value) noexcept;
  const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
  /// Per-bucket counts (not cumulative), one more than the bounds (+Inf last).
  std::vector<std::uint64_t> bucket_counts() const;
  std::uint64_t count() const noexcept;
  double sum() const noexcept;
  /// The value under which `q` (0..1) of the observations fall, interpolated within its bucket (as PromQL's
  /// histogram_quantile: the lowest bucket starts at 0 if its bound is positive, a quantile in the +Inf bucket is
  /// the highest finite bound; q < 0 is -Inf, q > 1 is +Inf, NaN is NaN); 0 without observations.
  double quantile(double q) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<double> sum_{0.0};
  std::atomic<std::uint64_t> count_{0};
};

/// Latency buckets in seconds from 100 us to 30 s (the head-to-send path is sub-millisecond in process, seconds end
/// to end).
std::vector<double> latency_buckets();

class Registry {
 public:
  Registry();
  ~Registry();
  /// The same name and labels (in any order) return the same object. Names follow Prometheus rules
  /// ([a-zA-Z_:][a-zA-Z0-9_:]*, labels [a-zA-Z_][a-zA-Z0-9_]* not starting with "__", no "le" on histograms);
  /// a bad name, or a name already registered with another type or other buckets, is a programming error:
  /// std::invalid_argument.
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, std::vector<double> upper_bounds,
                       const Labels& labels = {});
  /// Text exposition format: # HELP and # TYPE once per name, series sorted by name then labels, label values
  /// escaped (\\, \", \n).
  std::string render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::keeper::metrics
