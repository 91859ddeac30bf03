// Expected outputs below were produced by `cast to-rlp` / `cast from-rlp` (Foundry 1.7.1,
// scripts/node_modules/.bin/cast); "fails" means cast exited non-zero.

#include "keeper/cli/rlp_text.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace sluice;
using cli::RlpTextError;

namespace {
std::string to_rlp(std::string_view text) {
  auto r = cli::to_rlp_text(text);
  return r ? *r : "fails";
}
std::string from_rlp(std::string_view text, bool as_int = false) {
  auto r = cli::from_rlp_text(text, as_int);
  return r ? *r : "fails";
}
}  // namespace

TEST_CASE("rlp text: to-rlp reads JSON arrays of hex strings, nested, as cast does") {
  CHECK(to_rlp("[]") == "0xc0");
  CHECK(to_rlp("[\"0x61\"]") == "0xc161");
  CHECK(to_rlp("[\"0xf1\", \"f2\"]") == "0xc481f181f2");
  CHECK(to_rlp("[[],[[]]]") == "0xc3c0c1c0");
  CHECK(to_rlp("  [ \"0x12\" ] ") == "0xc112");
  CHECK(to_rlp("[\"0xABCD\"]") == "0xc382abcd");
  CHECK(to_rlp("[\"\", null, 0, []]") == "0xc4808080c0");
  CHECK(to_rlp("[\"0x\\u0041b\"]") == "0xc281ab");  // JSON escapes are decoded first
  CHECK(to_rlp("[1,2,[3,[4]]]") == "0xc60102c303c104");
}

TEST_CASE("rlp text: to-rlp numbers are decimal integers below 2^256, -0 included") {
  CHECK(to_rlp("123") == "0x7b");
  CHECK(to_rlp("12") == "0x0c");  // JSON first: 12 is a number, not hex
  CHECK(to_rlp("0") == "0x80");
  CHECK(to_rlp("[-0]") == "0xc180");
  CHECK(to_rlp("[18446744073709551616]") == "0xca89010000000000000000");
  CHECK(to_rlp("[115792089237316195423570985008687907853269984665640564039457584007913129639935]") ==
        "0xe1a0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
  CHECK(cli::to_rlp_text("[115792089237316195423570985008687907853269984665640564039457584007913129639936]")
            .error() == RlpTextError::bad_number);
  for (const char* bad : {"[-1]", "[1e3]", "[1.0]", "1.5", "1e5", "1E5", "0e0", "[-1.5e3]"}) {
    CAPTURE(bad);
    CHECK(cli::to_rlp_text(bad).error() == RlpTextError::bad_number);
  }
}

TEST_CASE("rlp text: to-rlp falls back to raw hex when the text is not JSON") {
  CHECK(to_rlp("0x22") == "0x22");
  CHECK(to_rlp("0x") == "0x80");
  CHECK(to_rlp("") == "0x80");
  CHECK(to_rlp("0x80") == "0x8180");
  CHECK(to_rlp("00") == "0x00");    // not JSON (leading zero), so hex
  CHECK(to_rlp("1e") == "0x1e");    // not a complete JSON number, so hex
  CHECK(to_rlp("12ab") == "0x8212ab");
  CHECK(to_rlp("null") == "0x80");
  for (const char* bad : {"0x0", "0x123", "abc", "zz", "0xzz", "[0x12]", "[\"0x12\",]", "[", "0XAB", "0x0x12",
                          " 0x12", "0x12 ", "  ", "1 2", "[01]", "[tru]", "-", "\"\\x\"", "\"\\ud800\""}) {
    CAPTURE(bad);
    CHECK(cli::to_rlp_text(bad).error() == RlpTextError::not_json_or_hex);
  }
}

TEST_CASE("rlp text: to-rlp refuses booleans, objects and non-hex strings") {
  CHECK(cli::to_rlp_text("true").error() == RlpTextError::boolean);
  CHECK(cli::to_rlp_text("[false]").error() == RlpTextError::boolean);
  CHECK(cli::to_rlp_text("{}").error() == RlpTextError::object);
  for (const char* bad : {"\"0x12\"x", "[\"abc\"]", "[\"0x1\"]", "\"0X12\"", "\"\\u0041\"", "[\"0x\\/\"]"}) {
    CAPTURE(bad);
    CHECK(cli::to_rlp_text(bad).has_error());
  }
}

TEST_CASE("rlp text: to-rlp accepts 127 nested arrays, as serde_json does, and no more") {
  // cast: 127 levels around `true` report the boolean, 128 levels fall back to hex and fail on '['.
  const auto nested = [](int depth, std::string_view inner) {
    return std::string(static_cast<std::size_t>(depth), '[') + std::string(inner) +
           std::string(static_cast<std::size_t>(depth), ']');
  };
  CHECK(cli::to_rlp_text(nested(127, "true")).error() == RlpTextError::boolean);
  CHECK(cli::to_rlp_text(nested(128, "true")).error() == RlpTextError::not_json_or_hex);
  CHECK(cli::to_rlp_text(nested(127, "")).has_value());
  CHECK(cli::to_rlp_text(nested(128, "")).error() == RlpTextError::not_json_or_hex);
  CHECK(cli::to_rlp_text(nested(100'000, "")).error() == RlpTextError::not_json_or_hex);
}

TEST_CASE("rlp text: from-rlp prints cast's nesting and ignores trailing bytes") {
  CHECK(from_rlp("0xc0") == "[]");
  CHECK(from_rlp("c0") == "[]");
  CHECK(from_rlp("0xC0") == "[]");
  CHECK(from_rlp("0x80") == "\"0x\"");
  CHECK(from_rlp("0x8180") == "\"0x80\"");
  CHECK(from_rlp("0xc0c0") == "[]");
  CHECK(from_rlp("0x8000") == "\"0x\"");
  CHECK(from_rlp("0xc3c0c1c0") == "[[],[[]]]");
  CHECK(from_rlp("0xc88363617483646f67") == "[\"0x636174\",\"0x646f67\"]");
  CHECK(from_rlp("0xc20180") == "[\"0x01\",\"0x\"]");
  for (const char* bad : {"0XC0", "0x8100", "0x817f", "0x", "0xc1", "0xb800", "0xb80100", "0xf800", "0xc28081",
                          "0xbf0f000000000000021111", "0xb90000", "0xc1c180", "", " c0", "c0 ", "0xc10", "0xzz"}) {
    CAPTURE(bad);
    CHECK(from_rlp(bad) == "fails");
  }
}

TEST_CASE("rlp text: from-rlp --as-int prints canonical integers in decimal") {
  CHECK(from_rlp("0x80", true) == "0");
  CHECK(from_rlp("0x7f", true) == "127");
  CHECK(from_rlp("0x8180", true) == "128");
  CHECK(from_rlp("0x820100", true) == "256");
  CHECK(from_rlp("0x0102", true) == "1");  // trailing bytes ignored
  CHECK(from_rlp("0xa0" + std::string(64, 'f'), true) ==
        "115792089237316195423570985008687907853269984665640564039457584007913129639935");
  for (const char* bad : {"0x00", "0x820001", "0x8100", "0xc0", "0x", "0x81", "0xb800"}) {
    CAPTURE(bad);
    CHECK(from_rlp(bad, true) == "fails");
  }
  CHECK(from_rlp("0xa1" + std::string(66, '1'), true) == "fails");  // 33 bytes: overflow
}
