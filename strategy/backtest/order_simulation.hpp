#pragma once
/// A planner order as a backtest liquidation before (or without) its eth_call: the order's arguments and its exact
/// expected amounts, which stand for the simulated ones until a simulation replaces them.

#include "strategy/backtest/report.hpp"
#include "strategy/plan/planner.hpp"

#include <cstdint>

namespace sluice::backtest {

/// `decided_block`: the block at whose end the order was decided. Tokens are left zero when `book` is null.
SimulatedLiquidation from_order(std::uint64_t decided_block, const plan::LiquidationOrder& order,
                                const book::PositionBook* book = nullptr);

}  // namespace sluice::backtest
