#pragma once
/// Whole-token decimal amounts ("250000", "1.5") to native units, exactly (no floating point): the inverse of
/// formatting a balance with the token's decimals, as `cast parse-units` does.

#include "chain/u256.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice {

/// True for a plain non-negative decimal number: digits, optionally a point and more digits ("1", "1.5", "0.25";
/// not "", ".5", "1.", "-1", "1e3", "1_000").
bool is_decimal_amount(std::string_view text) noexcept;

/// `text` (is_decimal_amount) times 10^decimals, exactly. nullopt when the syntax is wrong, when the amount has
/// more fraction digits than `decimals` (not representable: never rounded), or when it does not fit 256 bits.
std::optional<U256> parse_decimal_amount(std::string_view text, std::uint8_t decimals);

}  // namespace sluice
