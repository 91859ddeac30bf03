#include "chain/abi/error.hpp"

namespace sluice::abi {

const char* describe(Error e) noexcept {
  switch (e) {
    case Error::invalid_type: return "invalid type";
    case Error::invalid_type_size: return "invalid size for type";
    case Error::invalid_array_length: return "invalid fixed array length";
    case Error::invalid_signature: return "could not parse signature";
    case Error::type_mismatch: return "value does not match its type";
    case Error::value_out_of_range: return "number too large to fit in target type";
    case Error::argument_count: return "number of values does not match number of types";
    case Error::invalid_value: return "invalid value";
    case Error::data_too_short: return "buffer overrun while decoding";
    case Error::offset_out_of_range: return "offset or length out of range";
    case Error::dirty_high_bits: return "non-zero padding bits";
    case Error::invalid_bool: return "bool is neither 0 nor 1";
    case Error::excessive_expansion: return "encoding expands to too many values";
    case Error::no_data: return "no data was decoded";
    case Error::topic_count: return "topic count does not match the indexed parameters";
    case Error::selector_mismatch: return "selector does not match";
  }
  return "unknown abi error";
}

}  // namespace sluice::abi
