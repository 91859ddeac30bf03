// Unit tests of the scenario's pure logic (node --test scripts/scenario.d/test). Expected values are derived by
// hand from the formulas cited in each module (Chainlink deviation rule, UniswapV2Library, Aave v3.0
// LiquidationLogic, Morpho Blue ConstantsLib), not read back from the code under test.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const path = require('path');
const { parseCsvPrices, parseTimeBound, selectRange, toSeconds } = require('../csv_prices');
const { parsePath } = require('../price_path');
const { shouldUpdate } = require('../oracle_policy');
const { getAmountOut, poolPrice, swapToPrice, reservesAfter } = require('../uniswap_math');
const { aavePlan, aaveCloseFactorBps, morphoPlan, morphoIncentiveFactor } = require('../liquidation_math');

const close = (a, b, tol) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('crash path falls linearly to the target and leaves other assets', () => {
  const p = parsePath('crash:WETH:-30:60');
  assert.strictEqual(p.steps, 60);
  close(p.multiplier(0, 'WETH'), 1, 1e-12);
  close(p.multiplier(30, 'WETH'), 0.85, 1e-12);
  close(p.multiplier(60, 'WETH'), 0.7, 1e-12);
  close(p.multiplier(60, 'WBTC'), 1, 0);
});

test('step path jumps in block 1', () => {
  const p = parsePath('step:WBTC:-12.5');
  assert.strictEqual(p.steps, 1);
  close(p.multiplier(0, 'WBTC'), 1, 0);
  close(p.multiplier(1, 'WBTC'), 0.875, 1e-12);
});

test('bad paths are rejected with the reason', () => {
  assert.throws(() => parsePath('crash:WETH:-30'), /crash:<ASSET>/);
  assert.throws(() => parsePath('crash:WETH:-130:5'), /bad percent/);
  assert.throws(() => parsePath('crash:WETH:-30:0'), /positive integer/);
  assert.throws(() => parsePath('step:WETH:abc'), /bad percent/);
  assert.throws(() => parsePath('wobble:WETH'), /unknown kind/);
});

const csvText = [
  'timestamp_x,ask_price,bid_price,binance-futures_ethusdt_liquidation_long,binance-futures_ethusdt_liquidation_short',
  '1610323200000000.0,1001,999,0,0', // 2021-01-11T00:00Z, mid 1000
  '1610323260000000.0,901,899,0,0', // mid 900
  '1610323320000000.0,811,809,0,0', // mid 810
].join('\n');

test('csv: mid prices, microsecond timestamps, time bounds', () => {
  const rows = parseCsvPrices(csvText);
  assert.deepStrictEqual(rows, [{ time: 1610323200, price: 1000 }, { time: 1610323260, price: 900 }, { time: 1610323320, price: 810 }]);
  assert.strictEqual(parseTimeBound('2021-01-11'), 1610323200);
  assert.strictEqual(parseTimeBound('2021-01-11T0001'), 1610323260);
  assert.strictEqual(parseTimeBound('1610323260'), 1610323260);
  assert.strictEqual(parseTimeBound('11/01/2021'), undefined);
  assert.strictEqual(selectRange(rows, 1610323260, 1610323320).length, 1);
  assert.strictEqual(toSeconds(1610323200123), 1610323200.123);
  assert.throws(() => parseCsvPrices('timestamp_x,ask_price,bid_price\n1,2,x'), /line 2/);
  assert.throws(() => parseCsvPrices('a,b\n1,2'), /timestamp/);
});

test('csv path: one row per block, ETH scaled to WETH, beta for others', () => {
  const readRows = () => parseCsvPrices(csvText);
  const p = parsePath('csv:prices.csv', { readRows, betas: { WBTC: 0.5 } });
  assert.strictEqual(p.steps, 2);
  close(p.multiplier(2, 'WETH'), 0.81, 1e-12);
  close(p.multiplier(2, 'WBTC'), 0.9, 1e-12); // 0.81^0.5
  close(p.multiplier(2, 'USDC'), 1, 0);
  const ranged = parsePath('csv:prices.csv:2021-01-11T0001:2021-01-11T0010', { readRows });
  assert.strictEqual(ranged.steps, 1);
  close(ranged.multiplier(1, 'WETH'), 0.9, 1e-12);
  assert.throws(() => parsePath('csv:prices.csv:2021-01-12:2021-01-13', { readRows }), /fewer than 2 rows/);
});

