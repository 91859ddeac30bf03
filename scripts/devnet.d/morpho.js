'use strict';
// Deploys Morpho Blue 1.0.0 (compiled here with solc 0.8.19), the package's IrmMock, one FeedRatioOracle per
// market (the shared USD feeds scaled to Morpho's 1e36 price) and creates the markets.
const { AbiCoder, keccak256 } = require('ethers');
const params = require('./params');

const kMarketParams = 'tuple(address loanToken, address collateralToken, address oracle, address irm, uint256 lltv)';

/// Morpho's Id: keccak256(abi.encode(marketParams)) (MarketParamsLib).
function marketId(m) {
  return keccak256(AbiCoder.defaultAbiCoder().encode([kMarketParams],
    [[m.loanToken, m.collateralToken, m.oracle, m.irm, m.lltv]]));
}

async function deployMorpho(chain, compiled, tokens, feeds) {
  const morpho = await chain.deploy(compiled.Morpho, [chain.from]);
  const irm = await chain.deploy(compiled.IrmMock);
  await morpho.send('enableIrm', irm.address);
  const markets = [];
  const enabled = new Set();
  for (const m of params.morphoMarkets) {
    if (!enabled.has(m.lltv)) {
      await morpho.send('enableLltv', m.lltv);
      enabled.add(m.lltv);
    }
    const oracle = await chain.deploy(compiled.FeedRatioOracle, [feeds[m.collateral].address, feeds[m.loan].address,
      params.assets[m.collateral].decimals, params.assets[m.loan].decimals]);
    const p = { loanToken: tokens[m.loan].address, collateralToken: tokens[m.collateral].address,
      oracle: oracle.address, irm: irm.address, lltv: m.lltv };
    await morpho.send('createMarket', p);
    markets.push({ id: marketId(p), loan_token: p.loanToken, collateral_token: p.collateralToken,
      oracle: p.oracle, irm: p.irm, lltv: m.lltv, params: p, collateral: m.collateral, loan: m.loan });
  }
  return { morpho, markets };
}

module.exports = { deployMorpho, marketId };
