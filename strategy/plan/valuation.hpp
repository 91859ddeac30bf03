#pragma once
/// USD values of token amounts as the planner sees them (floating point: for ranking and the profit threshold, never
/// for amounts sent on chain).
#include "strategy/book/position_book.hpp"

#include <optional>

namespace sluice::plan {

/// USD per whole token of `asset`: the book's USD price (8 decimals), or, while that is zero, the Aave oracle's price
/// of the reserve with that asset (base currency USD, BASE_CURRENCY_UNIT). nullopt when neither is known.
std::optional<double> usd_price(const book::PositionBook& book, book::AssetId asset) noexcept;

/// `amount` native units of `asset` in USD (0 when the price is unknown).
double usd_value(const book::PositionBook& book, book::AssetId asset, const U256& amount) noexcept;

}  // namespace sluice::plan
