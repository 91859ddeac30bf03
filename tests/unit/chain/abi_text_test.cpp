// cast-compatible text for ABI values: argument parsing (alloy's coerce_str syntax) and output formatting.
// Every expected string below was printed by Foundry's cast 1.7.1 (`cast abi-encode` / `cast abi-decode`).

#include "chain/abi.hpp"
#include "keeper/cli/chain_abi.hpp"
#include "keeper/cli/cli_error.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::abi;
using sluice::cli::abi_decode;
using sluice::cli::abi_encode;
using sluice::cli::abi_sig;

namespace {
std::string word_hex(std::string_view sig, std::string_view arg) { return abi_encode(sig, {std::string(arg)}, false); }
}  // namespace

TEST_CASE("abi text: numbers in cast's notations") {
  CHECK(word_hex("f(uint256)", "1e18") == "0x0000000000000000000000000000000000000000000000000de0b6b3a7640000\n");
  CHECK(word_hex("f(uint256)", "1 ether") == "0x0000000000000000000000000000000000000000000000000de0b6b3a7640000\n");
  CHECK(word_hex("f(uint256)", "1.5 gwei") == "0x0000000000000000000000000000000000000000000000000000000059682f00\n");
  CHECK(word_hex("f(uint256)", "1.5e3") == "0x00000000000000000000000000000000000000000000000000000000000005dc\n");
  CHECK(word_hex("f(uint256)", "0b101") == "0x0000000000000000000000000000000000000000000000000000000000000005\n");
  CHECK(word_hex("f(uint256)", "0o17") == "0x000000000000000000000000000000000000000000000000000000000000000f\n");
  CHECK(word_hex("f(int8)", "-128") == "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80\n");
  // cast's quirk: a negative int<N> is only checked to have |v| < 2^N, and is encoded sign-extended.
  CHECK(word_hex("f(int8)", "-129") == "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f\n");
  CHECK(word_hex("f(int256)", "-1 ether") == "0xfffffffffffffffffffffffffffffffffffffffffffffffff21f494c589c0000\n");
  for (const char* bad : {"-1", "1.5", "1e-1", "1.0", "1.", ".5", "1_000", " 1", "", "0x", "1 seconds", "1e80",
                          "115792089237316195423570985008687907853269984665640564039457584007913129639936"})
    CHECK_THROWS_AS_MESSAGE(word_hex("f(uint256)", bad), cli::CliError, bad);
  for (const char* bad : {"128", "-256", "0x80", "- 1", "--1"})
    CHECK_THROWS_AS_MESSAGE(word_hex("f(int8)", bad), cli::CliError, bad);
}

TEST_CASE("abi text: strings, bytes, addresses, lists") {
  // top-level strings keep leading spaces and lose trailing ones; quotes are delimiters
  CHECK(parse_value(Type::string(), " hi ").value() == Value{std::string(" hi")});
  CHECK(parse_value(Type::string(), "'ab'").value() == Value{std::string("ab")});
  CHECK_FALSE(parse_value(Type::string(), "\"ab\"  ").has_value());
  const Type strings = parse_type("string[]").value();
  CHECK(format_value(strings, parse_value(strings, "[a b, c]").value()) == "[\"a b\", \"c\"]");
  CHECK(format_value(strings, parse_value(strings, "[a\"b]").value()) == "[\"a\\\"b\"]");
  CHECK(format_value(strings, parse_value(strings, "[ \" sp \", q ]").value()) == "[\" sp \", \"q\"]");
  CHECK_FALSE(parse_value(strings, "[ \" sp \" , q ]").has_value());
  CHECK_FALSE(parse_value(strings, "[,]").has_value());
  const Type uints = parse_type("uint256[]").value();
  CHECK(format_value(uints, parse_value(uints, "[1,2,]").value()) == "[1, 2]");
  CHECK(format_value(uints, parse_value(uints, "[ ]").value()) == "[]");
  CHECK_FALSE(parse_value(uints, "[1,,]").has_value());
  CHECK_FALSE(parse_value(parse_type("bool[]").value(), "[true ,false]").has_value());
  CHECK(parse_value(parse_type("(uint256,string)").value(), " ( 1 , \"x\" )").has_value());
  CHECK_FALSE(parse_value(Type::fixed_bytes(4), "0x12").has_value());
  CHECK_FALSE(parse_value(Type::bytes(), "").has_value());
  CHECK_FALSE(parse_value(Type::address(), "0XD8DA6BF26964AF9D7EED9E03E53415D37AA96045").has_value());
  // no checksum validation in cast's parser
  CHECK(parse_value(Type::address(), "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96044").has_value());
}

TEST_CASE("abi text: decode output as cast prints it") {
  const std::string encoded = abi_encode(
      "f(uint256,int256,int8,uint8,address,bool,bytes,bytes3,string)",
      {"1000000000000000000", "-1000000000000000000", "-5", "255", "0xd8da6bf26964af9d7eed9e03e53415d37aa96045",
       "true", "0x0102", "0x010203", "hi there"},
      false);
  CHECK(abi_decode("f()(uint256,int256,int8,uint8,address,bool,bytes,bytes3,string)",
                   encoded.substr(0, encoded.size() - 1), false) ==
        "1000000000000000000 [1e18]\n-1000000000000000000 [-1e18]\n-5\n255\n"
        "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045\ntrue\n0x0102\n0x010203\n\"hi there\"\n");
  CHECK(scientific_hint(U256{9999}).empty());
  CHECK(scientific_hint(U256{10000}) == "1e4");
  CHECK(scientific_hint(U256{99999}) == "9.999e4");
  CHECK(scientific_hint(U256{1230000}) == "1.23e6");
  CHECK(quote_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(quote_string("line\nbreak\ttab") == "\"line\\nbreak\\ttab\"");
  CHECK(quote_string("\xc3\xa9\x01\x7f") == "\"\xc3\xa9\\u{1}\\u{7f}\"");
  CHECK(quote_string("\xff" "a") == "\"\xef\xbf\xbd" "a\"");  // invalid UTF-8 -> U+FFFD
  CHECK_THROWS_AS(abi_decode("f()()", "0x", false), cli::CliError);
  CHECK_THROWS_AS(abi_decode("f(uint256)", "0x01", false), cli::CliError);
  CHECK(abi_decode("f(uint256)", "0x0000000000000000000000000000000000000000000000000000000000000001", true) == "1\n");
}

TEST_CASE("abi text: sig and packed encoding") {
  CHECK(abi_sig("function transfer(address to, uint256 amount)") == "0xa9059cbb\n");
  CHECK(abi_sig("f(uint7)") == "0x4cb5ba54\n");
  CHECK(abi_encode("f(bytes2[],int8,string[],bool[],(uint8,bool)[],uint16)",
                   {"[0x1234]", "-1", "[ab]", "[true]", "[(1,true)]", "5"}, true) ==
        "0x0000000000000000000000000000000000000000000000000000000000001234ff00000000000000000000000000000000"
        "0000000000000000000000000000616200000000000000000000000000000000000000000000000000000000000000010000"
        "0000000000000000000000000000000000000000000000000000000001010005\n");
  CHECK(abi_encode("f()", {}, false) == "0x\n");
}
