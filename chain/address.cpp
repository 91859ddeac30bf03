#include "chain/address.hpp"

#include "chain/keccak.hpp"

#include <cctype>

namespace sluice {

const char* describe(AddressError e) noexcept {
  switch (e) {
    case AddressError::wrong_length: return "address must be 40 hex digits";
    case AddressError::invalid_character: return "invalid hex character in address";
    case AddressError::bad_checksum: return "address has an invalid EIP-55 checksum";
  }
  return "unknown address error";
}

std::string to_checksum(const Address& address, std::optional<std::uint64_t> eip1191_chain_id) {
  const std::string lower = to_hex_no_prefix(address.view());
  const std::string hashed = eip1191_chain_id ? std::to_string(*eip1191_chain_id) + "0x" + lower : lower;
  const Hash digest = keccak256(std::string_view{hashed});
  std::string out = "0x" + lower;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const int nibble = (digest.bytes[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
    if (nibble >= 8) out[2 + i] = static_cast<char>(std::toupper(static_cast<unsigned char>(lower[i])));
  }
  return out;
}

Result<Address> parse_address(std::string_view text) {
  const std::string_view digits = strip_0x(text);
  if (digits.size() != 40) return AddressError::wrong_length;
  bool has_lower = false, has_upper = false;
  for (char c : digits) {
    if (hex_digit_value(c) < 0) return AddressError::invalid_character;
    has_lower |= (c >= 'a' && c <= 'f');
    has_upper |= (c >= 'A' && c <= 'F');
  }
  auto address = Address::from_hex(digits);
  if (!address) return address.error();
  if (has_lower && has_upper && to_checksum(*address).substr(2) != digits) return AddressError::bad_checksum;
  return *address;
}

}  // namespace sluice
