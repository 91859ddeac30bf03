// Solidity ABI: the worked examples of the specification (https://docs.soliditylang.org/en/latest/abi-spec.html,
// section "Examples" and "Use of Dynamic Types"), well-known selectors and topics, and types.

#include "chain/abi.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::abi;

namespace {

Type t(std::string_view s) { return parse_type(s).value(); }
U256 u(std::uint64_t v) { return U256{v}; }
Bytes b(std::string_view s) { return Bytes(s.begin(), s.end()); }

/// Calldata for `signature` with `args`, as 0x-hex.
std::string call_hex(std::string_view signature, std::vector<Value> args) {
  const Function f = Function::parse(signature).value();
  return to_hex(encode_call(f, args).value());
}

/// Decodes the arguments back from calldata and requires the round trip to give `args`.
void check_round_trip(std::string_view signature, const std::vector<Value>& args) {
  const Function f = Function::parse(signature).value();
  const Bytes data = encode_call(f, args).value();
  const auto decoded = decode_call(f, data);
  REQUIRE(decoded.has_value());
  CHECK(*decoded == args);
}

}  // namespace

TEST_CASE("abi spec: baz(uint32,bool) with 69, true") {
  const std::vector<Value> args{u(69), true};
  CHECK(call_hex("baz(uint32,bool)", args) ==
        "0xcdcd77c0"
        "0000000000000000000000000000000000000000000000000000000000000045"
        "0000000000000000000000000000000000000000000000000000000000000001");
  check_round_trip("baz(uint32,bool)", args);
}

TEST_CASE("abi spec: bar(bytes3[2]) with [\"abc\", \"def\"]") {
  const std::vector<Value> args{Value::List{b("abc"), b("def")}};
  CHECK(call_hex("bar(bytes3[2])", args) ==
        "0xfce353f6"
        "6162630000000000000000000000000000000000000000000000000000000000"
        "6465660000000000000000000000000000000000000000000000000000000000");
  check_round_trip("bar(bytes3[2])", args);
}

TEST_CASE("abi spec: sam(bytes,bool,uint256[]) with \"dave\", true, [1,2,3]") {
  const std::vector<Value> args{b("dave"), true, Value::List{u(1), u(2), u(3)}};
  CHECK(call_hex("sam(bytes,bool,uint256[])", args) ==
        "0xa5643bf2"
        "0000000000000000000000000000000000000000000000000000000000000060"
        "0000000000000000000000000000000000000000000000000000000000000001"
        "00000000000000000000000000000000000000000000000000000000000000a0"
        "0000000000000000000000000000000000000000000000000000000000000004"
        "6461766500000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000003"
        "0000000000000000000000000000000000000000000000000000000000000001"
        "0000000000000000000000000000000000000000000000000000000000000002"
        "0000000000000000000000000000000000000000000000000000000000000003");
  check_round_trip("sam(bytes,bool,uint256[])", args);
}

TEST_CASE("abi spec: f(uint256,uint32[],bytes10,bytes) with 0x123, [0x456, 0x789], \"1234567890\", \"Hello, world!\"") {
  const std::vector<Value> args{u(0x123), Value::List{u(0x456), u(0x789)}, b("1234567890"), b("Hello, world!")};
  CHECK(call_hex("f(uint256,uint32[],bytes10,bytes)", args) ==
        "0x8be65246"
        "0000000000000000000000000000000000000000000000000000000000000123"
        "0000000000000000000000000000000000000000000000000000000000000080"
        "3132333435363738393000000000000000000000000000000000000000000000"
        "00000000000000000000000000000000000000000000000000000000000000e0"
        "0000000000000000000000000000000000000000000000000000000000000002"
        "0000000000000000000000000000000000000000000000000000000000000456"
        "0000000000000000000000000000000000000000000000000000000000000789"
        "000000000000000000000000000000000000000000000000000000000000000d"
        "48656c6c6f2c20776f726c642100000000000000000000000000000000000000");
  check_round_trip("f(uint256,uint32[],bytes10,bytes)", args);
}