test('csv: the bundled ETH/USDT file parses and covers the 2021-01-11 crash', () => {
  const file = path.join(__dirname, '..', '..', '..', 'data', 'ethusdt-2021-01-minute.csv');
  const p = parsePath(`csv:${file}:2021-01-11:2021-01-12`);
  assert.ok(p.steps > 1300 && p.steps < 1441, `steps ${p.steps}`);
  let min = Infinity;
  for (let i = 0; i <= p.steps; i++) min = Math.min(min, p.multiplier(i, 'WETH'));
  assert.ok(min < 0.85, `the 2021-01-11 drawdown is deeper than 15% (min multiplier ${min})`);
});

test('chainlink policy: 0.5% deviation or heartbeat; every-block on any change', () => {
  const base = { policy: 'chainlink', last: 100000000000n, lastUpdatedAt: 1000, now: 1012 };
  assert.strictEqual(shouldUpdate({ ...base, candidate: 100500000000n }), false); // exactly 0.5%: not more
  assert.strictEqual(shouldUpdate({ ...base, candidate: 100500000001n }), true);
  assert.strictEqual(shouldUpdate({ ...base, candidate: 99400000000n }), true);
  assert.strictEqual(shouldUpdate({ ...base, candidate: 100100000000n, now: 1000 + 3600 }), true);
  assert.strictEqual(shouldUpdate({ ...base, candidate: 100100000000n, now: 1000 + 3599 }), false);
  assert.strictEqual(shouldUpdate({ ...base, policy: 'every-block', candidate: 100000000001n }), true);
  assert.strictEqual(shouldUpdate({ ...base, policy: 'every-block', candidate: 100000000000n }), false);
  assert.throws(() => shouldUpdate({ ...base, policy: 'sometimes', candidate: 1n }), /unknown oracle policy/);
});

test('uniswap: getAmountOut matches the v2 formula', () => {
  // 1 WETH into 100 WETH / 200,000 USDC: 1e18*997*2e11 / (1e20*1000 + 997e15) = 1974316068 (by hand).
  assert.strictEqual(getAmountOut(10n ** 18n, 10n ** 20n, 2n * 10n ** 11n), 1974316068n);
  close(poolPrice(10n ** 20n, 2n * 10n ** 11n, 18, 6), 2000, 1e-9);
});

test('uniswap: swapToPrice lands on the target in both directions', () => {
  const x = 10000n * 10n ** 18n;
  const y = 20000000n * 10n ** 6n;
  for (const target of [1400, 1990, 2010, 2600]) {
    const s = swapToPrice(x, y, 18, 6, target);
    const [nx, ny] = s.sellBase ? reservesAfter(s.amountIn, x, y) : reservesAfter(s.amountIn, y, x).reverse();
    close(poolPrice(nx, ny, 18, 6), target, target * 1e-9);
  }
  assert.strictEqual(swapToPrice(x, y, 18, 6, 2000), null);
});

test('aave: close factor and the largest debt/collateral pair', () => {
  assert.strictEqual(aaveCloseFactorBps(95n * 10n ** 16n), 10000n);
  assert.strictEqual(aaveCloseFactorBps(95n * 10n ** 16n + 1n), 5000n);
  const reserves = [
    { asset: 'W', price: 2000n * 10n ** 8n, decimals: 18, collateral: 10n ** 18n, debt: 0n, collateralEnabled: true },
    { asset: 'B', price: 30000n * 10n ** 8n, decimals: 8, collateral: 10n ** 7n, debt: 0n, collateralEnabled: true },
    { asset: 'U', price: 10n ** 8n, decimals: 6, collateral: 0n, debt: 3001n * 10n ** 6n, collateralEnabled: true },
    { asset: 'D', price: 10n ** 8n, decimals: 18, collateral: 0n, debt: 100n * 10n ** 18n, collateralEnabled: true },
  ];
  assert.strictEqual(aavePlan(10n ** 18n, reserves), null);
  // HF 0.99: 50% of the USDC debt (3001e6 * 0.5 = 1500.5e6); WBTC (3000 USD) beats WETH (2000 USD).
  assert.deepStrictEqual(aavePlan(99n * 10n ** 16n, reserves), { collateralAsset: 'B', debtAsset: 'U', debtToCover: 1500500000n });
  assert.strictEqual(aavePlan(9n * 10n ** 17n, reserves).debtToCover, 3001n * 10n ** 6n);
});

