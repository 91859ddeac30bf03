#include "strategy/backtest/order_simulation.hpp"

namespace sluice::backtest {

SimulatedLiquidation from_order(std::uint64_t decided_block, const plan::LiquidationOrder& order,
                                const book::PositionBook* book) {
  SimulatedLiquidation s;
  s.decided_block = decided_block;
  s.key = order.key;
  if (book != nullptr) {
    s.collateral_token = book->asset(order.collateral).address;
    s.debt_token = book->asset(order.debt).address;
  }
  s.debt_to_cover = order.debt_to_cover;
  s.morpho_seized_assets = order.morpho_seized_assets;
  s.morpho_repaid_shares = order.morpho_repaid_shares;
  s.expected_debt_repaid = order.expected_debt_repaid;
  s.expected_collateral_seized = order.expected_collateral_seized;
  s.debt_repaid = order.expected_debt_repaid;
  s.collateral_seized = order.expected_collateral_seized;
  s.repaid_usd = order.repaid_usd;
  s.seized_usd = order.seized_usd;
  s.gas_usd = order.gas_usd;
  s.slippage_usd = order.slippage_usd;
  s.profit_usd = order.profit_usd;
  return s;
}

}  // namespace sluice::backtest
