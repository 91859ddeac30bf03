#pragma once
/// Text forms of RLP for `sluice chain to-rlp` and `sluice chain from-rlp`, matching Foundry's `cast` (1.7.1)
/// byte for byte on stdout, quirks included (crates/cast/src/rlp_converter.rs in foundry-rs/foundry):
/// - to-rlp reads its argument as JSON (serde_json rules: strict grammar, at most 127 nested arrays); JSON
///   strings are hex, numbers are decimal integers below 2^256, null is the empty string. Input that is not
///   JSON is decoded as one raw hex string instead, so `12` is the number 12 (0x0c) but `012` is hex 0x0012.
/// - from-rlp decodes the first item and ignores whatever follows it; strings print as "0x..", lists as
///   [a,b] without spaces.
/// - hex is an optional lowercase "0x" then whole bytes in either case ("0X12" is rejected, as by cast).

#include "chain/bytes.hpp"
#include "chain/rlp.hpp"

#include <string>
#include <string_view>

namespace sluice::cli {

enum class RlpTextError {
  not_json_or_hex = 1,  ///< to-rlp input that is neither JSON nor a hex string
  string_not_hex,       ///< a JSON string that is not hex of whole bytes
  bad_number,           ///< a JSON number that is not an integer in [0, 2^256)
  boolean,              ///< true/false: cast refuses booleans
  object,               ///< {...}: cast refuses objects
};
const char* describe(RlpTextError e) noexcept;
SLUICE_ERROR_CATEGORY(RlpTextError, "rlp-text")

/// Hex as cast reads it: an optional lowercase "0x", then an even number of digits of either case.
Result<Bytes> decode_cast_hex(std::string_view text);

/// Parses `cast to-rlp`'s value (see above) into an item.
Result<rlp::Item> parse_rlp_value(std::string_view text);

/// `cast to-rlp <text>` without the newline: "0x" and the hex of the encoding.
Result<std::string> to_rlp_text(std::string_view text);

/// cast's display of an item: "0x.." for strings (quoted), [a,b] for lists.
std::string format_rlp_item(const rlp::Item& item);

/// `cast from-rlp [--as-int] <hex>` without the newline. With `as_int` the first item must be a canonical
/// integer below 2^256 and prints in decimal.
Result<std::string> from_rlp_text(std::string_view hex, bool as_int);

}  // namespace sluice::cli

SLUICE_ERROR_ENUM(sluice::cli::RlpTextError)
