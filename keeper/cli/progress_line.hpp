#pragma once
/// A progress line for long CLI work (discovery): on a terminal one line rewritten in place with '\r'; otherwise
/// (a log file, a pipe) plain lines, one when a stage starts, at each tenth of it and when it ends, so logs stay
/// short. Pure: it returns the text to write; the caller writes it to stderr.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::cli {

class ProgressLine {
 public:
  explicit ProgressLine(bool terminal) : terminal_(terminal) {}

  /// Text to write for this update ("" when nothing is due). `total` 0: unknown. `eta_seconds` >= 0 appends
  /// " ETA 1m05s" (the caller measures it: wall-clock time never enters pure output other than this line).
  std::string update(std::string_view stage, std::uint64_t done, std::uint64_t total, double eta_seconds = -1.0);
  /// Text that ends the progress output (on a terminal, the newline after the last rewrite).
  std::string finish();

 private:
  bool terminal_;
  std::string stage_;
  int last_tenth_ = -1;
  std::size_t last_width_ = 0;
  bool open_ = false;
};

}  // namespace sluice::cli
