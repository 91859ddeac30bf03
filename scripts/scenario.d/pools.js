// Uniswap v2 pools: prices from reserves, and swaps through Router02 (the market's flow and arbitrage, the
// competitor's dumps).
'use strict';
const abis = require('./abis');
const { send, kTip } = require('./node_control');
const { poolPrice, swapToPrice } = require('./uniswap_math');

const kSwapGas = 250000;

/// Reserves of every pair as {base, quote} (raw BigInt), in world.pairs order.
async function readReserves(rpc, world) {
  const r = await rpc.views(world.pairs.map((p) => ({ to: p.address, iface: abis.pair, fn: 'getReserves' })));
  return world.pairs.map((p, i) => {
    const [r0, r1] = [BigInt(r[i][0]), BigInt(r[i][1])];
    return p.baseIsToken0 ? { base: r0, quote: r1 } : { base: r1, quote: r0 };
  });
}

/// Price of each pair's base in its quote token (human units), keyed by pair name.
function pairPrices(world, reserves) {
  const out = {};
  world.pairs.forEach((p, i) => {
    out[p.name] = poolPrice(reserves[i].base, reserves[i].quote, world.tokens[p.base].decimals, world.tokens[p.quote].decimals);
  });
  return out;
}

/// Queues a swap of `amountIn` of `fromSymbol` into `toSymbol` by `who` through the router.
async function swap(rpc, world, who, fromSymbol, toSymbol, amountIn, deadline, tip = kTip.world) {
  const pathAddrs = [world.tokens[fromSymbol].address, world.tokens[toSymbol].address];
  return send(rpc, who, world.manifest.uniswap_v2.router, abis.router, 'swapExactTokensForTokens', [amountIn, 0n, pathAddrs, who, BigInt(deadline)], kSwapGas, tip);
}

/// Queues the swap that moves `pair` (index i) to `target` (quote per base); returns the hash or null.
async function swapPairTo(rpc, world, i, reserves, target, who, deadline) {
  const p = world.pairs[i];
  const s = swapToPrice(reserves[i].base, reserves[i].quote, world.tokens[p.base].decimals, world.tokens[p.quote].decimals, target);
  if (s === null || s.amountIn === 0n) return null;
  return s.sellBase ? swap(rpc, world, who, p.base, p.quote, s.amountIn, deadline) : swap(rpc, world, who, p.quote, p.base, s.amountIn, deadline);
}

module.exports = { readReserves, pairPrices, swap, swapPairTo };
