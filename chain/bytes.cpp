#include "chain/bytes.hpp"

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

/// Decodes digits (no prefix) into exactly `out.size()` bytes.
Result<void> decode_digits(std::string_view hex, std::span<std::uint8_t> out) {
  if (hex.size() % 2 != 0) return HexError::odd_length;
  if (hex.size() != out.size() * 2) return HexError::wrong_length;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit_value(hex[2 * i]);
    const int lo = hex_digit_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return HexError::invalid_character;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
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
