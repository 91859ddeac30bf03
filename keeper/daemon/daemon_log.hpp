#pragma once
/// The daemon's log lines on stderr, per [log]: text ("2026-01-11T10:00:00.123Z info  message") or JSON lines
/// ({"time":"..","level":"info","msg":".."}), below [log] level dropped. (Interim: keeper/log replaces it when
/// merged.)

#include "config/keeper_config.hpp"

#include <string>
#include <string_view>

namespace sluice::keeper {

class DaemonLog {
 public:
  DaemonLog(config::LogFormat format, config::LogLevel level) : format_(format), level_(level) {}
  void write(config::LogLevel level, std::string_view message) const;
  void debug(std::string_view m) const { write(config::LogLevel::debug, m); }
  void info(std::string_view m) const { write(config::LogLevel::info, m); }
  void warn(std::string_view m) const { write(config::LogLevel::warn, m); }
  void error(std::string_view m) const { write(config::LogLevel::error, m); }

 private:
  config::LogFormat format_;
  config::LogLevel level_;
};

/// One formatted line (no newline) at `unix_ms` (tests).
std::string log_line(config::LogFormat format, config::LogLevel level, std::string_view message,
                     std::int64_t unix_ms);

}  // namespace sluice::keeper