TEST_CASE("abi spec: g(uint256[][],string[]) with [[1, 2], [3]], [\"one\", \"two\", \"three\"]") {
  const std::vector<Value> args{Value::List{Value::List{u(1), u(2)}, Value::List{u(3)}},
                                Value::List{std::string("one"), std::string("two"), std::string("three")}};
  CHECK(call_hex("g(uint256[][],string[])", args) ==
        "0x2289b18c"
        "0000000000000000000000000000000000000000000000000000000000000040"
        "0000000000000000000000000000000000000000000000000000000000000140"
        "0000000000000000000000000000000000000000000000000000000000000002"
        "0000000000000000000000000000000000000000000000000000000000000040"
        "00000000000000000000000000000000000000000000000000000000000000a0"
        "0000000000000000000000000000000000000000000000000000000000000002"
        "0000000000000000000000000000000000000000000000000000000000000001"
        "0000000000000000000000000000000000000000000000000000000000000002"
        "0000000000000000000000000000000000000000000000000000000000000001"
        "0000000000000000000000000000000000000000000000000000000000000003"
        "0000000000000000000000000000000000000000000000000000000000000003"
        "0000000000000000000000000000000000000000000000000000000000000060"
        "00000000000000000000000000000000000000000000000000000000000000a0"
        "00000000000000000000000000000000000000000000000000000000000000e0"
        "0000000000000000000000000000000000000000000000000000000000000003"
        "6f6e650000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000003"
        "74776f0000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000005"
        "7468726565000000000000000000000000000000000000000000000000000000");
  check_round_trip("g(uint256[][],string[])", args);
}

TEST_CASE("abi: well-known selectors and event topics") {
  // ERC-20 (EIP-20) selectors and the Transfer/Approval topics, as published in every ERC-20 ABI.
  CHECK(Function::parse("transfer(address,uint256)").value().selector.hex() == "0xa9059cbb");
  CHECK(Function::parse("function transfer(address to, uint256 amount) external returns (bool)").value().selector.hex() ==
        "0xa9059cbb");
  CHECK(Function::parse("balanceOf(address)(uint256)").value().selector.hex() == "0x70a08231");
  CHECK(Function::parse("approve(address,uint256)").value().selector.hex() == "0x095ea7b3");
  CHECK(Function::parse("transferFrom(address,address,uint256)").value().selector.hex() == "0x23b872dd");
  const Event transfer = Event::parse("event Transfer(address indexed from, address indexed to, uint256 value)").value();
  CHECK(transfer.signature == "Transfer(address,address,uint256)");
  CHECK(transfer.topic0.hex() == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  CHECK(Event::parse("Approval(address indexed,address indexed,uint256)").value().topic0.hex() ==
        "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925");
}

TEST_CASE("abi: type strings parse to canonical types") {
  CHECK(t("uint").canonical() == "uint256");
  CHECK(t("int").canonical() == "int256");
  CHECK(t("tuple(uint,bool)[2][]").canonical() == "(uint256,bool)[2][]");
  CHECK(t("(address,(bytes32,string[])[])").canonical() == "(address,(bytes32,string[])[])");
  CHECK(t("()").canonical() == "()");
  CHECK(t("uint8[01]").canonical() == "uint8[1]");
  CHECK_FALSE(t("bytes32[2]").is_dynamic());
  CHECK(t("bytes32[2]").head_size() == 64);
  CHECK(t("(uint8,string)[2]").is_dynamic());
  for (const char* bad : {"uint7", "uint264", "uint0", "int9", "bytes0", "bytes33", "foo", "uint256[0]", "uint256[",
                          "(uint256", "uint256 ", "", "function", "fixed128x18", "uint[1x]", "(uint,)", "uint08"})
    CHECK_MESSAGE(!parse_type(bad), bad);
  CHECK(parse_type("uint7").error() == Error::invalid_type_size);
  // Fixed arrays too large to exist are refused before any size arithmetic can overflow.
  CHECK(parse_type("uint256[4294967296]").error() == Error::invalid_array_length);
  CHECK(parse_type("uint256[65536][65536][65536]").error() == Error::invalid_array_length);
}

TEST_CASE("abi: signatures as cast accepts them") {
  // Selectors from `cast sig` (Foundry 1.7.1).
  CHECK(canonical_function_signature("f(uint256 memory x, string calldata s)").value() == "f(uint256,string)");
  CHECK(canonical_function_signature("f(uint7,Foo)").value() == "f(uint7,Foo)");
  CHECK(canonical_function_signature("f(uint256,)").value() == "f(uint256)");
  CHECK(canonical_function_signature("f(()[])").value() == "f(tuple[])");
  CHECK(selector_of(canonical_function_signature("f(uint) view (uint)").value()).hex() == "0xb3de648b");
  CHECK(selector_of(canonical_function_signature("f(uint8 u, (int16[],bytes)[2][] v)").value()).hex() ==
        "0xa20126d8");
  for (const char* bad : {"f", "", " f(uint)", "f(,)", "f(uint256 a b)", "f(uint) anonymous", "f(uint) x",
                          "f(uint) view external", "f(uint[0])", "f(uint [2])", "event E(uint)", "1f(uint)",
                          "f(uint,,uint)", "f(uint256)(uint8) external"})
    CHECK_MESSAGE(!canonical_function_signature(bad), bad);
  CHECK(Function::parse("f(uint7)").error() == Error::invalid_type_size);
  const Function f = Function::parse("getReserves()(uint112,uint112,uint32)").value();
  CHECK(f.signature == "getReserves()");
  CHECK(f.outputs.size() == 3);
}
