#pragma once
/// Whether an on-chain liquidation ran on the state of the end of the previous block, as far as its position is
/// concerned: no earlier transaction of its block emitted a followed log that could change the position or its
/// prices. Then Sluice's order sized on the book at block - 1 (clock at the block) must produce exactly the
/// event's amounts. Conservative: any followed log that is not the position's own protocol traffic (a price feed's
/// AnswerUpdated, an oracle source change, a configuration change) counts as a change.

#include "chain/rpc/types.hpp"
#include "strategy/book/position_book.hpp"

#include <set>
#include <span>

namespace sluice::keeper {

struct FollowedContracts {
  Address aave_pool;           ///< zero when Aave is not configured
  Address morpho;              ///< zero when Morpho is not configured
  std::set<Address> a_tokens;  ///< Aave aTokens (BalanceTransfer moves collateral between accounts)
};

/// `block_logs`: the book's logs of the event's block (the pools' Sync logs excluded: oracles, not pools, price
/// positions). Logs of the event's own transaction do not count (the liquidation emits them itself).
bool same_state(std::span<const rpc::Log> block_logs, const rpc::Log& event, const book::PositionKey& key,
                const FollowedContracts& contracts);

}  // namespace sluice::keeper
