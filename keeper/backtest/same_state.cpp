#include "keeper/backtest/same_state.hpp"

#include "strategy/aave/events.hpp"
#include "strategy/morpho/events.hpp"

#include <algorithm>

namespace sluice::keeper {

namespace {

bool names(const std::vector<Address>& accounts, const Address& account) {
  return std::find(accounts.begin(), accounts.end(), account) != accounts.end();
}

/// Whether `log` (from an earlier transaction) may change `key`'s position or the prices it is valued at.
bool changes(const rpc::Log& log, const book::PositionKey& key, const FollowedContracts& c) {
  const bool aave = key.protocol == Protocol::aave_v3;
  if (!c.aave_pool.is_zero() && log.address == c.aave_pool) {
    auto touches = aave::events::decode_pool_log(log);
    if (!touches) return true;
    // Market-wide ReserveDataUpdated only moves rates: indexes accrue by timestamp, the same for the whole block.
    return aave && names(touches->accounts, key.account);
  }
  if (c.a_tokens.contains(log.address)) {
    auto touches = aave::events::decode_a_token_log(log);
    if (!touches) return true;
    return aave && names(touches->accounts, key.account);
  }
  if (!c.morpho.is_zero() && log.address == c.morpho) {
    auto touches = morpho::events::decode_log(log);
    if (!touches) return true;
    // Any change of the market (totals, shares, its oracle read) changes the position's conversion.
    return !aave && touches->market == key.market;
  }
  return true;  // feeds, the oracle, the configurator: prices or parameters
}

}  // namespace

bool same_state(std::span<const rpc::Log> block_logs, const rpc::Log& event, const book::PositionKey& key,
                const FollowedContracts& contracts) {
  const std::uint64_t tx = event.transaction_index.value_or(0);
  for (const rpc::Log& log : block_logs) {
    if (log.transaction_index.value_or(0) >= tx) continue;
    if (changes(log, key, contracts)) return false;
  }
  return true;
}

}  // namespace sluice::keeper
