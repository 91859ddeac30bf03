#include "keeper/log/logging.hpp"

#include "chain/rpc/json.hpp"

#include <fmt/format.h>
#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <memory>

namespace sluice::logging {

namespace {

/// Length of the valid UTF-8 sequence at the start of `s` (1..4), or 0 if it is not one (RFC 3629: no overlongs,
/// no surrogates, nothing past U+10FFFF).
std::size_t utf8_sequence(std::string_view s) noexcept {
  const auto b0 = static_cast<unsigned char>(s[0]);
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) len = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    if (b0 == 0xe0) lo = 0xa0;  // overlong
    if (b0 == 0xed) hi = 0x9f;  // surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    if (b0 == 0xf0) lo = 0x90;  // overlong
    if (b0 == 0xf4) hi = 0x8f;  // past U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf)) return 0;
  }
  return len;
}

const char* level_name(spdlog::level::level_enum level) noexcept {
  switch (level) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    default: return "off";
  }
}

spdlog::level::level_enum to_spdlog(config::LogLevel level) noexcept {
  switch (level) {
    case config::LogLevel::trace: return spdlog::level::trace;
    case config::LogLevel::debug: return spdlog::level::debug;
    case config::LogLevel::info: return spdlog::level::info;
    case config::LogLevel::warn: return spdlog::level::warn;
    case config::LogLevel::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

/// Formats whole lines itself (spdlog's pattern language cannot escape a message for JSON).
class LineFormatter final : public spdlog::formatter {
 public:
  explicit LineFormatter(bool json) : json_(json) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    const std::string line = json_ ? json_log_line(msg.time, level_name(msg.level), text)
                                   : fmt::format("{} {} {}", rfc3339_ms(msg.time), level_name(msg.level), text);
    dest.append(line.data(), line.data() + line.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<LineFormatter>(json_); }

 private:
  bool json_;
};

}  // namespace

std::string json_escape(std::string_view text) {
  // Valid UTF-8 first (each invalid byte becomes U+FFFD, resynchronising at the next), then the JSON string
  // escaping every JSON text of the keeper uses, without its quotes.
  std::string valid;
  valid.reserve(text.size());
  while (!text.empty()) {
    const auto c = static_cast<unsigned char>(text[0]);
    std::size_t used = 1;
    if (c < 0x80) {
      valid += static_cast<char>(c);
    } else if (std::size_t n = utf8_sequence(text); n > 0) {
      valid.append(text.substr(0, n));
      used = n;
    } else {
      valid += "\xef\xbf\xbd";
    }
    text.remove_prefix(used);
  }
  std::string quoted;
  rpc::append_json_string(quoted, valid);
  return quoted.substr(1, quoted.size() - 2);
}

std::string rfc3339_ms(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(time.time_since_epoch());
  // Floor, so that times before 1970 keep a 0..999 millisecond field.
  auto secs = duration_cast<seconds>(ms);
  if (secs > ms) secs -= seconds(1);
  const auto millis = (ms - secs).count();
  const std::time_t t = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

std::string json_log_line(std::chrono::system_clock::time_point time, std::string_view level, std::string_view message) {
  return fmt::format(R"({{"ts":"{}","level":"{}","msg":"{}"}})", rfc3339_ms(time), json_escape(level),
                     json_escape(message));
}

void setup_logging(config::LogFormat format, config::LogLevel level) {
  const bool json = format == config::LogFormat::json;
  std::shared_ptr<spdlog::sinks::sink> sink;
  // Colours only for text on a terminal; JSON lines stay plain bytes.
  if (json) sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  else sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(spdlog::color_mode::automatic);
  sink->set_formatter(std::make_unique<LineFormatter>(json));
  auto logger = std::make_shared<spdlog::logger>("sluice", std::move(sink));
  logger->set_level(to_spdlog(level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace sluice::logging
