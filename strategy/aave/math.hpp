#pragma once
/// Aave v3.0 math on `types.hpp` state, exact to the wei: ReserveConfiguration decoding, ReserveLogic's
/// normalized income and debt (MathUtils linear and 3-term compounded interest), StableDebtToken.balanceOf,
/// GenericLogic.calculateUserAccountData and LiquidationLogic's amounts. Pure; every failure is a value.

#include "chain/error.hpp"
#include "strategy/aave/types.hpp"

namespace sluice::aave {

enum class AaveError {
  unknown_reserve = 1,   ///< a reserve id outside the snapshot
  missing_price,         ///< no oracle price (or zero) for a reserve the account uses
  overflow,              ///< the contract would revert on overflow here
  health_factor_not_below_threshold,  ///< liquidation of a healthy account (Errors.HEALTH_FACTOR_NOT_BELOW_THRESHOLD, 45)
  collateral_cannot_be_liquidated,    ///< collateral not enabled or LT 0 (Errors.COLLATERAL_CANNOT_BE_LIQUIDATED, 46)
  specified_currency_not_borrowed,    ///< no debt in the debt reserve (Errors.SPECIFIED_CURRENCY_NOT_BORROWED_BY_USER, 47)
  reserve_inactive,                   ///< Errors.RESERVE_INACTIVE (27)
  reserve_paused,                     ///< Errors.RESERVE_PAUSED (29)
  invalid_burn_amount,     ///< the repaid variable debt scales down to 0 (Errors.INVALID_BURN_AMOUNT, 25)
  unknown_emode_category,  ///< the user's eMode category is not in the snapshot
};
const char* describe(AaveError e) noexcept;
SLUICE_ERROR_CATEGORY(AaveError, "aave")

/// Decodes a ReserveConfigurationMap word.
ReserveConfig decode_reserve_config(const U256& bitmap) noexcept;

/// ReserveLogic.getNormalizedIncome at `timestamp` (RAY): the liquidity index with linear interest accrued.
Result<U256> normalized_income(const Reserve& reserve, std::uint64_t timestamp) noexcept;
/// ReserveLogic.getNormalizedDebt at `timestamp` (RAY): the variable borrow index with compounded interest.
Result<U256> normalized_debt(const Reserve& reserve, std::uint64_t timestamp) noexcept;
/// MathUtils.calculateLinearInterest (RAY).
Result<U256> linear_interest(const U256& rate_ray, std::uint64_t last_update, std::uint64_t timestamp) noexcept;
/// MathUtils.calculateCompoundedInterest, the 3-term binomial approximation (RAY).
Result<U256> compounded_interest(const U256& rate_ray, std::uint64_t last_update, std::uint64_t timestamp) noexcept;

/// StableDebtToken.balanceOf at `timestamp`: principal rayMul the compounded interest of the user's stable rate
/// since their last update (0 when the principal is 0).
Result<U256> stable_debt_balance(const StableDebt& debt, std::uint64_t timestamp) noexcept;

/// AToken.balanceOf: scaled balance rayMul normalized income (native units).
Result<U256> collateral_balance(const MarketSnapshot& market, const UserReserve& user) noexcept;
/// Variable debt (scaled rayMul normalized debt) plus StableDebtToken.balanceOf (native units).
Result<U256> debt_balance(const MarketSnapshot& market, const UserReserve& user) noexcept;

/// GenericLogic.calculateUserAccountData: equal to Pool.getUserAccountData at the snapshot's block and timestamp.
Result<AccountData> account_data(const MarketSnapshot& market, const UserState& user) noexcept;

/// GenericLogic.calculateAvailableBorrows, the third field of Pool.getUserAccountData: percentMul(collateral,
/// avgLtv) less the debt, floored at 0 (base currency units).
Result<U256> available_borrows(const AccountData& data) noexcept;

/// The price the account math uses for a reserve given the user's eMode (the category's price source when the
/// reserve is in the user's category and the source is set; otherwise the oracle price).
Result<U256> account_price(const MarketSnapshot& market, const UserState& user, std::uint16_t reserve_id) noexcept;

/// LiquidationLogic.executeLiquidationCall's amounts: close factor (50%, 100% at HF <= 0.95), bonus (eMode's when
/// the collateral is in the user's category), protocol fee, and the case where the collateral is insufficient.
/// Fails with the error the Pool would revert with, checked in the contract's order. `protocol_fee` is what reaches
/// the treasury (capped at the user's remaining aToken balance as the contract caps it). Not modelled: the
/// PriceOracleSentinel (L2 markets only) and, with receiveAToken = false, the AToken burn's INVALID_BURN_AMOUNT
/// when the seized collateral scales down to 0.
Result<LiquidationOutcome> liquidation(const MarketSnapshot& market, const UserState& user,
                                       const LiquidationRequest& request) noexcept;
/// The same with the account's totals already at hand: `account` must be account_data(market, user) (a caller
/// that has just computed it to decide the call, e.g. the cascade engine, saves computing it twice).
Result<LiquidationOutcome> liquidation(const MarketSnapshot& market, const UserState& user,
                                       const LiquidationRequest& request, const AccountData& account) noexcept;

}  // namespace sluice::aave

SLUICE_ERROR_ENUM(sluice::aave::AaveError)
