#include "keeper/daemon/daemon_log.hpp"

#include "chain/rpc/json.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace sluice::keeper {

namespace {

const char* level_name(config::LogLevel level) {
  switch (level) {
    case config::LogLevel::trace: return "trace";
    case config::LogLevel::debug: return "debug";
    case config::LogLevel::info: return "info";
    case config::LogLevel::warn: return "warn";
    case config::LogLevel::error: return "error";
  }
  return "info";
}

std::string utc_time(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, unix_ms % 1000);
}

}  // namespace

std::string log_line(config::LogFormat format, config::LogLevel level, std::string_view message,
                     std::int64_t unix_ms) {
  if (format == config::LogFormat::text) return fmt::format("{} {:<5} {}", utc_time(unix_ms), level_name(level), message);
  std::string out = "{\"time\":";
  rpc::append_json_string(out, utc_time(unix_ms));
  out += ",\"level\":";
  rpc::append_json_string(out, level_name(level));
  out += ",\"msg\":";
  rpc::append_json_string(out, message);
  out += '}';
  return out;
}

void DaemonLog::write(config::LogLevel level, std::string_view message) const {
  if (static_cast<int>(level) < static_cast<int>(level_)) return;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string line = log_line(format_, level, message, ms) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace sluice::keeper
