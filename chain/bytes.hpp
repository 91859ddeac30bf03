#pragma once
/// Byte buffers and hex: `Bytes` owns, `ByteView` borrows. Hex is 0x-prefixed lowercase on output.

#include "chain/error.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

enum class HexError {
  invalid_character = 1,  ///< a character outside [0-9a-fA-F]
  odd_length,             ///< an odd number of hex digits where whole bytes are expected
  wrong_length,           ///< the digits do not fill the fixed-size value exactly
};
const char* describe(HexError e) noexcept;
SLUICE_ERROR_CATEGORY(HexError, "hex")

/// Value of one hex digit, or -1.
constexpr int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Strips a leading "0x" or "0X" if present.
constexpr std::string_view strip_0x(std::string_view s) noexcept {
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return s.substr(2);
  return s;
}

/// Decodes hex (with or without 0x) into bytes; the digit count must be even.
Result<Bytes> from_hex(std::string_view hex);

/// Decodes hex into exactly `out.size()` bytes.
Result<void> from_hex_into(std::string_view hex, std::span<std::uint8_t> out);

/// "0x" followed by two lowercase digits per byte ("0x" for empty input).
std::string to_hex(ByteView bytes);

/// Two lowercase digits per byte, no prefix.
std::string to_hex_no_prefix(ByteView bytes);

/// Views a string's characters as bytes (UTF-8 data).
inline ByteView as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace sluice

SLUICE_ERROR_ENUM(sluice::HexError)
