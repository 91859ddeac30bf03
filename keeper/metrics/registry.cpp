#include "keeper/metrics/registry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <stdexcept>

namespace sluice::keeper::metrics {

std::string format_float(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == 0) return "0";  // -0 too, as Go's writeFloat
  char buf[64];
  // Shortest round-trip digits in exponent form first, to learn the decimal exponent.
  auto sci = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string text(buf, sci.ptr);
  const auto e = text.find('e');
  const int exponent = std::atoi(text.c_str() + e + 1);
  // Go's 'g' with the shortest precision: %e when the exponent is < -4 or >= 6, else %f; the digits are the same
  // shortest digits in both forms, and Go's exponent has at least two digits like C's.
  if (exponent < -4 || exponent >= 6) return text;
  auto fixed = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  return std::string(buf, fixed.ptr);
}

namespace {

std::string escape(const std::string& text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quotes) out += "\\\"";
    else out += c;
  }
  return out;
}

bool valid_name(const std::string& name, bool colons) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colons && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

template <class T>
void atomic_add(std::atomic<T>& a, T amount) noexcept {
  a.fetch_add(amount, std::memory_order_relaxed);
}

}  // namespace

std::string escape_label_value(const std::string& value) { return escape(value, true); }
std::string escape_help(const std::string& help) { return escape(help, false); }

void Counter::inc(double amount) noexcept {
  if (!(amount >= 0)) return;
  atomic_add(value_, amount);
}
double Counter::value() const noexcept { return value_.load(std::memory_order_relaxed); }

void Gauge::set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
void Gauge::add(double amount) noexcept { atomic_add(value_, amount); }
double Gauge::value() const noexcept { return value_.load(std::memory_order_relaxed); }

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  if (!bounds_.empty() && std::isinf(bounds_.back()) && bounds_.back() > 0) bounds_.pop_back();
  for (std::size_t i = 0; i < bounds_.size(); ++i)
    if (!std::isfinite(bounds_[i]) || (i > 0 && !(bounds_[i] > bounds_[i - 1])))
      throw std::invalid_argument("histogram bounds must be finite and strictly increasing");
  counts_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
}

void Histogram::observe(double value) noexcept {
  // `le` is inclusive: the first bound >= value. NaN compares false with everything: +Inf bucket, as the Go client.
  const std::size_t i = std::isnan(value) ? bounds_.size()
                                          : static_cast<std::size_t>(
                                                std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                                                bounds_.begin());
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, value);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::bucket_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = counts_[i].load(std::memory_order_relaxed);
  return out;
}
std::uint64_t Histogram::count() const noexcept { return count_.load(std::memory_order_relaxed); }
double Histogram::sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

double Histogram::quantile(double q) const {
  // PromQL's bucketQuantile (promql/quantile.go) on this histogram's cumulative counts.
  if (std::isnan(q)) return std::numeric_limits<double>::quiet_NaN();
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  const auto counts = bucket_counts();
  std::vector<double> cumulative(counts.size());
  double running = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) cumulative[i] = running += static_cast<double>(counts[i]);
  const double observations = cumulative.back();
  if (observations == 0 || bounds_.empty()) return 0.0;
  double rank = q * observations;
  // The first bucket whose cumulative count reaches the rank, searching the finite buckets only.
  std::size_t b = 0;
  while (b < bounds_.size() && cumulative[b] < rank) ++b;
  if (b == bounds_.size()) return bounds_.back();
  if (b == 0 && bounds_[0] <= 0) return bounds_[0];
  double start = 0;
  double count = cumulative[b];
  if (b > 0) {
    start = bounds_[b - 1];
    count -= cumulative[b - 1];
    rank -= cumulative[b - 1];
  }
  return start + (bounds_[b] - start) * (rank / count);
}

std::vector<double> latency_buckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

