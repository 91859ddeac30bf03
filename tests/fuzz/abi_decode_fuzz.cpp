// libFuzzer target: ABI decoding of arbitrary return data into a range of nested types, strict and lenient.
// Checks that nothing crashes or allocates without bound (run under ASan/UBSan), and that whatever decodes
// strictly re-encodes into data that decodes to the same values.

#include "chain/abi/decode.hpp"
#include "chain/abi/encode.hpp"
#include "chain/abi/type.hpp"

#include <array>
#include <cstdlib>
#include <string_view>
#include <vector>

using namespace sluice;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

/// Types chosen by the first input byte: static and dynamic, nested arrays and tuples, every base type.
constexpr std::array<std::string_view, 12> kTypes = {
    "uint256",
    "(address,uint8,bool)",
    "bytes",
    "string[]",
    "uint256[][]",
    "(uint256,bytes)[]",
    "(bytes32,(string,int16[2])[],address)",
    "bytes7[3][]",
    "(bool,(uint128,(bytes,uint24[])))",
    "int256[]",
    "((string,string)[2],bytes)",
    "address[][2]",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto type = abi::parse_type(kTypes[data[0] % kTypes.size()]);
  require(type.has_value());
  const std::vector<abi::Type> types{*type};
  const ByteView input{data + 1, size - 1};

  (void)abi::decode(types, input, abi::Validation::lenient);
  const auto values = abi::decode(types, input, abi::Validation::strict);
  if (!values) return 0;
  const auto encoded = abi::encode(types, *values);
  require(encoded.has_value());
  const auto again = abi::decode(types, *encoded, abi::Validation::strict);
  require(again.has_value() && *again == *values);
  return 0;
}
