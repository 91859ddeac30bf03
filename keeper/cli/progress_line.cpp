#include "keeper/cli/progress_line.hpp"

namespace sluice::cli {

namespace {

/// "45s", "3m05s", "2h07m".
std::string duration_text(double seconds) {
  const auto s = static_cast<std::uint64_t>(seconds + 0.5);
  const auto two = [](std::uint64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + two(s % 60) + "s";
  return std::to_string(s / 3600) + "h" + two(s % 3600 / 60) + "m";
}

}  // namespace

std::string ProgressLine::update(std::string_view stage, std::uint64_t done, std::uint64_t total,
                                 double eta_seconds) {
  std::string text = std::string(stage) + ": " + std::to_string(done);
  if (total) text += "/" + std::to_string(total);
  if (eta_seconds >= 0.0) text += " ETA " + duration_text(eta_seconds);
  const bool new_stage = stage != stage_;
  if (new_stage) {
    stage_ = std::string(stage);
    last_tenth_ = -1;
  }
  if (terminal_) {
    // Rewrite in place; pad over the tail of a longer previous text.
    std::string out = "\r" + text;
    if (text.size() < last_width_) out += std::string(last_width_ - text.size(), ' ');
    last_width_ = text.size();
    open_ = true;
    return out;
  }
  const int tenth = total ? static_cast<int>(done * 10 / total) : 0;
  if (!new_stage && tenth == last_tenth_) return "";
  last_tenth_ = tenth;
  return text + "\n";
}

std::string ProgressLine::finish() {
  if (!terminal_ || !open_) return "";
  open_ = false;
  last_width_ = 0;
  return "\n";
}

}  // namespace sluice::cli
