#pragma once
/// Runs a child process for integration and differential tests: argv in, stdout/stderr/exit code out.

#include <string>
#include <vector>

namespace sluice::test {

struct ProcessResult {
  int exit_code = -1;  ///< exit status, or 128+signal if killed by a signal
  std::string out;
  std::string err;
};

/// Runs `argv` (argv[0] is a path or a name on PATH) to completion, feeding `input` on stdin.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = {});

/// Path of a pinned npm tool (anvil, cast) installed by scripts/setup.
std::string node_tool(const std::string& name);

}  // namespace sluice::test
