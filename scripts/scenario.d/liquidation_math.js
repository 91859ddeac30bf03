// The competitor's decisions, pure: is a position liquidatable and what to pass to the protocol.
// Aave v3.0 (@aave/core-v3 1.19.3, LiquidationLogic.sol): health factor below 1e18; close factor 50%, 100% when
// HF <= 0.95e18. Morpho Blue 1.0 (Morpho.sol _isHealthy / liquidate, ConstantsLib, MathLib, SharesMathLib).
'use strict';

const WAD = 10n ** 18n;
const ORACLE_PRICE_SCALE = 10n ** 36n;
const VIRTUAL_SHARES = 10n ** 6n;
const VIRTUAL_ASSETS = 1n;
const LIQUIDATION_CURSOR = 3n * 10n ** 17n;
const MAX_LIQUIDATION_INCENTIVE_FACTOR = 115n * 10n ** 16n;
const HF_THRESHOLD = WAD;
const CLOSE_FACTOR_HF_THRESHOLD = 95n * 10n ** 16n;

const mulDivDown = (x, y, d) => (x * y) / d;
const mulDivUp = (x, y, d) => (x * y + (d - 1n)) / d;
const wMulDown = (x, y) => mulDivDown(x, y, WAD);
const wDivDown = (x, y) => mulDivDown(x, WAD, y);

/// Aave: close factor in basis points for a health factor (WAD).
function aaveCloseFactorBps(healthFactor) {
  return healthFactor <= CLOSE_FACTOR_HF_THRESHOLD ? 10000n : 5000n;
}

/// Aave PercentageMath.percentMul (half up).
function percentMul(value, bps) {
  return (value * bps + 5000n) / 10000n;
}

/// Aave: the (collateral, debt) pair to liquidate and the debt to cover, or null when healthy.
/// `reserves`: [{asset, price (BigInt, oracle units), decimals, collateral, debt, collateralEnabled}].
function aavePlan(healthFactor, reserves) {
  if (healthFactor >= HF_THRESHOLD) return null;
  const value = (r, amount) => (amount * r.price) / 10n ** BigInt(r.decimals);
  let debt = null;
  let coll = null;
  for (const r of reserves) {
    if (r.debt > 0n && (debt === null || value(r, r.debt) > value(debt, debt.debt))) debt = r;
    if (r.collateral > 0n && r.collateralEnabled && (coll === null || value(r, r.collateral) > value(coll, coll.collateral))) coll = r;
  }
  if (debt === null || coll === null) return null;
  return { collateralAsset: coll.asset, debtAsset: debt.asset, debtToCover: percentMul(debt.debt, aaveCloseFactorBps(healthFactor)) };
}

/// Morpho: liquidation incentive factor for an LLTV (WAD).
function morphoIncentiveFactor(lltv) {
  const f = wDivDown(WAD, WAD - wMulDown(LIQUIDATION_CURSOR, WAD - lltv));
  return f < MAX_LIQUIDATION_INCENTIVE_FACTOR ? f : MAX_LIQUIDATION_INCENTIVE_FACTOR;
}

const toAssetsUp = (shares, totalAssets, totalShares) => mulDivUp(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);

/// Morpho: {seizedAssets, repaidShares} for liquidate(), or null when healthy. Repays all the borrow shares when
/// that seizes clearly less than the collateral, otherwise seizes all the collateral (bad debt realised); in the
/// narrow band between (where interest accrued before the call could make either revert) seizes 99.8%.
function morphoPlan({ collateral, borrowShares, totalBorrowAssets, totalBorrowShares, price, lltv }) {
  if (borrowShares === 0n) return null;
  const borrowed = toAssetsUp(borrowShares, totalBorrowAssets, totalBorrowShares);
  const maxBorrow = wMulDown(mulDivDown(collateral, price, ORACLE_PRICE_SCALE), lltv);
  if (maxBorrow >= borrowed) return null;
  const seizedAll = mulDivDown(wMulDown(borrowed, morphoIncentiveFactor(lltv)), ORACLE_PRICE_SCALE, price);
  if (seizedAll * 1001n <= collateral * 1000n) return { seizedAssets: 0n, repaidShares: borrowShares };
  if (seizedAll * 1000n >= collateral * 1001n) return { seizedAssets: collateral, repaidShares: 0n };
  return { seizedAssets: (collateral * 998n) / 1000n, repaidShares: 0n };
}

module.exports = { aavePlan, aaveCloseFactorBps, percentMul, morphoPlan, morphoIncentiveFactor, toAssetsUp, WAD };
