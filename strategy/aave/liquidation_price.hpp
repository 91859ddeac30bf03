#pragma once
/// The liquidation price of one asset of an Aave v3 account: the oracle price at which the health factor reaches 1
/// with every other price fixed.
///
/// With the asset's price p (base currency units) as the only variable, GenericLogic's health factor is, rounding
/// aside,
///
///     HF(p) = (A + a p) / (B + b p)
///
///   A = sum over the other collateral reserves of value_i * LT_i / 1e4   (value_i = balance_i * price_i / unit_i)
///   a = sum over the moving collateral reserves of balance_i * LT_i / (unit_i * 1e4)
///   B = sum over the other borrowed reserves of value_j
///   b = sum over the moving borrowed reserves of debt_j / unit_j
///
/// where LT is the eMode category's threshold for assets of the user's category, unit = 10^decimals, and the
/// "moving" reserves are the asset alone, or, when the account math prices the asset with the user's eMode
/// category source, every reserve of the category (they all take that one price). An asset that is collateral
/// and debt at once sits in both a and b. HF(p) = 1 at
///
///     p* = (B - A) / (a - b)
///
/// which is a crossing only when it is positive; below p* the account is liquidatable when a > b (the asset is
/// net collateral), above p* when a < b (net debt). a == b, no debt, or p* <= 0: the health factor never
/// crosses 1 by moving this price (nullopt).

#include "chain/u256.hpp"
#include "strategy/aave/math.hpp"
#include "strategy/aave/types.hpp"

#include <cstdint>
#include <optional>

namespace sluice::aave {

struct LiquidationPrice {
  long double price = 0;  ///< p*, base currency units (1e8 = $1 for a USD oracle)
  /// The integer oracle price where the exact health factor (account_data, every rounding included) crosses
  /// 1e18: the largest price at which HF < 1 when `liquidatable_below`, else the smallest. Found by bisection
  /// around p*; the exact HF is monotone in the price except for the avgLT truncation of at most 1 bps, so this
  /// is the boundary nearest p*.
  U256 exact;
  bool liquidatable_below = true;  ///< HF < 1 at prices below p* (net collateral); false: above p* (net debt)
  /// The asset is priced by the user's eMode category source: `price` is that source's price, and every asset
  /// of the category moves with it.
  bool emode_source = false;
};

/// The liquidation price of `reserve_id` for `user` (see the formula above); nullopt when moving that price can
/// never bring the health factor to 1, or when the exact crossing lies below price 1. Fails like account_data.
Result<std::optional<LiquidationPrice>> liquidation_price(const MarketSnapshot& market, const UserState& user,
                                                          std::uint16_t reserve_id) noexcept;

}  // namespace sluice::aave
