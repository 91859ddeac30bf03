// The ABI fragments the scenario uses (human-readable, from the protocols' interfaces).
'use strict';
const { Interface } = require('ethers');

module.exports = {
  erc20: new Interface([
    'function balanceOf(address) view returns (uint256)',
    'function approve(address,uint256) returns (bool)',
    'function decimals() view returns (uint8)',
    'function owner() view returns (address)',
    'function mint(address,uint256)',
  ]),
  feed: new Interface([
    'function latestRoundData() view returns (uint80,int256,uint256,uint256,uint80)',
    'function owner() view returns (address)',
    'function updateAnswer(int256)',
  ]),
  pair: new Interface([
    'function getReserves() view returns (uint112,uint112,uint32)',
    'function token0() view returns (address)',
  ]),
  router: new Interface([
    'function swapExactTokensForTokens(uint256,uint256,address[],address,uint256) returns (uint256[])',
  ]),
  aavePool: new Interface([
    'function getUserAccountData(address) view returns (uint256,uint256,uint256,uint256,uint256,uint256)',
    'function liquidationCall(address,address,address,uint256,bool)',
    'event LiquidationCall(address indexed collateralAsset, address indexed debtAsset, address indexed user, uint256 debtToCover, uint256 liquidatedCollateralAmount, address liquidator, bool receiveAToken)',
  ]),
  aaveData: new Interface([
    'function getUserReserveData(address,address) view returns (uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint40,bool)',
  ]),
  morpho: new Interface([
    'function position(bytes32,address) view returns (uint256,uint128,uint128)',
    'function market(bytes32) view returns (uint128,uint128,uint128,uint128,uint128,uint128)',
    'function liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes) returns (uint256,uint256)',
    // Declared in EventsLib, not in IMorpho (devnet-notes.md).
    'event Liquidate(bytes32 indexed id, address indexed caller, address indexed borrower, uint256 repaidAssets, uint256 repaidShares, uint256 seizedAssets, uint256 badDebtAssets, uint256 badDebtShares)',
  ]),
  morphoOracle: new Interface(['function price() view returns (uint256)']),
};
