#pragma once
/// Sizing one liquidation with the protocols' exact math, capped by the debt asset on hand. Aave: for every
/// (enabled collateral, borrowed debt) pair, debt_to_cover = min(the close factor's maximum, balance), the exact
/// seizure for that amount (aave::liquidation with the account data the book caches), the pair with the largest
/// seized - repaid - slippage kept. Morpho: morpho::liquidate_max on the market accrued to the book's clock; when it
/// repays more than the balance, the largest `seizedAssets` whose exact repaid assets fit the balance (bisection
/// on morpho::liquidate, which is monotone in seizedAssets).
#include "strategy/plan/planner.hpp"

#include <functional>

namespace sluice::plan {

struct Sizing {
  std::optional<LiquidationOrder> order;  ///< amounts, repaid/seized/slippage USD; gas and profit not yet filled
  SkipReason skip = SkipReason::none;     ///< no_inventory, bad_debt_only or math_error when no order
  std::string detail;
};

/// Native units of an asset on hand.
using BalanceOf = std::function<U256(book::AssetId)>;
/// Expected USD slippage of selling `amount` of a seized collateral (0 when it is kept).
using SlippageOf = std::function<double(book::AssetId, const U256&)>;

/// Sizes the liquidation of `view` (a liquidatable position of `book`).
Sizing size_liquidation(const book::PositionBook& book, const book::PositionView& view, const BalanceOf& balance,
                        const SlippageOf& slippage);

}  // namespace sluice::plan
