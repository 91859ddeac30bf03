#pragma once
/// Human-readable values exactly as Foundry's cast prints them (`cast abi-decode`, `cast call`):
/// integers in decimal with a `[1.234e5]` hint from 10000 up, checksummed addresses, 0x-hex bytes, strings
/// quoted and escaped like Rust's `{:?}`, arrays `[a, b]`, tuples `(a, b)`.

#include "chain/abi/value.hpp"

#include <span>

namespace sluice::abi {

/// One value. Values that do not match `type` are printed by what they hold.
std::string format_value(const Type& type, const Value& value);

/// One value per line, each followed by '\n'.
std::string format_values(std::span<const Type> types, std::span<const Value> values);

/// cast's scientific hint for a magnitude >= 10000: four significant digits, truncated, trailing zeros dropped
/// ("1e18", "1.234e5"); empty below 10000.
std::string scientific_hint(const U256& magnitude);

/// `text` (any bytes; invalid UTF-8 becomes U+FFFD as Rust's from_utf8_lossy does) quoted and escaped as Rust's
/// `Debug` for str: `\"`, `\\`, `\n`, `\t`, `\r`, `\0`, other control characters as `\u{1f}`.
std::string quote_string(std::string_view text);

}  // namespace sluice::abi
