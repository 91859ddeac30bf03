#pragma once
/// Why a simulated or mined liquidation reverted, decoded from the revert data (Error(string) with Aave v3's
/// numeric codes, Morpho Blue's messages, Panic(uint256), ERC-20 messages, custom errors by selector) and how long
/// the candidate cools down for that reason: a position that is merely healthy again is re-checked at the next
/// price change, a paused reserve much later, a missing allowance not at all once approved.
#include "chain/bytes.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::plan {

enum class RevertKind {
  position_healthy = 1,       ///< Aave 45 HEALTH_FACTOR_NOT_BELOW_THRESHOLD, Morpho "position is healthy"
  collateral_not_liquidatable,///< Aave 46 COLLATERAL_CANNOT_BE_LIQUIDATED (not enabled / LT 0)
  debt_not_borrowed,          ///< Aave 47 SPECIFIED_CURRENCY_NOT_BORROWED_BY_USER
  nothing_to_liquidate,       ///< Morpho "inconsistent input", zero amounts, seized more than the collateral
  reserve_unavailable,        ///< Aave reserve inactive, paused or frozen (27, 28, 29...), Morpho market unknown
  insufficient_inventory,     ///< ERC-20 transfer amount exceeds balance / Morpho "transfer from reverted"
  insufficient_allowance,     ///< ERC-20 insufficient allowance
  price_oracle,               ///< a zero or failing oracle price (Aave 102/103-style sentinel, panic in oracle)
  arithmetic,                 ///< Panic(0x11) and other panics
  out_of_gas,                 ///< node reported out of gas / empty revert with gas exhausted
  unknown,                    ///< anything else (the raw text is kept)
};

struct RevertReason {
  RevertKind kind = RevertKind::unknown;
  /// Human text for logs and the journal: "Aave 45 HEALTH_FACTOR_NOT_BELOW_THRESHOLD", "Morpho: position is
  /// healthy", "Panic(0x11) arithmetic overflow", "custom error 0x1234abcd", "execution reverted".
  std::string text;
};

/// Decodes revert data (may be empty) and the node's message (used when the data is empty or undecodable).
RevertReason classify_revert(ByteView revert_data, std::string_view node_message);

/// Blocks a candidate is left alone after a revert of this kind (0: retry at once after the cause is fixed).
std::uint32_t cooldown_blocks(RevertKind kind) noexcept;

/// "position_healthy", "insufficient_inventory", ... (metrics label values).
const char* revert_kind_name(RevertKind kind) noexcept;

}  // namespace sluice::plan
