// Solidity ABI decoding of malformed data: strict (Solidity's abi.decode) and lenient (alloy/cast) modes, and
// event logs. Hand-built encodings follow the spec layout; lenient outputs were checked with `cast abi-decode`.

#include "chain/abi.hpp"
#include "chain/keccak.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::abi;

namespace {

std::vector<Type> types(std::initializer_list<std::string_view> list) {
  std::vector<Type> out;
  for (auto s : list) out.push_back(parse_type(s).value());
  return out;
}

Bytes hex(std::string_view s) { return from_hex(s).value(); }

const std::string kWord1 = "0000000000000000000000000000000000000000000000000000000000000001";
const std::string kWord20 = "0000000000000000000000000000000000000000000000000000000000000020";

Error decode_error(std::initializer_list<std::string_view> ts, std::string_view data,
                   Validation v = Validation::strict) {
  auto r = decode(types(ts), hex(data), v);
  REQUIRE_FALSE(r.has_value());
  return static_cast<Error>(r.error().value());
}

}  // namespace

TEST_CASE("abi decode: short data, offsets and lengths out of range") {
  CHECK(decode_error({"uint256"}, "0x01") == Error::data_too_short);
  CHECK(decode_error({"uint256"}, "0x") == Error::data_too_short);
  CHECK(decode_error({"uint256", "uint256"}, kWord1) == Error::data_too_short);
  // offset past the end
  CHECK(decode_error({"string"}, "0000000000000000000000000000000000000000000000000000000000000060" + kWord1) ==
        Error::offset_out_of_range);
  // offset with high bits set (cast: "type check failed for offset")
  CHECK(decode_error({"string"}, "ff" + kWord20.substr(2)) == Error::offset_out_of_range);
  // string length running past the data
  CHECK(decode_error({"string"}, kWord20 + "0000000000000000000000000000000000000000000000000000000000000022" +
                                     "6162000000000000000000000000000000000000000000000000000000000000") ==
        Error::data_too_short);
  // huge array length with little data: refused without allocating
  CHECK(decode_error({"uint256[]"}, kWord20 + "00000000000000000000000000000000000000000000000000000000ffffffff") ==
        Error::data_too_short);
  CHECK(decode_error({"uint256[]"}, kWord20 + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff") ==
        Error::offset_out_of_range);
  CHECK(decode_error({"string[]"}, kWord20 + "00000000000000000000000000000000000000000000000000000000fffffffe") ==
        Error::data_too_short);
  // Trailing bytes after a complete encoding are ignored, as Solidity does.
  CHECK(decode(types({"uint256"}), hex(kWord1 + "00")).has_value());
}

TEST_CASE("abi decode: strict mode rejects dirty words that Solidity's abi.decode reverts on") {
  const std::string dirty_address = "0x0000000000000000000000ffd8da6bf26964af9d7eed9e03e53415d37aa96045";
  CHECK(decode_error({"address"}, dirty_address) == Error::dirty_high_bits);
  CHECK(decode_error({"bool"}, "0x0000000000000000000000000000000000000000000000000000000000000002") ==
        Error::invalid_bool);
  CHECK(decode_error({"uint8"}, "0x0000000000000000000000000000000000000000000000000000000000000100") ==
        Error::dirty_high_bits);
  CHECK(decode_error({"int8"}, "0x0000000000000000000000000000000000000000000000000000000000000080") ==
        Error::dirty_high_bits);
  CHECK(decode_error({"int8"}, "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f") ==
        Error::dirty_high_bits);
  CHECK(decode_error({"bytes3"}, "0x0102030400000000000000000000000000000000000000000000000000000000") ==
        Error::dirty_high_bits);
  // Valid sign extension and boundaries decode.
  auto min8 = decode(types({"int8"}), hex("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80"));
  REQUIRE(min8.has_value());
  CHECK(format_value(Type::int_(8), (*min8)[0]) == "-128");

  // Lenient mode takes words as they are, which is what cast prints (checked with cast abi-decode 1.7.1).
  auto lenient = [](std::string_view ty, std::string_view data) {
    const auto ts = types({ty});
    return format_values(ts, decode(ts, hex(data), Validation::lenient).value());
  };
  CHECK(lenient("address", dirty_address) == "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045\n");
  CHECK(lenient("bool", "0x0000000000000000000000000000000000000000000000000000000000000002") == "true\n");
  CHECK(lenient("uint8", "0x0000000000000000000000000000000000000000000000000000000000000100") == "256\n");
  CHECK(lenient("int8", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff01") == "-255\n");
  CHECK(lenient("bytes3", "0x0102030400000000000000000000000000000000000000000000000000000000") == "0x010203\n");
}

TEST_CASE("abi decode: offsets reusing one tail cannot blow up") {
  // uint256[][][][][][] where all n elements of each level point at the same next level: a few kilobytes that
  // would expand to n^6 values without the decoder's budget.
  const int n = 60;
  auto word = [](std::uint64_t v) {
    const auto be = U256{v}.to_be();
    return to_hex_no_prefix(ByteView(be.data(), be.size()));
  };
  std::string data = kWord20;
  for (int level = 0; level < 6; ++level) {
    data += word(n);
    for (int i = 0; i < n; ++i) data += word(level < 5 ? 32 * n : 7);  // offsets to the next level, or values
  }
  CHECK(decode(types({"uint256[][][][][][]"}), hex(data), Validation::lenient).error() == Error::excessive_expansion);
  // One level fewer sharing nothing decodes fine.
  CHECK(decode(types({"uint256[]"}), hex(kWord20 + word(n) + std::string(64 * n, '0'))).has_value());
}

TEST_CASE("abi decode: single-value helpers") {
  CHECK(decode_uint256(hex(kWord1)).value() == U256{1});
  CHECK_FALSE(decode_uint256(hex("0x01")).has_value());
  const auto a = decode_address(hex("0x000000000000000000000000d8da6bf26964af9d7eed9e03e53415d37aa96045")).value();
  CHECK(to_checksum(a) == "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045");
  CHECK_FALSE(decode_address(hex("0x0000000000000000000000ffd8da6bf26964af9d7eed9e03e53415d37aa96045")).has_value());
  const Function f = Function::parse("transfer(address,uint256)").value();
  Bytes call = encode_call(f, std::vector<Value>{a, U256{5}}).value();
  CHECK(decode_call(f, call).has_value());
  call[0] ^= 1;
  CHECK(decode_call(f, call).error() == Error::selector_mismatch);
}

TEST_CASE("abi event: Transfer log with indexed addresses") {
  // A USDC-style Transfer log (checksums from `cast to-check-sum-address`): topics = [topic0, from, to], data = value.
  const Event e = Event::parse("event Transfer(address indexed from, address indexed to, uint256 value)").value();
  const Hash from = Hash::from_hex("0x000000000000000000000000d8da6bf26964af9d7eed9e03e53415d37aa96045").value();
  const Hash to = Hash::from_hex("0x000000000000000000000000a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48").value();
  const std::vector<Hash> topics{e.topic0, from, to};
  const auto values = decode_log(e, topics, hex("0x00000000000000000000000000000000000000000000000000000000000f4240"));
  REQUIRE(values.has_value());
  std::vector<Type> ts;
  for (const auto& p : e.params) ts.push_back(p.type);
  CHECK(format_values(ts, *values) ==
        "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045\n0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48\n1000000 [1e6]\n");
  // wrong topic count, wrong topic0, dirty indexed address
  CHECK(decode_log(e, std::vector<Hash>{e.topic0, from}, {}).error() == Error::topic_count);
  CHECK(decode_log(e, std::vector<Hash>{from, from, to}, hex(kWord1)).error() == Error::selector_mismatch);
  Hash dirty = from;
  dirty.bytes[0] = 1;
  CHECK(decode_log(e, std::vector<Hash>{e.topic0, dirty, to}, hex(kWord1)).error() == Error::dirty_high_bits);
}

TEST_CASE("abi event: indexed dynamic values are their keccak hash, anonymous events have no topic0") {
  const Event e = Event::parse("Named(string indexed name, uint256[] indexed ids, bytes data) anonymous").value();
  CHECK(e.anonymous);
  const Hash name_hash = keccak256(std::string_view("alice"));
  const Hash ids_hash = keccak256(std::string_view("ids"));
  const Bytes data = encode(std::vector<Type>{Type::bytes()}, std::vector<Value>{Bytes{1, 2}}).value();
  const auto values = decode_log(e, std::vector<Hash>{name_hash, ids_hash}, data);
  REQUIRE(values.has_value());
  CHECK(std::get<Bytes>((*values)[0].data) == Bytes(name_hash.bytes.begin(), name_hash.bytes.end()));
  CHECK(std::get<Bytes>((*values)[1].data) == Bytes(ids_hash.bytes.begin(), ids_hash.bytes.end()));
  CHECK(std::get<Bytes>((*values)[2].data) == Bytes{1, 2});
}
