'use strict';
// The world's fixed parameters: assets, start prices, Aave risk parameters (mainnet-like, in basis points),
// the eMode category, Morpho markets and the default pool depths.

const assets = {
  WETH: { name: 'Wrapped Ether', decimals: 18, priceUsd: 3000 },
  WBTC: { name: 'Wrapped BTC', decimals: 8, priceUsd: 60000 },
  USDC: { name: 'USD Coin', decimals: 6, priceUsd: 1 },
  DAI: { name: 'Dai Stablecoin', decimals: 18, priceUsd: 1 },
};

// LTV, liquidation threshold, liquidation bonus (10000 + bonus), reserve factor; all in basis points.
const aaveReserves = {
  WETH: { ltv: 8050, lt: 8300, bonus: 10500, reserveFactor: 1500 },
  WBTC: { ltv: 7300, lt: 7800, bonus: 10500, reserveFactor: 2000 },
  USDC: { ltv: 7700, lt: 8000, bonus: 10450, reserveFactor: 1000 },
  DAI: { ltv: 6300, lt: 7700, bonus: 10500, reserveFactor: 1000 },
};
const liquidationProtocolFee = 1000;

// Variable-rate strategies in ray (1e27): optimal usage, base, slope1, slope2 (mainnet-like).
const rateStrategies = {
  volatile: { optimal: '0.80', base: '0', slope1: '0.038', slope2: '0.80' },
  stable: { optimal: '0.90', base: '0', slope1: '0.04', slope2: '0.60' },
};
const strategyOf = { WETH: 'volatile', WBTC: 'volatile', USDC: 'stable', DAI: 'stable' };

// Aave v3.0 lets an eMode user borrow only the category's assets, so ETH-correlated eMode borrowers borrow WETH.
const eMode = { id: 1, ltv: 9000, lt: 9300, bonus: 10100, label: 'ETH correlated', assets: ['WETH'] };

const morphoMarkets = [
  { collateral: 'WETH', loan: 'USDC', lltv: '860000000000000000' },
  { collateral: 'WBTC', loan: 'USDC', lltv: '860000000000000000' },
  { collateral: 'WETH', loan: 'DAI', lltv: '915000000000000000' },
];

// Uniswap v2 pools: depth is the quote side in whole tokens; the base side matches at the start price.
const pools = [
  { base: 'WETH', quote: 'USDC', flag: 'depth-weth-usdc', depth: 20000000 },
  { base: 'WBTC', quote: 'USDC', flag: 'depth-wbtc-usdc', depth: 10000000 },
  { base: 'WETH', quote: 'DAI', flag: 'depth-weth-dai', depth: 10000000 },
];

// The liquidator's inventory, in whole tokens.
const liquidatorInventory = { USDC: 10000000, DAI: 10000000, WETH: 1000 };
const liquidatorEth = 1000;

module.exports = {
  assets, aaveReserves, liquidationProtocolFee, rateStrategies, strategyOf, eMode, morphoMarkets, pools,
  liquidatorInventory, liquidatorEth,
};
