#include "keeper/cli/progress_line.hpp"

namespace sluice::cli {

std::string ProgressLine::update(std::string_view stage, std::uint64_t done, std::uint64_t total) {
  std::string text = std::string(stage) + ": " + std::to_string(done);
  if (total) text += "/" + std::to_string(total);
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
