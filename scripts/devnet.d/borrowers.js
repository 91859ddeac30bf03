'use strict';
// Plans the borrowers: who borrows where, against what, and at which target health factor. Pure and deterministic
// in (count, seed): the same inputs give the same world. Amounts are integer token units computed from the start
// prices with the protocols' own formulas, so the on-chain health factor lands on the target (rounded down).
const { getAddress, keccak256, toUtf8Bytes } = require('ethers');
const params = require('./params');
const { rng } = require('./random');
const { units } = require('./units');

const kWad = 10n ** 18n;
const kPriceScale = 10n ** 36n;

/// The spread of target health factors: a tail close to 1, most between 1.05 and 2, some comfortable.
const hfSpread = { min: 1.005, tailMax: 1.05, bodyMax: 2.0, max: 4.0 };

function drawHealthFactor(r) {
  const band = r.pick({ tail: 10, body: 75, safe: 15 });
  if (band === 'tail') return r.uniform(hfSpread.min, hfSpread.tailMax);
  if (band === 'body') return hfSpread.tailMax + (hfSpread.bodyMax - hfSpread.tailMax) * r.next() ** 1.5;
  return r.uniform(hfSpread.bodyMax, hfSpread.max);
}

const price8 = (symbol) => units(params.assets[symbol].priceUsd, 8);
const toWad = (x) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;

function borrowerAddress(seed, index) {
  return getAddress(`0x${keccak256(toUtf8Bytes(`sluice-devnet-borrower/${seed}/${index}`)).slice(26)}`);
}

/// Splits `total` (a number) into `n` random positive shares.
function split(r, total, n) {
  if (n === 1) return [total];
  const first = r.uniform(0.3, 0.7);
  return [total * first, total * (1 - first)];
}

/// An Aave position: collaterals [[symbol, usd]], debt symbols, eMode flag.
function aaveShape(r, usd) {
  const shape = r.pick({ single: 45, multiCollateral: 20, multiDebt: 10, emode: 15, short: 10 });
  const stable = () => r.pick({ USDC: 60, DAI: 40 });
  switch (shape) {
    case 'single':
      return { collaterals: [[r.pick({ WETH: 60, WBTC: 40 }), usd]], debts: [stable()], emode: false };
    case 'multiCollateral': {
      const [a, b] = split(r, usd, 2);
      const debts = r.next() < 0.5 ? ['USDC', 'DAI'] : [stable()];
      return { collaterals: [['WETH', a], ['WBTC', b]], debts, emode: false };
    }
    case 'multiDebt':
      return { collaterals: [['WETH', usd]], debts: ['USDC', 'DAI'], emode: false };
    case 'emode': {
      if (r.next() < 0.7) return { collaterals: [['WETH', usd]], debts: ['WETH'], emode: true };
      const [a, b] = split(r, usd, 2);
      return { collaterals: [['WETH', a], ['USDC', b]], debts: ['WETH'], emode: true };
    }
    default:
      return { collaterals: [[stable(), usd]], debts: [r.pick({ WETH: 70, WBTC: 30 })], emode: false };
  }
}

/// Aave's health factor inputs in base currency (USD, 8 decimals), as GenericLogic computes them.
function aaveCollateralBase(symbol, amount) {
  return amount * price8(symbol) / 10n ** BigInt(params.assets[symbol].decimals);
}

function planAave(r, usd, hf) {
  const shape = aaveShape(r, usd);
  const collaterals = shape.collaterals.map(([symbol, value]) =>
    ({ symbol, amount: units(value / params.assets[symbol].priceUsd, params.assets[symbol].decimals) }));
  let weighted = 0n; // sum(collateral base * LT in bp)
  for (const c of collaterals) {
    const lt = shape.emode && params.eMode.assets.includes(c.symbol) ? params.eMode.lt : params.aaveReserves[c.symbol].lt;
    weighted += aaveCollateralBase(c.symbol, c.amount) * BigInt(lt);
  }
  // HF = weighted / 1e4 * 1e18 / debtBase  =>  debtBase = weighted * 1e18 / (1e4 * HF_wad).
  const debtBase = weighted * kWad / (10000n * toWad(hf));
  const shares = split(r, 1, shape.debts.length);
  const debts = shape.debts.map((symbol, i) => {
    const base = debtBase * BigInt(Math.round(shares[i] * 1e6)) / 1000000n;
    return { symbol, amount: base * 10n ** BigInt(params.assets[symbol].decimals) / price8(symbol) };
  });
  return { protocol: 'aave', emode: shape.emode, collaterals, debts };
}

/// Morpho's oracle price for a market (FeedRatioOracle at the start prices).
function morphoPrice(m) {
  const c = params.assets[m.collateral];
  const l = params.assets[m.loan];
  return price8(m.collateral) * 10n ** BigInt(36 + l.decimals - c.decimals) / price8(m.loan);
}

function planMorpho(r, usd, hf) {
  const market = Number(r.pick({ 0: 50, 1: 25, 2: 25 }));
  const m = params.morphoMarkets[market];
  const collateral = units(usd / params.assets[m.collateral].priceUsd, params.assets[m.collateral].decimals);
  // Morpho: maxBorrow = collateral * price / 1e36 * lltv (wMulDown); HF = maxBorrow / borrowed.
  const maxBorrow = collateral * morphoPrice(m) / kPriceScale * BigInt(m.lltv) / kWad;
  return {
    protocol: 'morpho', market,
    collaterals: [{ symbol: m.collateral, amount: collateral }],
    debts: [{ symbol: m.loan, amount: maxBorrow * kWad / toWad(hf) }],
  };
}

/// count borrowers: about 65% on Aave, 35% on Morpho, sizes log-uniform from $2k to $500k with a few whales.
function planBorrowers(count, seed) {
  const r = rng(seed, 'borrowers');
  const plan = [];
  for (let i = 0; i < count; ++i) {
    const hf = drawHealthFactor(r);
    const usd = r.next() < 0.02 ? r.logUniform(500000, 5000000) : r.logUniform(2000, 500000);
    const position = r.next() < 0.65 ? planAave(r, usd, hf) : planMorpho(r, usd, hf);
    plan.push({ address: borrowerAddress(seed, i), target_hf: Number(hf.toFixed(6)), ...position });
  }
  return plan;
}

module.exports = { planBorrowers, hfSpread, morphoPrice };
