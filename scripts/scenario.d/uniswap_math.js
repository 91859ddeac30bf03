// Uniswap v2 constant-product arithmetic (UniswapV2Library: 0.3% fee), in BigInt raw token units, plus the swap
// size that brings a pool to a target price.
'use strict';

/// UniswapV2Library.getAmountOut.
function getAmountOut(amountIn, reserveIn, reserveOut) {
  if (amountIn <= 0n || reserveIn <= 0n || reserveOut <= 0n) return 0n;
  const inWithFee = amountIn * 997n;
  return (inWithFee * reserveOut) / (reserveIn * 1000n + inWithFee);
}

/// Price of `base` in `quote` units (human, both scaled by their decimals).
function poolPrice(reserveBase, reserveQuote, decBase, decQuote) {
  return (Number(reserveQuote) / 10 ** decQuote) / (Number(reserveBase) / 10 ** decBase);
}

/// The swap that moves the pool's base price to `target` (human units): {sellBase, amountIn} with amountIn raw
/// units of the token sold, or null when the pool is already there. Solves the v2 invariant with the fee kept in
/// the pool: selling a of x (reserve x, other reserve y) leaves price y*x/((x+0.997a)(x+a)) in y-per-x terms.
function swapToPrice(reserveBase, reserveQuote, decBase, decQuote, target) {
  const x0 = Number(reserveBase);
  const y0 = Number(reserveQuote);
  const rawTarget = (target * 10 ** decQuote) / 10 ** decBase; // quote raw per base raw
  const current = y0 / x0;
  if (!(rawTarget > 0) || Math.abs(rawTarget / current - 1) < 1e-9) return null;
  const sellBase = rawTarget < current;
  // Selling token x whose price in y should become p (y per x): (x+0.997a)(x+a) = x*y/p.
  const [x, y, p] = sellBase ? [x0, y0, rawTarget] : [y0, x0, 1 / rawTarget];
  const f = 0.997;
  const K = (x * y) / p;
  const b = (1 + f) * x;
  const a = (-b + Math.sqrt(b * b - 4 * f * (x * x - K))) / (2 * f);
  if (!(a > 0)) return null;
  return { sellBase, amountIn: BigInt(Math.floor(a)) };
}

/// Reserves after swapping `amountIn` of the token whose reserve is `reserveIn`.
function reservesAfter(amountIn, reserveIn, reserveOut) {
  const out = getAmountOut(amountIn, reserveIn, reserveOut);
  return [reserveIn + amountIn, reserveOut - out];
}

module.exports = { getAmountOut, poolPrice, swapToPrice, reservesAfter };
