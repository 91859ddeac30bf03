#include "keeper/book/pool_reader.hpp"

#include "keeper/book/state_reader.hpp"
#include "strategy/core/token_reads.hpp"
#include "strategy/risk/pool_reads.hpp"

#include <algorithm>
#include <map>
#include <span>

namespace sluice::keeper {

namespace {
/// eth_calls per JSON-RPC batch when reading pools.
constexpr std::size_t kCallsPerBatch = 64;
}  // namespace

boost::asio::awaitable<PoolsResult> read_pools(rpc::Client& client, const config::KeeperConfig& cfg,
                                               const book::PositionBook& book, std::uint64_t block) {
  std::vector<risk::Pool> pools;
  if (!cfg.uniswap_v2 || cfg.uniswap_v2->pools.empty()) co_return pools;
  const auto& configured = cfg.uniswap_v2->pools;
  StateReader reader(client, kCallsPerBatch);
  std::vector<ContractCall> calls;
  for (const auto& p : configured)
    for (auto& call : risk::pool_reads::pool_calls(p.pair)) calls.push_back(std::move(call));
  const std::string context = "reading the Uniswap v2 pools at block " + std::to_string(block) + ": ";
  auto outcomes = co_await reader.run(calls, rpc::BlockTag(block));
  if (!outcomes) co_return PoolsResult(boost::system::in_place_error, context + outcomes.error().describe());
  for (std::size_t i = 0; i < configured.size(); ++i) {
    auto pool = risk::pool_reads::decode_pool(configured[i].pair,
                                              std::span<const CallOutcome>(*outcomes).subspan(3 * i, 3));
    if (!pool)
      co_return PoolsResult(boost::system::in_place_error,
                            "pool " + configured[i].name + " (" + to_checksum(configured[i].pair) +
                                "): " + pool.error().describe() + " (is [uniswap_v2] pools right?)");
    pools.push_back(*pool);
  }

  std::map<Address, std::uint8_t> decimals;
  std::vector<Address> unknown;
  for (const auto& pool : pools)
    for (const Address& token : {pool.token0, pool.token1}) {
      if (decimals.contains(token) || std::find(unknown.begin(), unknown.end(), token) != unknown.end()) continue;
      if (const auto id = book.find_asset(token))
        decimals[token] = book.asset(*id).decimals;
      else
        unknown.push_back(token);
    }
  if (!unknown.empty()) {
    std::vector<ContractCall> decimal_calls;
    for (const Address& token : unknown) decimal_calls.push_back(token_reads::decimals(token));
    auto answers = co_await reader.run(decimal_calls, rpc::BlockTag(block));
    if (!answers) co_return PoolsResult(boost::system::in_place_error, context + answers.error().describe());
    for (std::size_t i = 0; i < unknown.size(); ++i) {
      auto d = token_reads::decode_decimals((*answers)[i]);
      if (!d)
        co_return PoolsResult(boost::system::in_place_error,
                              "token " + to_checksum(unknown[i]) + " of a pool: " + d.error().describe());
      decimals[unknown[i]] = *d;
    }
  }
  for (auto& pool : pools) {
    pool.decimals0 = decimals.at(pool.token0);
    pool.decimals1 = decimals.at(pool.token1);
  }
  co_return pools;
}

std::vector<std::pair<book::AssetId, book::AssetId>> sell_for_from_pool_names(const config::KeeperConfig& cfg,
                                                                            const book::PositionBook& book) {
  std::vector<std::pair<book::AssetId, book::AssetId>> out;
  if (!cfg.uniswap_v2) return out;
  const auto asset_of = [&](std::string_view symbol) -> std::optional<book::AssetId> {
    const config::TokenConfig* t = cfg.token(symbol);
    return t ? book.find_asset(t->address) : std::nullopt;
  };
  for (const auto& p : cfg.uniswap_v2->pools) {
    const auto slash = p.name.find('/');
    if (slash == std::string::npos) continue;
    const auto base = asset_of(std::string_view(p.name).substr(0, slash));
    const auto quote = asset_of(std::string_view(p.name).substr(slash + 1));
    const bool listed = base && std::any_of(out.begin(), out.end(), [&](const auto& e) { return e.first == *base; });
    if (base && quote && !listed) out.emplace_back(*base, *quote);
  }
  return out;
}

}  // namespace sluice::keeper
