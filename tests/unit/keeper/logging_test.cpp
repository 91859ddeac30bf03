#include "keeper/log/logging.hpp"

#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

using namespace sluice::logging;
using std::chrono::milliseconds;
using std::chrono::system_clock;

// Escapes per RFC 8259 section 7: '"', '\\' and U+0000..U+001F must be escaped; the two-character forms exist for
// \b \f \n \r \t, the rest are \u00XX. UTF-8 validity per RFC 3629.

TEST_CASE("logging: JSON escaping of quotes, backslashes and control characters") {
  CHECK(json_escape("") == "");
  CHECK(json_escape("plain text") == "plain text");
  CHECK(json_escape(R"(say "hi" \ bye)") == R"(say \"hi\" \\ bye)");
  CHECK(json_escape("a\nb\rc\td\be\ff") == R"(a\nb\rc\td\be\ff)");
  CHECK(json_escape(std::string_view("\x00\x01\x1f\x7f", 4)) == "\\u0000\\u0001\\u001f\x7f");  // DEL needs none
  CHECK(json_escape("/") == "/");  // solidus may stay as is
}

TEST_CASE("logging: JSON escaping keeps valid UTF-8 and replaces each invalid byte with U+FFFD") {
  CHECK(json_escape("é€𝄞 ünïcödé") == "é€𝄞 ünïcödé");
  CHECK(json_escape("\xf4\x8f\xbf\xbf") == "\xf4\x8f\xbf\xbf");  // U+10FFFF
  const std::string fffd = "\xef\xbf\xbd";
  CHECK(json_escape("a\xff" "b") == "a" + fffd + "b");
  CHECK(json_escape("\xc0\xaf") == fffd + fffd);                     // overlong '/'
  CHECK(json_escape("\xed\xa0\x80") == fffd + fffd + fffd);          // a surrogate
  CHECK(json_escape("\xf4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // past U+10FFFF
  CHECK(json_escape("\xe2\x82") == fffd + fffd);                     // truncated '€'
  CHECK(json_escape("\xe2\x82\"") == fffd + fffd + "\\\"");
}

TEST_CASE("logging: RFC 3339 UTC timestamps with milliseconds") {
  CHECK(rfc3339_ms(system_clock::time_point{}) == "1970-01-01T00:00:00.000Z");
  // 1704164645 s = 2024-01-02T03:04:05Z (`date -u -d @1704164645`).
  CHECK(rfc3339_ms(system_clock::time_point{milliseconds(1704164645678)}) == "2024-01-02T03:04:05.678Z");
  CHECK(rfc3339_ms(system_clock::time_point{milliseconds(-1)}) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("logging: one JSON object per line with ts, level and msg") {
  const auto t = system_clock::time_point{milliseconds(1704164645678)};
  CHECK(json_log_line(t, "info", "liquidated \"aave-v3:0xab\"\nnext") ==
        R"({"ts":"2024-01-02T03:04:05.678Z","level":"info","msg":"liquidated \"aave-v3:0xab\"\nnext"})");
  CHECK(json_log_line(t, "warn", "") == R"({"ts":"2024-01-02T03:04:05.678Z","level":"warn","msg":""})");
}

TEST_CASE("logging: setup_logging installs a default logger at the configured level") {
  setup_logging(sluice::config::LogFormat::json, sluice::config::LogLevel::warn);
  CHECK(spdlog::default_logger()->name() == "sluice");
  CHECK(spdlog::default_logger()->level() == spdlog::level::warn);
  setup_logging(sluice::config::LogFormat::text, sluice::config::LogLevel::error);
  CHECK(spdlog::default_logger()->level() == spdlog::level::err);
  setup_logging(sluice::config::LogFormat::text, sluice::config::LogLevel::info);
}
