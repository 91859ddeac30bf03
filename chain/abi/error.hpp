#pragma once
/// Failures of the Solidity ABI codec (https://docs.soliditylang.org/en/latest/abi-spec.html).

#include "chain/error.hpp"

namespace sluice::abi {

enum class Error {
  // ---- type strings and signatures ----
  invalid_type = 1,         ///< a type string that is not a Solidity ABI type
  invalid_type_size,        ///< uint<N>/int<N> with N not a multiple of 8 in 8..256, bytes<N> outside 1..32
  invalid_array_length,     ///< a fixed array length of zero or absurdly large
  invalid_signature,        ///< a function or event signature that does not parse
  // ---- values ----
  type_mismatch,            ///< a value whose shape does not match its type (wrong kind, wrong length)
  value_out_of_range,       ///< an integer that does not fit its uint<N>/int<N>
  argument_count,           ///< the number of values differs from the number of types
  invalid_value,            ///< a textual value that does not parse as its type
  // ---- decoding ----
  data_too_short,           ///< a word, length or tail runs past the end of the data
  offset_out_of_range,      ///< an offset or length too large to be real (above 2^32) or pointing past the data
  dirty_high_bits,          ///< non-zero bits where the type requires zeros (address, uint<N>, int<N>, bytes<N>)
  invalid_bool,             ///< a bool word other than 0 or 1
  excessive_expansion,      ///< offsets reuse tails so often that decoding would explode (a decompression bomb)
  no_data,                  ///< nothing to decode (cast refuses to decode an empty type list)
  topic_count,              ///< an event log whose topics do not match the indexed parameters
  selector_mismatch,        ///< calldata whose first four bytes are not the expected selector
};
const char* describe(Error e) noexcept;
SLUICE_ERROR_CATEGORY(Error, "abi")

}  // namespace sluice::abi

SLUICE_ERROR_ENUM(sluice::abi::Error)
