#include "keeper/exec/rivals.hpp"

#include "strategy/aave/events.hpp"
#include "strategy/morpho/events.hpp"

namespace sluice::keeper {

std::vector<book::PositionKey> rival_liquidations(const std::vector<rpc::Log>& logs, const Address& aave_pool,
                                                  const Address& morpho, const Address& self) {
  std::vector<book::PositionKey> out;
  const Address zero{};
  for (const auto& log : logs) {
    if (log.removed || log.topics.empty()) continue;
    if (aave_pool != zero && log.address == aave_pool && log.topics[0] == aave::events::liquidation_call_topic()) {
      auto e = aave::events::decode_liquidation_call(log);
      if (e && e->liquidator != self) out.push_back(book::PositionKey{Protocol::aave_v3, e->user, {}});
    } else if (morpho != zero && log.address == morpho && log.topics[0] == morpho::events::liquidate_topic()) {
      auto e = morpho::events::decode_liquidate(log);
      if (e && e->caller != self) out.push_back(book::PositionKey{Protocol::morpho_blue, e->borrower, e->market});
    }
  }
  return out;
}

}  // namespace sluice::keeper