namespace {

enum class Type { counter, gauge, histogram };
const char* type_name(Type t) {
  switch (t) {
    case Type::counter: return "counter";
    case Type::gauge: return "gauge";
    case Type::histogram: return "histogram";
  }
  return "untyped";
}

struct Family {
  Type type;
  std::string help;
  std::vector<double> bounds;
  std::map<Labels, std::unique_ptr<Counter>> counters;
  std::map<Labels, std::unique_ptr<Gauge>> gauges;
  std::map<Labels, std::unique_ptr<Histogram>> histograms;
};

/// `{a="x",b="y"}` with an extra pair last (the histogram's `le`); "" without labels.
void append_labels(std::string& out, const Labels& labels, const char* extra_name = nullptr,
                   const std::string& extra_value = {}) {
  if (labels.empty() && !extra_name) return;
  out += '{';
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    out += escape_label_value(v);
    out += '"';
  }
  if (extra_name) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

void append_sample(std::string& out, const std::string& name, const char* suffix, const Labels& labels,
                   const std::string& value, const char* extra_name = nullptr, const std::string& extra_value = {}) {
  out += name;
  out += suffix;
  append_labels(out, labels, extra_name, extra_value);
  out += ' ';
  out += value;
  out += '\n';
}

}  // namespace

struct Registry::Impl {
  mutable std::mutex mutex;
  std::map<std::string, Family> families;

  /// The family for `name`, created with `type` (and `bounds`) or checked against them; labels validated and
  /// sorted by name.
  Family& family(const std::string& name, const std::string& help, Type type, Labels& labels,
                 const std::vector<double>* bounds = nullptr) {
    if (!valid_name(name, true)) throw std::invalid_argument("invalid metric name '" + name + "'");
    std::sort(labels.begin(), labels.end());
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const auto& k = labels[i].first;
      if (!valid_name(k, false) || k.starts_with("__") || (type == Type::histogram && k == "le"))
        throw std::invalid_argument("invalid label name '" + k + "' on " + name);
      if (i > 0 && labels[i - 1].first == k) throw std::invalid_argument("duplicate label '" + k + "' on " + name);
    }
    auto [it, inserted] = families.try_emplace(name);
    Family& f = it->second;
    if (inserted) {
      f.type = type;
      f.help = help;
      if (bounds) f.bounds = *bounds;
    } else if (f.type != type) {
      throw std::invalid_argument(name + " is already a " + type_name(f.type));
    } else if (bounds && f.bounds != *bounds) {
      throw std::invalid_argument(name + " is already registered with other buckets");
    }
    return f;
  }
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(impl_->mutex);
  Labels sorted = labels;
  auto& slot = impl_->family(name, help, Type::counter, sorted).counters[sorted];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(impl_->mutex);
  Labels sorted = labels;
  auto& slot = impl_->family(name, help, Type::gauge, sorted).gauges[sorted];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help, std::vector<double> upper_bounds,
                               const Labels& labels) {
  // Normalised first (the trailing +Inf dropped, order checked) so that equal bucket sets compare equal.
  auto probe = std::make_unique<Histogram>(std::move(upper_bounds));
  std::lock_guard lock(impl_->mutex);
  Labels sorted = labels;
  auto& slot = impl_->family(name, help, Type::histogram, sorted, &probe->upper_bounds()).histograms[sorted];
  if (!slot) slot = std::move(probe);
  return *slot;
}

std::string Registry::render() const {
  std::lock_guard lock(impl_->mutex);
  std::string out;
  for (const auto& [name, f] : impl_->families) {
    out += "# HELP " + name + ' ' + escape_help(f.help) + '\n';
    out += "# TYPE " + name + ' ' + type_name(f.type) + '\n';
    for (const auto& [labels, c] : f.counters) append_sample(out, name, "", labels, format_float(c->value()));
    for (const auto& [labels, g] : f.gauges) append_sample(out, name, "", labels, format_float(g->value()));
    for (const auto& [labels, h] : f.histograms) {
      // Counts are read once: _count is the +Inf bucket's cumulative count, so the two always agree.
      const auto counts = h->bucket_counts();
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < counts.size(); ++i) {
        cumulative += counts[i];
        const std::string le = i < h->upper_bounds().size() ? format_float(h->upper_bounds()[i]) : "+Inf";
        append_sample(out, name, "_bucket", labels, format_float(static_cast<double>(cumulative)), "le", le);
      }
      append_sample(out, name, "_sum", labels, format_float(h->sum()));
      append_sample(out, name, "_count", labels, format_float(static_cast<double>(cumulative)));
    }
  }
  return out;
}

}  // namespace sluice::keeper::metrics
