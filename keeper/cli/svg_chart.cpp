#include "keeper/cli/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace sluice::cli::svg {

namespace {

constexpr double kLeft = 84, kRight = 24, kTop = 56, kBottom = 60;

/// Where the data goes inside the svg, and the scales onto it.
struct Frame {
  double width, height;
  double x0 = kLeft, y0 = kTop;
  double plot_w() const { return width - kLeft - kRight; }
  double plot_h() const { return height - kTop - kBottom; }
  double bottom() const { return y0 + plot_h(); }
};

struct Scale {
  double lo = 0, hi = 1;    // data domain
  double a = 0, b = 1;      // pixel range (a maps lo)
  double operator()(double v) const { return hi == lo ? a : a + (v - lo) / (hi - lo) * (b - a); }
};

std::string num(double v) { return fmt::format("{:.1f}", v); }

std::string open_svg(const std::string& title, int width, int height) {
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" role="img" )"
      R"(font-family="sans-serif" font-size="12"><title>{2}</title>)"
      R"(<rect x="0" y="0" width="{0}" height="{1}" fill="#ffffff"/>)"
      R"(<text x="{3}" y="22" font-size="15" font-weight="bold" fill="#222">{2}</text>)",
      width, height, escape(title), kLeft);
}

std::string legend(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out;
  double x = kLeft;
  for (const auto& [name, color] : entries) {
    out += fmt::format(R"(<rect x="{}" y="32" width="12" height="12" fill="{}"/>)", num(x), escape(color));
    out += fmt::format(R"(<text x="{}" y="42.5" fill="#222">{}</text>)", num(x + 17), escape(name));
    x += 34 + 7.0 * static_cast<double>(name.size());
  }
  return out;
}

/// Axes, grid lines, tick labels and axis labels.
std::string axes(const Frame& f, const Scale& xs, const std::vector<double>& x_ticks, const Scale& ys,
                 const std::vector<double>& y_ticks, const std::string& x_label, const std::string& y_label) {
  std::string out;
  for (const double t : y_ticks) {
    const double y = ys(t);
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#e4e4e4"/>)", num(f.x0), num(y),
                       num(f.x0 + f.plot_w()), num(y));
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end" fill="#444">{}</text>)", num(f.x0 - 6),
                       num(y + 4), escape(tick_label(t)));
  }
  for (const double t : x_ticks) {
    const double x = xs(t);
    out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#888"/>)", num(x), num(f.bottom()),
                       num(f.bottom() + 5));
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" fill="#444">{}</text>)", num(x),
                       num(f.bottom() + 19), escape(tick_label(t)));
  }
  out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#444"/>)", num(f.x0), num(f.y0),
                     num(f.bottom()));
  out += fmt::format(R"(<line x1="{0}" y1="{2}" x2="{1}" y2="{2}" stroke="#444"/>)", num(f.x0),
                     num(f.x0 + f.plot_w()), num(f.bottom()));
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" fill="#222">{}</text>)",
                     num(f.x0 + f.plot_w() / 2), num(f.height - 14), escape(x_label));
  out += fmt::format(R"svg(<text x="16" y="{0}" text-anchor="middle" fill="#222" transform="rotate(-90 16 {0})">{1}</text>)svg",
                     num(f.y0 + f.plot_h() / 2), escape(y_label));
  return out;
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0.0, 1.0};
  if (lo > hi) std::swap(lo, hi);
  if (lo == hi) {
    const double pad = lo == 0.0 ? 0.5 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / std::max(1, target);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  const double step = (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * magnitude;
  // Tolerate rounding: a bound within 1e-9 steps of a tick is that tick.
  const auto first = static_cast<long long>(std::floor(lo / step + 1e-9));
  const auto last = static_cast<long long>(std::ceil(hi / step - 1e-9));
  std::vector<double> ticks;
  for (long long k = first; k <= last; ++k) {
    const double v = static_cast<double>(k) * step;
    ticks.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  }
  return ticks;
}

std::string tick_label(double value) {
  const double a = std::fabs(value);
  if (a >= 1e9) return fmt::format("{:.4g}B", value / 1e9);
  if (a >= 1e6) return fmt::format("{:.4g}M", value / 1e6);
  if (a >= 1e3) return fmt::format("{:.4g}k", value / 1e3);
  return fmt::format("{:.4g}", value);
}

std::string line_chart(const LineChart& chart) {
  const Frame f{static_cast<double>(chart.width), static_cast<double>(chart.height)};
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
  for (const Series& s : chart.series)
    for (const auto& [x, y] : s.points) {
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      x_lo = std::min(x_lo, x), x_hi = std::max(x_hi, x), y_lo = std::min(y_lo, y), y_hi = std::max(y_hi, y);
    }
  if (!std::isfinite(x_lo)) x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
  const std::vector<double> x_ticks = nice_ticks(x_lo, x_hi, 8);
  const std::vector<double> y_ticks = nice_ticks(y_lo, y_hi, 5);
  Scale xs{x_ticks.front(), x_ticks.back(), f.x0, f.x0 + f.plot_w()};
  if (chart.reverse_x) std::swap(xs.a, xs.b);
  const Scale ys{y_ticks.front(), y_ticks.back(), f.bottom(), f.y0};

  std::string out = open_svg(chart.title, chart.width, chart.height);
  std::vector<std::pair<std::string, std::string>> entries;
  for (const Series& s : chart.series) entries.emplace_back(s.name, s.color);
  out += legend(entries);
  out += axes(f, xs, x_ticks, ys, y_ticks, chart.x_label, chart.y_label);
  for (const Series& s : chart.series) {
    std::string points;
    for (const auto& [x, y] : s.points) {
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      if (!points.empty()) points += ' ';
      points += num(xs(x)) + "," + num(ys(y));
    }
    out += fmt::format(R"(<polyline fill="none" stroke="{}" stroke-width="2" points="{}"><title>{}</title></polyline>)",
                       escape(s.color), points, escape(s.name));
    if (chart.markers)
      for (const auto& [x, y] : s.points)
        if (std::isfinite(x) && std::isfinite(y))
          out += fmt::format(R"(<circle cx="{}" cy="{}" r="3" fill="{}"/>)", num(xs(x)), num(ys(y)), escape(s.color));
  }
  return out + "</svg>";
}

std::string stacked_bar_chart(const StackedBarChart& chart) {
  const Frame f{static_cast<double>(chart.width), static_cast<double>(chart.height)};
  const std::size_t n = chart.categories.size();
  std::size_t groups = 1;
  for (const BarStack& s : chart.stacks) groups = std::max(groups, static_cast<std::size_t>(std::max(0, s.group)) + 1);
  const auto group_of = [](const BarStack& s) { return static_cast<std::size_t>(std::max(0, s.group)); };
  std::vector<double> totals(n * groups, 0.0);
  for (const BarStack& s : chart.stacks)
    for (std::size_t i = 0; i < n && i < s.values.size(); ++i)
      if (std::isfinite(s.values[i]) && s.values[i] > 0) totals[i * groups + group_of(s)] += s.values[i];
  const double top = totals.empty() ? 0.0 : *std::max_element(totals.begin(), totals.end());
  const std::vector<double> y_ticks = nice_ticks(0.0, top > 0 ? top : 1.0, 5);
  const Scale ys{y_ticks.front(), y_ticks.back(), f.bottom(), f.y0};
  const double slot = n ? f.plot_w() / static_cast<double>(n) : f.plot_w();

  std::string out = open_svg(chart.title, chart.width, chart.height);
  std::vector<std::pair<std::string, std::string>> entries;
  for (const BarStack& s : chart.stacks) entries.emplace_back(s.name, s.color);
  out += legend(entries);
  // Category axis: labels on every k-th bar so that they keep ~80 px apart.
  const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(80.0 / slot)));
  const Scale none{0, 1, f.x0, f.x0};
  out += axes(f, none, {}, ys, y_ticks, chart.x_label, chart.y_label);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = f.x0 + slot * static_cast<double>(i);
    const double bar = slot * 0.8 / static_cast<double>(groups);
    std::vector<double> base(groups, 0.0);
    for (const BarStack& s : chart.stacks) {
      const double v = i < s.values.size() && std::isfinite(s.values[i]) && s.values[i] > 0 ? s.values[i] : 0.0;
      if (v <= 0) continue;
      const std::size_t g = group_of(s);
      const double y_top = ys(base[g] + v), y_bottom = ys(base[g]);
      out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>)",
                         num(x + slot * 0.1 + bar * static_cast<double>(g)), num(y_top), num(bar),
                         num(y_bottom - y_top), escape(s.color), escape(chart.categories[i]), escape(s.name),
                         escape(tick_label(v)));
      base[g] += v;
    }
    if (i % every == 0)
      out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" fill="#444">{}</text>)", num(x + slot / 2),
                         num(f.bottom() + 19), escape(chart.categories[i]));
  }
  return out + "</svg>";
}

}  // namespace sluice::cli::svg
