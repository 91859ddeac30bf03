#pragma once
/// A small SVG chart writer for self-contained HTML reports (no scripts, no fonts, no network): line charts and
/// stacked bar charts with axes, "nice" ticks (1, 2, 5 x 10^k steps), axis labels, a title and a legend. Pure.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::cli::svg {

/// Text escaped for XML character data and attribute values (& < > " ').
std::string escape(std::string_view text);

/// Tick values covering [lo, hi] with about `target` steps of 1, 2 or 5 x 10^k, from the first multiple of the step
/// at or below `lo` to the first at or above `hi`. lo == hi is widened by 10% of |lo| each way (0.5 at zero);
/// non-finite bounds give {0, 1}.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

/// A compact tick label: 1500000 -> "1.5M", 250000 -> "250k", 2.5 -> "2.5", -20 -> "-20".
std::string tick_label(double value);

struct Series {
  std::string name;
  std::string color;                           ///< CSS colour, e.g. "#1f77b4"
  std::vector<std::pair<double, double>> points;  ///< (x, y), drawn in order
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<Series> series;
  bool markers = false;    ///< a dot on each point (for short series)
  bool reverse_x = false;  ///< x grows to the left (e.g. shocks from 0% on the left to -60% on the right)
  int width = 960;
  int height = 380;
};
/// `<svg ...>...</svg>`: axes with ticks, a polyline per series, legend. Non-finite points are skipped.
std::string line_chart(const LineChart& chart);

struct BarStack {
  std::string name;
  std::string color;
  std::vector<double> values;  ///< one per category (missing values count as 0)
  /// Stacks of one group pile into one bar; the groups of a category stand side by side, group 0 on the left
  /// (e.g. on-chain liquidations by outcome next to the keeper's own).
  int group = 0;
};

struct StackedBarChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<std::string> categories;  ///< one bar each, left to right
  std::vector<BarStack> stacks;         ///< bottom to top
  int width = 960;
  int height = 380;
};
/// `<svg ...>...</svg>`: one bar per category, the stacks piled bottom to top, labels on every k-th category so
/// they do not overlap, legend. Each bar segment has a <title> with its value (hover).
std::string stacked_bar_chart(const StackedBarChart& chart);

}  // namespace sluice::cli::svg
