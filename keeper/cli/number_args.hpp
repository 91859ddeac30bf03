#pragma once
/// Strict parsing of numeric command-line arguments: no sign, no wrap-around, no silent saturation.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::cli {

/// Decimal digits only, at most 2^64-1; throws CliError("<what>: ...") otherwise.
std::uint64_t parse_decimal_u64(std::string_view text, const std::string& what);

}  // namespace sluice::cli
