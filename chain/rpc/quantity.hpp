#pragma once
/// JSON-RPC quantities (https://ethereum.org/en/developers/docs/apis/json-rpc/#hex-encoding): "0x" followed by
/// the shortest hex digits, "0x0" for zero. Real nodes are not always that strict, so there are two modes:
/// `strict` follows the spec exactly; `lenient` (what our decoders use) also accepts leading zeros ("0x00ff"),
/// upper-case digits and a bare "0x" as zero (older Parity/OpenEthereum and some proxies send these). Both modes
/// reject a missing 0x prefix, any non-hex character, signs, whitespace and values that overflow.

#include "chain/error.hpp"
#include "chain/u256.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::rpc {

enum class QuantityError {
  missing_prefix = 1,  ///< does not start with "0x"
  empty,               ///< "0x" with no digits (strict mode)
  leading_zero,        ///< "0x0..." with more digits (strict mode)
  invalid_character,   ///< a character that is not a hex digit (or upper-case in strict mode)
  overflow,            ///< too large for the target type
};
const char* describe(QuantityError e) noexcept;
SLUICE_ERROR_CATEGORY(QuantityError, "quantity")

enum class QuantityMode { strict, lenient };

Result<std::uint64_t> parse_quantity_u64(std::string_view text, QuantityMode mode = QuantityMode::lenient);
Result<U256> parse_quantity(std::string_view text, QuantityMode mode = QuantityMode::lenient);

/// "0x" + minimal lowercase hex ("0x0" for zero).
std::string to_quantity(std::uint64_t value);
std::string to_quantity(const U256& value);

}  // namespace sluice::rpc

SLUICE_ERROR_ENUM(sluice::rpc::QuantityError)
