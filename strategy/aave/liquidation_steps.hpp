#pragma once
/// executeLiquidationCall from the point where the user's balances are known (internal to strategy: the cascade
/// engine, which keeps every position's balances, enters here instead of recomputing them).

#include "chain/ray_divisor.hpp"
#include "strategy/aave/math.hpp"

namespace sluice::aave::detail {

/// Scaled amounts the liquidation computes on its way, each present only when it equals the burn the tokens do
/// (ScaledBalanceTokenBase._burn: amount rayDiv index, half up): the caller applying the burns need not divide
/// again.
struct LiquidationScaled {
  /// collateral_to_liquidator rayDiv normalized income (computed when there is a protocol fee)
  std::optional<U256> collateral_to_liquidator;
  /// protocol_fee rayDiv normalized income (when the fee is not capped)
  std::optional<U256> protocol_fee;
  /// debt_repaid rayDiv normalized debt (when the variable debt covers all of it)
  std::optional<U256> debt_repaid;
};

/// LiquidationLogic._getConfigurationData: the bonus and the two prices.
struct PricesAndBonus {
  U256 collateral_price;
  U256 debt_price;
  std::uint16_t bonus_bps = 0;
};

/// LiquidationLogic._calculateAvailableCollateralToLiquidate: collateral for `debt_to_cover` plus the bonus, or,
/// when the user holds less, all of it and the debt it pays for; the protocol takes its fee out of the bonus part.
struct CollateralAmounts {
  U256 to_liquidator;
  U256 debt_needed;
  U256 protocol_fee;
};

/// The amounts, or the revert, of _calculateAvailableCollateralToLiquidate (Aave v3.0, Solidity 0.8 checked
/// 256-bit arithmetic). Common inputs (prices below 2^64, at most 19 decimals, amounts and every intermediate within
/// 128 bits) take native 128-bit arithmetic with the same results; the rest take available_collateral_wide.
Result<CollateralAmounts> available_collateral(const Reserve& collateral, const Reserve& debt,
                                               const PricesAndBonus& p, const U256& debt_to_cover,
                                               const U256& user_collateral) noexcept;

/// The same, always in the contract's 256-bit steps (the reference the 128-bit path is tested against).
Result<CollateralAmounts> available_collateral_wide(const Reserve& collateral, const Reserve& debt,
                                                    const PricesAndBonus& p, const U256& debt_to_cover,
                                                    const U256& user_collateral) noexcept;

/// What narrow_max_liquidation computes: liquidation()'s amounts, and the scaled amounts the tokens burn from the
/// user (ScaledBalanceTokenBase._burn: amount rayDiv index, half up).
struct NarrowLiquidation {
  uint128 debt_repaid = 0;
  uint128 collateral_to_liquidator = 0;
  uint128 protocol_fee = 0;
  /// aTokens leaving the user: collateral_to_liquidator and protocol_fee, each rayDiv the normalized income.
  uint128 scaled_collateral_burn = 0;
  uint128 scaled_debt_burn = 0;  ///< variable debt tokens burnt: debt_repaid rayDiv the normalized debt
  std::uint16_t close_factor_bps = 0;
  std::uint16_t liquidation_bonus_bps = 0;
};

/// Fixed divisors for narrow_max_liquidation's rayDivs: the collateral reserve's liquidity index and the debt
/// reserve's variable borrow index, for callers that divide by the same indexes many times (a cascade). Either may
/// be null; one whose value is not the index in the snapshot is not used.
struct IndexDivisors {
  const RayDivisor* income = nullptr;
  const RayDivisor* debt = nullptr;
};

/// liquidation() with debt_to_cover = max, in native 128-bit arithmetic, for the common case: collateral and debt
/// reserves whose indexes are at the snapshot's clock, no stable debt, and the user's balances (`collateral_balance`
/// aTokens, `scaled_collateral` its scaled balance, `variable_debt`) below 2^128, as the contract would compute
/// them. The same amounts as liquidation_from_balances (the protocol fee capped by what is left, as there), or
/// nullopt wherever the call would revert, the repayment would reach stable debt, or a value leaves 128 bits; the
/// caller then runs liquidation_from_balances, which decides those cases.
std::optional<NarrowLiquidation> narrow_max_liquidation(const MarketSnapshot& market, const UserState& user,
                                                        std::uint16_t collateral_id, std::uint16_t debt_id,
                                                        const U256& health_factor, uint128 collateral_balance,
                                                        uint128 scaled_collateral, uint128 variable_debt,
                                                        const IndexDivisors& divisors = {}) noexcept;

/// liquidation(market, user, request, account) after its reserve lookups and debt balance reads: `stable_debt` and
/// `variable_debt` are the user's balances in the debt reserve (as Helpers.getUserCurrentDebt reads them), and
/// `collateral_balance_known`, when not null, the aToken balance in the collateral reserve (otherwise read at the
/// contract's point, after validation). `collateral_balances` is the user's entry for the collateral reserve (its
/// scaled balance caps the protocol fee). The same result and the same error as liquidation(); `scaled`, when not
/// null, receives the scaled amounts computed on the way.
Result<LiquidationOutcome> liquidation_from_balances(const MarketSnapshot& market, const UserState& user,
                                                     const LiquidationRequest& request, const AccountData& account,
                                                     const Reserve& collateral_reserve, const Reserve& debt_reserve,
                                                     const UserReserve& collateral_balances, const U256& stable_debt,
                                                     const U256& variable_debt,
                                                     const U256* collateral_balance_known,
                                                     LiquidationScaled* scaled = nullptr) noexcept;

}  // namespace sluice::aave::detail
