#pragma once
/// Values from text in the syntax of Foundry's cast (alloy's `DynSolType::coerce_str`), so that
/// `sluice chain abi-encode` accepts exactly what `cast abi-encode` accepts:
/// - uint: decimal, `0x`/`0o`/`0b` literals, a fraction and/or `e` exponent, an optional unit (`wei`, `gwei`,
///   `nano`, `nanoether`, `ether`): `1.5e18`, `2 gwei`; int: the same with a `+`/`-` sign;
/// - bool: `true` or `false`; address, bytes<N>, bytes: hex digits with an optional lowercase `0x`;
/// - string: the text as is at top level (trailing spaces trimmed), optionally quoted with `"` or `'`;
///   inside lists, up to the next `,` or closing bracket unless quoted;
/// - arrays `[a, b]` (a trailing comma is allowed), tuples `(a, b)`, nested.

#include "chain/abi/value.hpp"

namespace sluice::abi {

/// Parses the whole of `text` as a value of `type`. Integer ranges are checked as cast checks them, which for
/// negative int<N> below 256 bits is looser than Solidity (|v| < 2^N); encode with `check_ranges = false` to
/// reproduce cast's bytes for such values.
Result<Value> parse_value(const Type& type, std::string_view text);

}  // namespace sluice::abi
