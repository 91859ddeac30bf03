#pragma once
/// The journal's text for a position ("aave-v3:0x<account>", "morpho-blue:0x<market>:0x<account>"), and back
/// (restart: a journaled liquidation names the position it is for).
#include "strategy/book/position_book.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace sluice::keeper {

/// Checksummed account, lowercase market id.
std::string subject_of(const book::PositionKey& key);
/// nullopt for anything subject_of cannot produce.
std::optional<book::PositionKey> parse_subject(std::string_view text);

}  // namespace sluice::keeper
