// Liquidations in a block, from the protocols' own events: Aave LiquidationCall and Morpho Liquidate.
'use strict';
const abis = require('./abis');

const aaveTopic = abis.aavePool.getEvent('LiquidationCall').topicHash;
const morphoTopic = abis.morpho.getEvent('Liquidate').topicHash;

async function liquidationsInBlock(rpc, world, block) {
  const m = world.manifest;
  const q = '0x' + block.toString(16);
  const logs = await rpc.call('eth_getLogs', [{ fromBlock: q, toBlock: q, address: [m.aave.pool, m.morpho.morpho], topics: [[aaveTopic, morphoTopic]] }]);
  return logs.map((log) => {
    if (log.topics[0] === aaveTopic) {
      const e = abis.aavePool.parseLog(log).args;
      return {
        protocol: 'aave', user: e.user, collateral: world.symbolOf(e.collateralAsset) ?? e.collateralAsset, debt: world.symbolOf(e.debtAsset) ?? e.debtAsset,
        debt_repaid: e.debtToCover.toString(), collateral_seized: e.liquidatedCollateralAmount.toString(), liquidator: e.liquidator, tx: log.transactionHash,
      };
    }
    const e = abis.morpho.parseLog(log).args;
    const market = world.markets.find((mm) => mm.id.toLowerCase() === e.id.toLowerCase());
    return {
      protocol: 'morpho', user: e.borrower, market: e.id, collateral: market ? world.symbolOf(market.collateral_token) : undefined,
      debt: market ? world.symbolOf(market.loan_token) : undefined, debt_repaid: e.repaidAssets.toString(), collateral_seized: e.seizedAssets.toString(),
      bad_debt: e.badDebtAssets.toString(), liquidator: e.caller, tx: log.transactionHash,
    };
  });
}

module.exports = { liquidationsInBlock, aaveTopic, morphoTopic };
