#pragma once
/// The keeper's logging, on spdlog's default logger, to stderr: text lines ("2024-01-02T03:04:05.678Z info msg") or
/// JSON lines ({"ts":"2024-01-02T03:04:05.678Z","level":"info","msg":"..."}, one object per line, for log shippers).
/// Timestamps are UTC, RFC 3339 with milliseconds (https://www.rfc-editor.org/rfc/rfc3339).
#include "config/keeper_config.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace sluice::logging {

/// Replaces spdlog's default logger with one writing `format` lines at `level` and above to stderr.
void setup_logging(config::LogFormat format, config::LogLevel level);

/// `text` as the contents of a JSON string (RFC 8259 section 7, without the quotes): `"` and `\` escaped, control
/// characters as \n, \r, \t, \b, \f or \u00XX; valid UTF-8 kept as is; each byte of an invalid UTF-8 sequence
/// becomes U+FFFD, so that the line is always valid JSON.
std::string json_escape(std::string_view text);
/// "2024-01-02T03:04:05.678Z": UTC, milliseconds truncated.
std::string rfc3339_ms(std::chrono::system_clock::time_point time);
/// One JSON log line without the trailing newline.
std::string json_log_line(std::chrono::system_clock::time_point time, std::string_view level, std::string_view message);

}  // namespace sluice::logging
