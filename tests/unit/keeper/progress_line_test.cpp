// The scan progress line: rewritten in place with '\r' on a terminal, plain lines (start, each tenth, end of a
// stage) otherwise.

#include "keeper/cli/progress_line.hpp"

#include <doctest/doctest.h>

using sluice::cli::ProgressLine;

TEST_CASE("progress line: a terminal gets one line rewritten in place") {
  ProgressLine p(true);
  CHECK(p.update("logs", 10, 100) == "\rlogs: 10/100");
  CHECK(p.update("logs", 100, 100) == "\rlogs: 100/100");
  CHECK(p.update("accounts", 5, 0) == "\raccounts: 5  ");  // padded over the longer previous text
  CHECK(p.finish() == "\n");
  CHECK(p.finish().empty());
}

TEST_CASE("progress line: elsewhere, plain lines at the start, each tenth and the end of a stage") {
  ProgressLine p(false);
  CHECK(p.update("logs", 0, 1000) == "logs: 0/1000\n");
  CHECK(p.update("logs", 50, 1000).empty());
  CHECK(p.update("logs", 100, 1000) == "logs: 100/1000\n");
  CHECK(p.update("logs", 150, 1000).empty());
  CHECK(p.update("logs", 1000, 1000) == "logs: 1000/1000\n");
  CHECK(p.update("accounts", 3, 0) == "accounts: 3\n");
  CHECK(p.update("accounts", 4, 0).empty());
  CHECK(p.finish().empty());
}

TEST_CASE("progress line: an ETA is appended when given") {
  ProgressLine p(true);
  CHECK(p.update("backtest: blocks", 10, 100, 42.4) == "\rbacktest: blocks: 10/100 ETA 42s");
  CHECK(p.update("backtest: blocks", 20, 100, 185.0) == "\rbacktest: blocks: 20/100 ETA 3m05s");
  CHECK(p.update("backtest: blocks", 30, 100, 7620.0) == "\rbacktest: blocks: 30/100 ETA 2h07m");
  // No ETA: padded over the 10 characters the previous text had more.
  CHECK(p.update("backtest: blocks", 40, 100) == "\rbacktest: blocks: 40/100" + std::string(10, ' '));
}
