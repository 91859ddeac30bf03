#include "chain/decimal_amount.hpp"

#include <string>

namespace sluice {

namespace {

bool all_digits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

bool is_decimal_amount(std::string_view text) noexcept {
  const auto point = text.find('.');
  if (point == std::string_view::npos) return all_digits(text);
  return all_digits(text.substr(0, point)) && all_digits(text.substr(point + 1));
}

std::optional<U256> parse_decimal_amount(std::string_view text, std::uint8_t decimals) {
  if (!is_decimal_amount(text)) return std::nullopt;
  const auto point = text.find('.');
  std::string digits(text.substr(0, point));
  std::string_view fraction = point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  // Trailing zeros of the fraction carry no value: "1.50" is as exact as "1.5" for a token with 1 decimal.
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  if (fraction.size() > decimals) return std::nullopt;
  digits.append(fraction);
  digits.append(decimals - fraction.size(), '0');
  auto value = U256::from_dec(digits);
  if (!value) return std::nullopt;
  return *value;
}

}  // namespace sluice
