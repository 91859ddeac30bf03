#include "keeper/backtest/uniswap_sync.hpp"

#include "chain/keccak.hpp"

namespace sluice::keeper {

namespace {

/// A uint112 ABI word: the 18 high bytes are zero.
std::optional<U256> uint112_word(ByteView word) noexcept {
  for (std::size_t i = 0; i < 18; ++i)
    if (word[i] != 0) return std::nullopt;
  return U256::from_be(word);
}

}  // namespace

const Hash& sync_topic() {
  static const Hash topic = keccak256(std::string_view("Sync(uint112,uint112)"));
  return topic;
}

std::optional<SyncReserves> decode_sync(const rpc::Log& log) noexcept {
  if (log.topics.size() != 1 || log.topics[0] != sync_topic() || log.data.size() != 64) return std::nullopt;
  const ByteView data(log.data.data(), log.data.size());
  auto r0 = uint112_word(data.subspan(0, 32));
  auto r1 = uint112_word(data.subspan(32, 32));
  if (!r0 || !r1) return std::nullopt;
  return SyncReserves{*r0, *r1};
}

bool apply_sync(std::span<risk::Pool> pools, const rpc::Log& log) noexcept {
  const auto reserves = decode_sync(log);
  if (!reserves) return false;
  bool changed = false;
  for (risk::Pool& pool : pools) {
    if (pool.address != log.address) continue;
    pool.reserve0 = reserves->reserve0;
    pool.reserve1 = reserves->reserve1;
    changed = true;
  }
  return changed;
}

}  // namespace sluice::keeper
