#include "keeper/cli/hash_text.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::cli;

namespace {
bool utf8(std::string_view s) { return is_valid_utf8(as_bytes(s)); }
}  // namespace

TEST_CASE("hash_text: UTF-8 validation rejects overlongs, surrogates, truncation and code points past U+10FFFF") {
  CHECK(utf8(""));
  CHECK(utf8("plain ascii"));
  CHECK(utf8("é€𝄞"));
  CHECK(utf8("\xf4\x8f\xbf\xbf"));       // U+10FFFF, the last code point
  CHECK_FALSE(utf8("\xf4\x90\x80\x80"));  // U+110000
  CHECK_FALSE(utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(utf8("\xe0\x80\xaf"));      // overlong '/'
  CHECK_FALSE(utf8("\xed\xa0\x80"));      // U+D800, a surrogate
  CHECK_FALSE(utf8("\xe2\x82"));          // truncated '€'
  CHECK_FALSE(utf8("\x80"));              // lone continuation byte
  CHECK_FALSE(utf8("\xff"));
}

TEST_CASE("hash_text: trailing Unicode white space is trimmed as Rust's trim_end does") {
  CHECK(trim_end_unicode_whitespace("0x12 \t\r\n") == "0x12");
  CHECK(trim_end_unicode_whitespace("0x12\u00a0\u3000\u2009") == "0x12");
  CHECK(trim_end_unicode_whitespace(" 0x12") == " 0x12");
  CHECK(trim_end_unicode_whitespace("\u200b") == "\u200b");  // zero-width space is not White_Space
}

TEST_CASE("hash_text: keccak of hex, text and raw bytes (digests from cast keccak)") {
  CHECK(keccak_text(as_bytes("hello world")).value() ==
        "0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad");
  CHECK(keccak_text(as_bytes("0x12 ")).value() == "0x5fa2358263196dbbf23d1ca7a509451f7a2f64c15837bfbb81298b1e3e24e4fa");
  CHECK(keccak_text(as_bytes("0Xab")).value() == "0x8eb8fd738850966a81191993dd0ab25a76113e416b8169203d87f6186c1a5840");
  CHECK(keccak_text(as_bytes("\xff\xfe")).value() ==
        "0xeeb4ce57fda2c1de2e5bd73b1c0172b8029bc8d06145bc2dee844707debc67c7");
  CHECK(keccak_text(as_bytes("0x1")).has_error());
  CHECK(keccak_text(as_bytes("0x 12")).has_error());
}

TEST_CASE("hash_text: checksums, EIP-1191 with a chain id (expected values from cast to-check-sum-address)") {
  CHECK(checksum_text("fb6916095ca1df60bb79ce92ce3ea74c37c5d359", std::nullopt).value() ==
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
  CHECK(checksum_text("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359", 30).value() ==
        "0xFb6916095cA1Df60bb79ce92cE3EA74c37c5d359");
  CHECK(checksum_text("0XFB6916095CA1DF60BB79CE92CE3EA74C37C5D359", std::nullopt).has_error());
  CHECK(checksum_text("0x12", std::nullopt).has_error());
}
