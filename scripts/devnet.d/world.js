'use strict';
// Builds the world on a fresh anvil: tokens and feeds, Aave v3, Morpho Blue, Uniswap v2, borrowers, liquidator.
const { Wallet, keccak256, toUtf8Bytes, getAddress } = require('ethers');
const { Chain } = require('./chain');
const { compileAll } = require('./compile');
const { deployAave, setSeedingLtvs } = require('./aave');
const { deployMorpho } = require('./morpho');
const { deployUniswap } = require('./uniswap');
const { planBorrowers } = require('./borrowers');
const { seedBorrowers } = require('./seed');
const { units } = require('./units');
const params = require('./params');

/// The liquidator's key is fixed (devnet only) so configs and tests can rely on it across worlds.
const liquidatorKey = keccak256(toUtf8Bytes('sluice-devnet-liquidator'));
const treasury = getAddress(`0x${keccak256(toUtf8Bytes('sluice-devnet-treasury')).slice(26)}`);

async function buildWorld(rpc, { borrowers, seed, depths, cacheDir, log }) {
  const [deployer] = await rpc.call('eth_accounts');
  const chain = new Chain(rpc, deployer);
  const compiled = compileAll(cacheDir);
  log('compiled contracts');

  const tokens = {};
  const feeds = {};
  for (const [symbol, a] of Object.entries(params.assets)) {
    tokens[symbol] = await chain.deploy(compiled.DevnetToken, [a.name, symbol, a.decimals]);
    feeds[symbol] = await chain.deploy(compiled.PriceFeed, [`${symbol} / USD`, units(a.priceUsd, 8)]);
  }
  const aave = await deployAave(chain, tokens, feeds, treasury);
  log('deployed Aave v3');
  const { morpho, markets } = await deployMorpho(chain, compiled, tokens, feeds);
  log('deployed Morpho Blue');
  const uniswap = await deployUniswap(chain, tokens, depths);
  log('deployed Uniswap v2');

  const seeder = await chain.deploy(compiled.Seeder);
  const agent = await chain.deploy(compiled.BorrowerAgent, [seeder.address]);
  const agentCode = await rpc.call('eth_getCode', [agent.address, 'latest']);
  for (const token of Object.values(tokens)) await token.send('setMinter', seeder.address, true);

  const plan = planBorrowers(borrowers, seed);
  await setSeedingLtvs(aave, tokens, false);
  const t0 = Date.now();
  await seedBorrowers(chain, { seeder, agentCode, tokens, aave, morpho, markets, plan, log });
  await setSeedingLtvs(aave, tokens, true);
  log(`seeded ${plan.length} borrowers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const liquidator = new Wallet(liquidatorKey);
  await rpc.call('anvil_setBalance', [liquidator.address, `0x${(BigInt(params.liquidatorEth) * 10n ** 18n).toString(16)}`]);
  for (const [symbol, amount] of Object.entries(params.liquidatorInventory)) {
    await tokens[symbol].send('mint', liquidator.address, units(amount, params.assets[symbol].decimals));
  }

  return {
    manifest: {
      aave: aave.manifest,
      morpho: {
        morpho: morpho.address,
        markets: markets.map(({ id, loan_token, collateral_token, oracle, irm, lltv }) =>
          ({ id, loan_token, collateral_token, oracle, irm, lltv })),
      },
      uniswap_v2: uniswap,
      tokens: Object.fromEntries(Object.entries(tokens).map(([s, c]) => [s, c.address])),
      feeds: Object.fromEntries(Object.entries(feeds).map(([s, c]) => [s, c.address])),
      borrowers: plan.map((b) => b.address),
      liquidator: { address: liquidator.address, private_key: liquidatorKey },
    },
    plan,
    owner: deployer,
  };
}

module.exports = { buildWorld };
