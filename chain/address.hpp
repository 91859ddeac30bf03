#pragma once
/// 20-byte account address with EIP-55 mixed-case checksums (https://eips.ethereum.org/EIPS/eip-55).

#include "chain/fixed_bytes.hpp"

namespace sluice {

using Address = FixedBytes<20>;

enum class AddressError {
  wrong_length = 1,  ///< not 40 hex digits
  invalid_character,
  bad_checksum,      ///< mixed case that is not the EIP-55 checksum
};
const char* describe(AddressError e) noexcept;
SLUICE_ERROR_CATEGORY(AddressError, "address")

/// Parses 40 hex digits (0x optional). All-lowercase or all-uppercase is accepted as is; mixed case must be
/// the exact EIP-55 checksum.
Result<Address> parse_address(std::string_view text);

/// EIP-55 checksummed "0x..." form; with a chain id, the EIP-1191 variant
/// (https://eips.ethereum.org/EIPS/eip-1191) that hashes "<chain id>0x<lowercase hex>" instead.
std::string to_checksum(const Address& address, std::optional<std::uint64_t> eip1191_chain_id = std::nullopt);

}  // namespace sluice

SLUICE_ERROR_ENUM(sluice::AddressError)