test('morpho: incentive factor, health and the liquidate arguments', () => {
  // LIF = 1 / (1 - 0.3 * (1 - lltv)): lltv 0.86 -> 1/0.958 = 1.043841336116910229; 0.915 -> 1/0.9745.
  assert.strictEqual(morphoIncentiveFactor(86n * 10n ** 16n), 1043841336116910229n);
  assert.strictEqual(morphoIncentiveFactor(915n * 10n ** 15n), 1026167265264238070n);
  assert.strictEqual(morphoIncentiveFactor(0n), 115n * 10n ** 16n);
  // 1 WETH at 2000 USDC (oracle price 2000e6 * 1e36 / 1e18 = 2e27), lltv 86%: borrow 1700 USDC is healthy, 1721 is not.
  const m = { collateral: 10n ** 18n, totalBorrowAssets: 10n ** 12n, totalBorrowShares: 10n ** 18n, price: 2n * 10n ** 27n, lltv: 86n * 10n ** 16n };
  const shares = (usdc) => usdc * 10n ** 6n * 10n ** 6n; // 1 asset = 1e6 shares here
  assert.strictEqual(morphoPlan({ ...m, borrowShares: shares(1700n) }), null);
  assert.deepStrictEqual(morphoPlan({ ...m, borrowShares: shares(1721n) }), { seizedAssets: 0n, repaidShares: shares(1721n) });
  // Borrow 1990 USDC: repaying all would seize 1990*1.0438/2000 = 1.0386 WETH > 1 WETH: seize all collateral.
  assert.deepStrictEqual(morphoPlan({ ...m, borrowShares: shares(1990n) }), { seizedAssets: 10n ** 18n, repaidShares: 0n });
  assert.strictEqual(morphoPlan({ ...m, borrowShares: 0n }), null);
});

const { parseArgs } = require('../args');

test('args: defaults, options and errors', () => {
  const o = parseArgs(['crash:WETH:-30:60', '--competitor', '1', '--market-coupled'], '/repo');
  assert.strictEqual(o.dir, '/repo/.devnet');
  assert.strictEqual(o.out, '/repo/.devnet/scenario.jsonl');
  assert.strictEqual(o.oracle, 'chainlink');
  assert.strictEqual(o.competitor, 1);
  assert.strictEqual(o.marketCoupled, true);
  assert.strictEqual(o.flow, true);
  assert.strictEqual(o.paceMs, 0);  // no wait unless asked
  assert.strictEqual(parseArgs(['--pace-ms', '250', 'step:WETH:-15'], '/r').paceMs, 250);
  assert.throws(() => parseArgs(['--pace-ms', '-1', 'step:WETH:1'], '/r'), /--pace-ms: bad value/);
  assert.throws(() => parseArgs(['--pace-ms', '1.5', 'step:WETH:1'], '/r'), /--pace-ms: bad value/);
  const p = parseArgs(['--dir', '/d', '--oracle', 'every-block', '--arbitrage', '0.25', '--beta', 'WBTC=0.7', 'step:WETH:-10'], '/repo');
  assert.deepStrictEqual([p.dir, p.oracle, p.arbitrage, p.betas.WBTC, p.path], ['/d', 'every-block', 0.25, 0.7, 'step:WETH:-10']);
  assert.throws(() => parseArgs([], '/r'), /missing <path>/);
  assert.throws(() => parseArgs(['--arbitrage', '2', 'step:WETH:1'], '/r'), /--arbitrage: bad value/);
  assert.throws(() => parseArgs(['--competitor'], '/r'), /needs a value/);
  assert.throws(() => parseArgs(['--bogus', 'x'], '/r'), /unknown option/);
  assert.throws(() => parseArgs(['a', 'b'], '/r'), /more than one path/);
});
