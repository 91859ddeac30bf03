#pragma once
/// Renders a self-contained HTML report in Debian's headless Chromium for integration tests: a screenshot (PNG
/// checked for its signature, size and weight) and the DOM, both with no console message. The pages have no
/// scripts, so any console message is an error (a script, a blocked or missing resource). Chromium prints console
/// messages on stderr with --enable-logging=stderr as
///   [pid:tid:time:INFO:CONSOLE:1] "Uncaught ReferenceError: f is not defined", source: file:///... (1)
/// Chromium is installed by scripts/setup (Debian package `chromium`); without it the checks fail, never skip.
/// Header-only with doctest checks: include it from test files only.

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sluice::test {

inline constexpr const char* kChromium = "/usr/bin/chromium";
inline constexpr int kChromiumWidth = 1200;
inline constexpr int kChromiumHeight = 1600;

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Chromium headless on `page`, with a profile directory inside `dir`; `mode` is --screenshot=<png> or --dump-dom.
inline ProcessResult chromium(const TempDir& dir, const std::filesystem::path& page, const std::string& mode) {
  return run_process({"timeout", "120", kChromium, "--headless", "--disable-gpu", "--no-sandbox",
                      "--user-data-dir=" + (dir / "profile").string(), "--enable-logging=stderr", "--v=0",
                      "--window-size=" + std::to_string(kChromiumWidth) + "," + std::to_string(kChromiumHeight), mode,
                      "file://" + page.string()});
}

/// Console lines Chromium logged (":CONSOLE" at any level, or an uncaught exception).
inline std::vector<std::string> console_lines(const std::string& stderr_text) {
  std::vector<std::string> lines;
  std::istringstream in(stderr_text);
  for (std::string line; std::getline(in, line);)
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos)
      lines.push_back(line);
  return lines;
}

inline std::uint32_t be32(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

/// Renders `html` in Chromium: a screenshot with no console message, a PNG of the window's size and more than
/// `min_png_bytes` (a blank page compresses to a few kB; charts and tables make it far larger), and a DOM that
/// holds each of `expected_in_dom`. `keep_png`: where to copy the screenshot (e.g. into the build dir), if set.
inline void check_page_in_chromium(const std::string& html, const std::vector<std::string>& expected_in_dom,
                                   const std::filesystem::path& keep_png = {},
                                   std::size_t min_png_bytes = 40'000) {
  REQUIRE_MESSAGE(std::filesystem::exists(kChromium),
                  "Chromium is missing: run scripts/setup (it installs Debian's chromium)");
  TempDir dir("sluice-html");
  const std::filesystem::path page = dir / "page.html";
  const std::filesystem::path png = dir / "page.png";
  write_file(page, html);

  const ProcessResult shot = chromium(dir, page, "--screenshot=" + png.string());
  INFO("chromium stderr: " << shot.err);
  REQUIRE(shot.exit_code == 0);
  CHECK(console_lines(shot.err).empty());
  REQUIRE(std::filesystem::exists(png));
  const std::string bytes = read_file(png);
  // A PNG: signature, then the IHDR chunk with the window's size.
  REQUIRE(bytes.size() > 33);
  CHECK(bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  CHECK(bytes.compare(12, 4, "IHDR") == 0);
  CHECK(be32(bytes, 16) == static_cast<std::uint32_t>(kChromiumWidth));
  CHECK(be32(bytes, 20) == static_cast<std::uint32_t>(kChromiumHeight));
  CHECK(bytes.size() > min_png_bytes);
  if (!keep_png.empty()) {
    std::filesystem::copy_file(png, keep_png, std::filesystem::copy_options::overwrite_existing);
    MESSAGE("screenshot: " << keep_png.string());
  }

  const ProcessResult dom = chromium(dir, page, "--dump-dom");
  REQUIRE(dom.exit_code == 0);
  CHECK(console_lines(dom.err).empty());
  for (const auto& text : expected_in_dom) CHECK_MESSAGE(dom.out.find(text) != std::string::npos, text);
}

}  // namespace sluice::test
