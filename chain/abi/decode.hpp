#pragma once
/// ABI decoding, safe on any input: every offset and length is bounds-checked before use, and no allocation is
/// ever sized from a declared length that the data cannot back.

#include "chain/abi/signature.hpp"
#include "chain/abi/value.hpp"

#include <span>

namespace sluice::abi {

enum class Validation {
  /// As Solidity's abi.decode: reverts (here: fails) on dirty high bits of address/uint<N>/int<N>, bool words
  /// other than 0/1, and non-zero bytes after a bytes<N> value.
  strict,
  /// As alloy's decoder (and so cast abi-decode): words are taken as they are (uint8 may hold 256, an address
  /// ignores its top 12 bytes, any non-zero bool is true).
  lenient,
};

/// Decodes `data` as the tuple `types`. Trailing bytes after the encoding are ignored, as Solidity does.
Result<std::vector<Value>> decode(std::span<const Type> types, ByteView data,
                                  Validation validation = Validation::strict);

/// Decodes the arguments of calldata for `function`: checks the selector, then decodes the inputs.
Result<std::vector<Value>> decode_call(const Function& function, ByteView calldata);
/// Decodes the return data of `function` (its outputs).
Result<std::vector<Value>> decode_output(const Function& function, ByteView data);

/// Return data holding a single uint256 (e.g. balanceOf, totalSupply), strictly.
Result<U256> decode_uint256(ByteView data);
/// Return data holding a single address, strictly (the top 12 bytes must be zero).
Result<Address> decode_address(ByteView data);

}  // namespace sluice::abi
