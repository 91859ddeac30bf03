#include "chain/bytes.hpp"

#include <array>

namespace sluice {

const char* describe(HexError e) noexcept {
  switch (e) {
    case HexError::invalid_character: return "invalid hex character";
    case HexError::odd_length: return "odd number of hex digits";
    case HexError::wrong_length: return "hex value has the wrong length";
  }
  return "unknown hex error";
}

namespace {

/// Hex digit values, 0xff for anything else: one table load per digit and one branch per value (not per digit),
/// since hex decoding dominates JSON-RPC result decoding (hashes, addresses, data).
constexpr auto kHexTable = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const int v = hex_digit_value(static_cast<char>(c));
    table[static_cast<std::size_t>(c)] = v < 0 ? 0xff : static_cast<std::uint8_t>(v);
  }
  return table;
}();

/// Decodes digits (no prefix) into exactly `out.size()` bytes.
Result<void> decode_digits(std::string_view hex, std::span<std::uint8_t> out) {
  if (hex.size() % 2 != 0) return HexError::odd_length;
  if (hex.size() != out.size() * 2) return HexError::wrong_length;
  std::uint8_t invalid = 0;  // any digit's 0xff marks the whole value invalid
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::uint8_t hi = kHexTable[static_cast<unsigned char>(hex[2 * i])];
    const std::uint8_t lo = kHexTable[static_cast<unsigned char>(hex[2 * i + 1])];
    invalid |= static_cast<std::uint8_t>((hi | lo) & 0xf0);
    out[i] = static_cast<std::uint8_t>(hi << 4 | (lo & 0x0f));
  }
  if (invalid != 0) return HexError::invalid_character;
  return {};
}

}  // namespace

Result<void> from_hex_into(std::string_view hex, std::span<std::uint8_t> out) {
  return decode_digits(strip_0x(hex), out);
}

Result<Bytes> from_hex(std::string_view hex) {
  hex = strip_0x(hex);
  if (hex.size() % 2 != 0) return HexError::odd_length;
  Bytes out(hex.size() / 2);
  if (auto r = decode_digits(hex, out); !r) return r.error();
  return out;
}

std::string to_hex_no_prefix(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

std::string to_hex(ByteView bytes) { return "0x" + to_hex_no_prefix(bytes); }

}  // namespace sluice
