#pragma once
/// Runs a child process for integration and differential tests: argv in, stdout/stderr/exit code out.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::test {

struct ProcessResult {
  int exit_code = -1;  ///< exit status, or 128+signal if killed by a signal
  std::string out;
  std::string err;
};

/// Runs `argv` (argv[0] is a path or a name on PATH) to completion, feeding `input` on stdin.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = {});

/// A child process running in the background (a daemon under test): stdout and stderr go to `log_path`, extra
/// environment variables are added to the test's own. Killed (SIGKILL) and reaped at destruction if still running,
/// so a failing test never leaves it behind.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::string& log_path,
                    const std::vector<std::pair<std::string, std::string>>& env = {});
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  int pid() const noexcept { return pid_; }
  /// Sends `signal` (SIGTERM, SIGKILL, ...) if still running.
  void signal(int signal);
  /// Waits up to `timeout_ms` for the exit; the exit code (128+signal if killed), or nullopt if still running.
  std::optional<int> wait(int timeout_ms);
  bool running();
  /// The log so far.
  std::string log() const;

 private:
  int pid_ = -1;
  std::optional<int> exit_code_;
  std::string log_path_;
};

/// Path of a pinned npm tool (anvil, cast) installed by scripts/setup.
std::string node_tool(const std::string& name);

}  // namespace sluice::test
