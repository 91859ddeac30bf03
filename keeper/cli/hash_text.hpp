#pragma once
/// Pure logic of `sluice chain keccak` and `sluice chain to-checksum`, matching Foundry's cast byte for byte.

#include "chain/bytes.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::cli {

/// cast keccak: valid UTF-8 starting with "0x" is hex (trailing Unicode white space ignored), any other UTF-8 text
/// is hashed as its bytes, and input that is not UTF-8 is hashed as raw bytes. Returns the 0x-prefixed digest.
Result<std::string> keccak_text(ByteView input);

/// cast to-check-sum-address: 40 hex digits, 0x optional, any letter case (the input's checksum is not checked);
/// with a chain id, the EIP-1191 checksum.
Result<std::string> checksum_text(std::string_view address, std::optional<std::uint64_t> chain_id);

/// True if `bytes` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(ByteView bytes) noexcept;

/// `text` without trailing characters of Unicode's White_Space property, as Rust's str::trim_end.
std::string_view trim_end_unicode_whitespace(std::string_view text) noexcept;

}  // namespace sluice::cli
