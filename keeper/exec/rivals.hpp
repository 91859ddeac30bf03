#pragma once
/// Liquidations in a block's logs made by someone else: Aave Pool LiquidationCall with another liquidator, Morpho
/// Liquidate with another caller. The executor counts a loss to a rival when one names a position it has pending.
#include "chain/rpc/types.hpp"
#include "strategy/book/position_book.hpp"

#include <vector>

namespace sluice::keeper {

/// Positions liquidated in `logs` by anyone but `self`. `aave_pool` / `morpho`: the emitters (zero: not
/// configured). Removed logs (reorgs) and logs that do not decode are ignored.
std::vector<book::PositionKey> rival_liquidations(const std::vector<rpc::Log>& logs, const Address& aave_pool,
                                                  const Address& morpho, const Address& self);

}  // namespace sluice::keeper
