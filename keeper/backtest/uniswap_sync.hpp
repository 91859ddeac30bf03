#pragma once
/// Uniswap v2 `Sync(uint112 reserve0, uint112 reserve1)`: every pair emits it whenever its reserves change
/// (UniswapV2Pair._update), with the new reserves. The backtest follows the configured pools by these logs
/// instead of re-reading getReserves every block.

#include "chain/rpc/types.hpp"
#include "strategy/risk/uniswap_v2.hpp"

#include <optional>
#include <span>

namespace sluice::keeper {

/// keccak256("Sync(uint112,uint112)").
const Hash& sync_topic();

struct SyncReserves {
  U256 reserve0;
  U256 reserve1;
};

/// The reserves of a Sync log; nullopt when the topic is not Sync or the data is not two uint112 words.
std::optional<SyncReserves> decode_sync(const rpc::Log& log) noexcept;

/// Applies a Sync log to the pool it came from (by address), if `pools` holds it. Returns whether one changed.
bool apply_sync(std::span<risk::Pool> pools, const rpc::Log& log) noexcept;

}  // namespace sluice::keeper
