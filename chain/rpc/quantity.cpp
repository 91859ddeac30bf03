#include "chain/rpc/quantity.hpp"

namespace sluice::rpc {

const char* describe(QuantityError e) noexcept {
  switch (e) {
    case QuantityError::missing_prefix: return "quantity must start with 0x";
    case QuantityError::empty: return "quantity has no digits";
    case QuantityError::leading_zero: return "quantity has leading zeros";
    case QuantityError::invalid_character: return "quantity has a character that is not a hex digit";
    case QuantityError::overflow: return "quantity too large";
  }
  return "bad quantity";
}

namespace {

/// Validates the text and returns its significant digits (possibly empty for zero).
Result<std::string_view> significant_digits(std::string_view text, QuantityMode mode) {
  if (text.size() < 2 || text[0] != '0' || text[1] != 'x') return QuantityError::missing_prefix;
  std::string_view digits = text.substr(2);
  if (digits.empty()) {
    if (mode == QuantityMode::strict) return QuantityError::empty;
    return digits;
  }
  for (const char c : digits) {
    const bool lower = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    const bool upper = c >= 'A' && c <= 'F';
    if (!lower && !(upper && mode == QuantityMode::lenient)) return QuantityError::invalid_character;
  }
  if (digits.size() > 1 && digits[0] == '0' && mode == QuantityMode::strict) return QuantityError::leading_zero;
  while (!digits.empty() && digits[0] == '0') digits.remove_prefix(1);
  return digits;
}

}  // namespace

Result<std::uint64_t> parse_quantity_u64(std::string_view text, QuantityMode mode) {
  auto digits = significant_digits(text, mode);
  if (!digits) return digits.error();
  if (digits->size() > 16) return QuantityError::overflow;
  std::uint64_t value = 0;
  for (const char c : *digits) value = (value << 4) | static_cast<std::uint64_t>(hex_digit_value(c));
  return value;
}

Result<U256> parse_quantity(std::string_view text, QuantityMode mode) {
  auto digits = significant_digits(text, mode);
  if (!digits) return digits.error();
  if (digits->size() > 64) return QuantityError::overflow;
  U256 value;
  for (const char c : *digits) value = (value << 4) | U256(static_cast<std::uint64_t>(hex_digit_value(c)));
  return value;
}

std::string to_quantity(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char buffer[18];
  char* end = buffer + sizeof buffer;
  char* p = end;
  do {
    *--p = kDigits[value & 0xf];
    value >>= 4;
  } while (value != 0);
  *--p = 'x';
  *--p = '0';
  return std::string(p, end);
}

std::string to_quantity(const U256& value) { return value.to_hex(); }

}  // namespace sluice::rpc
