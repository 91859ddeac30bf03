#pragma once
/// ABI encoding exactly as Solidity's abi.encode (https://docs.soliditylang.org/en/latest/abi-spec.html#formal-
/// specification-of-the-encoding): a tuple's heads (static values inline, offsets for dynamic ones) followed by
/// the tails, every value padded to 32-byte words.

#include "chain/abi/signature.hpp"
#include "chain/abi/value.hpp"

#include <span>

namespace sluice::abi {

struct EncodeOptions {
  /// When false, integers wider than their type are encoded as given (sign-extended to 256 bits for ints)
  /// instead of rejected: cast's argument parser accepts e.g. -255 for an int8, and we reproduce its output.
  bool check_ranges = true;
};

/// Encodes `values` as the tuple `types` (the argument encoding of a call without selector).
Result<Bytes> encode(std::span<const Type> types, std::span<const Value> values, EncodeOptions options = {});

/// Non-standard packed encoding as Solidity's abi.encodePacked and alloy/cast `--packed`: no offsets or
/// lengths, elementary values in their natural width, array elements left-padded to 32 bytes.
Result<Bytes> encode_packed(std::span<const Type> types, std::span<const Value> values,
                            EncodeOptions options = {});

/// Calldata: the selector followed by the encoded arguments.
Result<Bytes> encode_call(const Selector& selector, std::span<const Type> types, std::span<const Value> values);
/// Calldata for `function` with `args` matched against its inputs.
inline Result<Bytes> encode_call(const Function& function, std::span<const Value> args) {
  return encode_call(function.selector, function.inputs, args);
}

/// Appends one 32-byte big-endian word.
void append_word(Bytes& out, const U256& word);

}  // namespace sluice::abi
