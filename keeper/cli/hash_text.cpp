#include "keeper/cli/hash_text.hpp"

#include "chain/address.hpp"
#include "chain/keccak.hpp"

#include <array>

namespace sluice::cli {

bool is_valid_utf8(ByteView bytes) noexcept {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::uint8_t lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length;
    std::uint32_t code;
    if ((lead & 0xe0) == 0xc0) {
      length = 2;
      code = lead & 0x1f;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3;
      code = lead & 0x0f;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4;
      code = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > bytes.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xc0) != 0x80) return false;
      code = code << 6 | (bytes[i + k] & 0x3f);
    }
    static constexpr std::uint32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += length;
  }
  return true;
}

namespace {

/// UTF-8 encodings of the non-ASCII White_Space code points (U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028,
/// U+2029, U+202F, U+205F, U+3000).
constexpr std::array<std::string_view, 18> kUnicodeSpaces = {
    "\u0085", "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005",
    "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f"};
constexpr std::string_view kIdeographicSpace = "\u3000";

bool ends_with_space(std::string_view text, std::size_t& width) noexcept {
  if (text.empty()) return false;
  const char last = text.back();
  if (last == ' ' || (last >= '\t' && last <= '\r')) {
    width = 1;
    return true;
  }
  for (std::string_view space : kUnicodeSpaces) {
    if (text.ends_with(space)) {
      width = space.size();
      return true;
    }
  }
  if (text.ends_with(kIdeographicSpace)) {
    width = kIdeographicSpace.size();
    return true;
  }
  return false;
}

}  // namespace

std::string_view trim_end_unicode_whitespace(std::string_view text) noexcept {
  std::size_t width = 0;
  while (ends_with_space(text, width)) text.remove_suffix(width);
  return text;
}

Result<std::string> keccak_text(ByteView input) {
  if (!is_valid_utf8(input)) return keccak256(input).hex();
  const std::string_view text{reinterpret_cast<const char*>(input.data()), input.size()};
  if (!text.starts_with("0x")) return keccak256(input).hex();
  auto bytes = from_hex(trim_end_unicode_whitespace(text));
  if (!bytes) return bytes.error();
  return keccak256(ByteView{*bytes}).hex();
}

Result<std::string> checksum_text(std::string_view address, std::optional<std::uint64_t> chain_id) {
  const std::string_view digits = address.starts_with("0x") ? address.substr(2) : address;
  if (digits.size() != 40) return AddressError::wrong_length;
  auto parsed = Address::from_hex(digits);
  if (!parsed) return AddressError::invalid_character;
  return to_checksum(*parsed, chain_id);
}

}  // namespace sluice::cli
