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

class Counter {
 public:
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
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value) noexcept;
  const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
  /// Per-bucket counts (not cumulative), one more than the bounds (+Inf last).
  std::vector<std::uint64_t> bucket_counts() const;
  std::uint64_t count() const noexcept;
  double sum() const noexcept;
  /// The value under which `q` (0..1) of the observations fall, interpolated within its bucket (as PromQL's
  /// histogram_quantile); 0 without observations.
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
  /// The same name and labels return the same object. Names follow Prometheus rules ([a-zA-Z_:][a-zA-Z0-9_:]*).
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
