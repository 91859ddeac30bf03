'use strict';
// Deploys Uniswap v2 (factory and Router02 from the npm artifacts) and seeds the pools at the start prices.
const artifacts = require('./artifacts');
const params = require('./params');
const { units } = require('./units');

async function deployUniswap(chain, tokens, depths) {
  const factory = await chain.deploy(artifacts.uniswap('v2-core', 'UniswapV2Factory'), [chain.from]);
  const router = await chain.deploy(artifacts.uniswap('v2-periphery', 'UniswapV2Router02'),
    [factory.address, tokens.WETH.address]);
  const pairAbi = artifacts.uniswap('v2-core', 'UniswapV2Pair').abi;
  const pairs = {};
  for (const pool of params.pools) {
    const depth = depths[pool.flag];
    const base = params.assets[pool.base];
    const quote = params.assets[pool.quote];
    await factory.send('createPair', tokens[pool.base].address, tokens[pool.quote].address);
    const pair = chain.at(await factory.call('getPair', tokens[pool.base].address, tokens[pool.quote].address),
      pairAbi);
    // Reserves at the start price: quote side `depth` whole tokens, base side depth * quotePrice / basePrice.
    const quoteAmount = units(depth * quote.priceUsd, quote.decimals);
    const baseAmount = units(depth * quote.priceUsd / base.priceUsd, base.decimals);
    await tokens[pool.quote].send('mint', pair.address, quoteAmount);
    await tokens[pool.base].send('mint', pair.address, baseAmount);
    await pair.send('mint', chain.from);
    pairs[`${pool.base}/${pool.quote}`] = pair.address;
  }
  return { factory: factory.address, router: router.address, pairs };
}

module.exports = { deployUniswap };
