'use strict';
// Loads the prebuilt protocol artifacts from npm: Aave v3 (hardhat artifacts, libraries linked here) and Uniswap
// v2 (waffle build JSON, bytecode without 0x).
const fs = require('fs');
const path = require('path');

const modules = path.join(__dirname, '..', 'node_modules');
const aaveRoot = path.join(modules, '@aave', 'core-v3', 'artifacts', 'contracts');

const aavePaths = {
  PoolAddressesProvider: 'protocol/configuration/PoolAddressesProvider.sol',
  ACLManager: 'protocol/configuration/ACLManager.sol',
  Pool: 'protocol/pool/Pool.sol',
  PoolConfigurator: 'protocol/pool/PoolConfigurator.sol',
  DefaultReserveInterestRateStrategy: 'protocol/pool/DefaultReserveInterestRateStrategy.sol',
  AaveOracle: 'misc/AaveOracle.sol',
  AaveProtocolDataProvider: 'misc/AaveProtocolDataProvider.sol',
  AToken: 'protocol/tokenization/AToken.sol',
  StableDebtToken: 'protocol/tokenization/StableDebtToken.sol',
  VariableDebtToken: 'protocol/tokenization/VariableDebtToken.sol',
};
for (const lib of ['SupplyLogic', 'BorrowLogic', 'LiquidationLogic', 'EModeLogic', 'BridgeLogic', 'PoolLogic',
  'FlashLoanLogic', 'ConfiguratorLogic']) {
  aavePaths[lib] = `protocol/libraries/logic/${lib}.sol`;
}

function aave(name) {
  const file = path.join(aaveRoot, aavePaths[name], `${name}.json`);
  const artifact = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { abi: artifact.abi, bytecode: artifact.bytecode, linkReferences: artifact.linkReferences || {} };
}

/// Names of the libraries an Aave artifact must be linked against.
function librariesOf(artifact) {
  return Object.values(artifact.linkReferences).flatMap((libs) => Object.keys(libs));
}

/// Writes each library's address over its `__$...$__` placeholder at the offsets in linkReferences.
function link(artifact, addresses) {
  let hex = artifact.bytecode.slice(2);
  for (const libs of Object.values(artifact.linkReferences)) {
    for (const [name, refs] of Object.entries(libs)) {
      const address = addresses[name];
      if (!address) throw new Error(`library ${name} not deployed`);
      for (const { start, length } of refs) {
        hex = hex.slice(0, start * 2) + address.slice(2).toLowerCase() + hex.slice((start + length) * 2);
      }
    }
  }
  if (hex.includes('__$')) throw new Error('unlinked library placeholder left');
  return { abi: artifact.abi, bytecode: `0x${hex}` };
}

function uniswap(pkg, name) {
  const file = path.join(modules, '@uniswap', pkg, 'build', `${name}.json`);
  const artifact = JSON.parse(fs.readFileSync(file, 'utf8'));
  const bytecode = artifact.bytecode || artifact.evm.bytecode.object;
  return { abi: artifact.abi, bytecode: bytecode.startsWith('0x') ? bytecode : `0x${bytecode}` };
}

module.exports = { aave, librariesOf, link, uniswap };
