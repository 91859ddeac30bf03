#pragma once
/// The backtest's starting inventory: [backtest] inventory merged with --inventory (the command line wins per
/// symbol), resolved to the book's assets in native units, exactly.

#include "config/keeper_config.hpp"
#include "strategy/book/position_book.hpp"

#include <boost/system/result.hpp>

#include <string>
#include <utility>
#include <vector>

namespace sluice::keeper {

/// `base` with every symbol of `overrides` replaced (or appended), in `base`'s order then the new ones.
std::vector<std::pair<std::string, std::string>> merge_inventory(
    const std::vector<std::pair<std::string, std::string>>& base,
    const std::vector<std::pair<std::string, std::string>>& overrides);

/// Each (symbol, whole-token amount) as (asset, native units). Error, naming the symbol: not in [tokens], not
/// in the book, or an amount that is not a decimal number or has more fraction digits than the token's decimals.
boost::system::result<std::vector<std::pair<book::AssetId, U256>>, std::string> resolve_inventory(
    const config::KeeperConfig& config, const book::PositionBook& book,
    const std::vector<std::pair<std::string, std::string>>& inventory);

}  // namespace sluice::keeper
