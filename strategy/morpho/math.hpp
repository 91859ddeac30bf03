#pragma once
/// Morpho Blue math on `types.hpp` state, exact to the wei: market id, `_accrueInterest` (wTaylorCompounded, fee
/// shares), `_isHealthy` (borrowed rounded up, max borrow rounded down), the liquidation incentive factor and
/// `liquidate`'s seized assets, repaid shares and bad-debt realisation. Pure; every failure is a value.

#include "chain/error.hpp"
#include "strategy/morpho/types.hpp"

namespace sluice::morpho {

enum class MorphoError {
  overflow = 1,        ///< the contract would revert on overflow (or uint128 cast) here
  inconsistent_input,  ///< ErrorsLib.INCONSISTENT_INPUT: not exactly one of seized assets / repaid shares is zero
  healthy_position,    ///< ErrorsLib.HEALTHY_POSITION
  insufficient_collateral,  ///< more collateral seized than the position holds (underflow revert)
  insufficient_borrow,      ///< more shares repaid than the position owes (underflow revert)
  zero_price,          ///< oracle price of zero where the contract divides by it (liquidate by repaid shares);
                       ///< elsewhere a zero price is what the contract computes with (max borrow 0)
};
const char* describe(MorphoError e) noexcept;
SLUICE_ERROR_CATEGORY(MorphoError, "morpho")

constexpr std::uint64_t kWad = 1'000'000'000'000'000'000ULL;

/// keccak256(abi.encode(loanToken, collateralToken, oracle, irm, lltv)).
MarketId market_id(const MarketParams& params) noexcept;

/// Morpho._accrueInterest to `timestamp` with `borrow_rate` (WAD per second): interest =
/// totalBorrowAssets.wMulDown(rate.wTaylorCompounded(elapsed)); fee shares minted on the fee part. A timestamp
/// not after last_update returns the state unchanged.
Result<MarketState> accrue_interest(const MarketState& state, const U256& borrow_rate,
                                    std::uint64_t timestamp) noexcept;

/// Borrowed assets of a position, rounded up as `_isHealthy` does (toAssetsUp).
Result<U256> borrowed_assets(const MarketState& state, const Position& position) noexcept;
/// Max borrow: collateral.mulDivDown(price, 1e36).wMulDown(lltv), in loan token units.
Result<U256> max_borrow(const MarketParams& params, const Position& position, const U256& oracle_price) noexcept;
/// Morpho._isHealthy with the given oracle price (a position without borrow shares is healthy).
Result<bool> is_healthy(const MarketParams& params, const MarketState& state, const Position& position,
                        const U256& oracle_price) noexcept;
/// Health factor as a WAD ratio max_borrow / borrowed (U256 max with no debt); for reports and sorting: the
/// contract itself only compares, and is_healthy is the exact decision.
Result<U256> health_factor(const MarketParams& params, const MarketState& state, const Position& position,
                           const U256& oracle_price) noexcept;

/// min(MAX_LIQUIDATION_INCENTIVE_FACTOR = 1.15e18, WAD.wDivDown(WAD - LIQUIDATION_CURSOR.wMulDown(WAD - lltv))).
U256 liquidation_incentive_factor(const U256& lltv) noexcept;

/// What `liquidate(params, borrower, seizedAssets, repaidShares, data)` moves, from an accrued market state.
struct LiquidationOutcome {
  U256 seized_assets;     ///< collateral units to the liquidator
  U256 repaid_shares;
  U256 repaid_assets;     ///< loan units the liquidator pays (toAssetsUp)
  U256 bad_debt_shares;   ///< realised when the position's collateral reaches zero
  U256 bad_debt_assets;
  MarketState state_after;
  Position position_after;
};

/// Morpho.liquidate's amounts on a market already accrued to the liquidation's timestamp: exactly one of
/// `seized_assets` and `repaid_shares` is non-zero, as the contract requires.
Result<LiquidationOutcome> liquidate(const MarketParams& params, const MarketState& accrued_state,
                                     const Position& position, const U256& oracle_price, const U256& seized_assets,
                                     const U256& repaid_shares) noexcept;

/// The largest liquidation of an unhealthy position: all its collateral seized when its debt is worth more than
/// the collateral with the incentive, otherwise all its borrow shares repaid (the seized amount then follows).
Result<LiquidationOutcome> liquidate_max(const MarketParams& params, const MarketState& accrued_state,
                                         const Position& position, const U256& oracle_price) noexcept;

/// liquidate_max for a position the caller has just found unhealthy (is_healthy false) at the same state, position
/// and price, with `lif` = liquidation_incentive_factor(params.lltv): the same outcome without running the health
/// check and the factor again (a simulation that decides, then liquidates, the same position).
Result<LiquidationOutcome> liquidate_max_unhealthy(const MarketState& accrued_state, const Position& position,
                                                   const U256& oracle_price, const U256& lif) noexcept;

}  // namespace sluice::morpho

SLUICE_ERROR_ENUM(sluice::morpho::MorphoError)
