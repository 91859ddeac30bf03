'use strict';
// Deploys Aave v3 (v3.0 core, @aave/core-v3 1.19.3 artifacts) behind PoolAddressesProvider proxies and lists the
// four reserves with mainnet-like parameters, the liquidation protocol fee and the ETH-correlated eMode category.
const { parseUnits, ZeroAddress } = require('ethers');
const artifacts = require('./artifacts');
const params = require('./params');

const kLibraries = ['SupplyLogic', 'BorrowLogic', 'LiquidationLogic', 'EModeLogic', 'BridgeLogic', 'PoolLogic',
  'FlashLoanLogic', 'ConfiguratorLogic'];

async function deployLibraries(chain) {
  const addresses = {};
  // FlashLoanLogic links BorrowLogic, so deploy in an order where every dependency comes first.
  const pending = [...kLibraries];
  while (pending.length > 0) {
    const index = pending.findIndex((name) =>
      artifacts.librariesOf(artifacts.aave(name)).every((dep) => addresses[dep]));
    if (index < 0) throw new Error(`unresolvable Aave library links: ${pending.join(', ')}`);
    const [name] = pending.splice(index, 1);
    addresses[name] = (await chain.deploy(artifacts.link(artifacts.aave(name), addresses))).address;
  }
  return addresses;
}

async function deployBehindProxy(chain, provider, name, libraries, setter, getter) {
  const artifact = artifacts.link(artifacts.aave(name), libraries);
  // Pool takes the provider in its constructor; PoolConfigurator only in initialize.
  const constructor = artifact.abi.find((f) => f.type === 'constructor');
  const impl = await chain.deploy(artifact, constructor && constructor.inputs.length > 0 ? [provider.address] : []);
  await impl.send('initialize', provider.address); // the implementation itself can then never be initialised
  await provider.send(setter, impl.address);
  return chain.at(await provider.call(getter), impl.iface);
}

const ray = (text) => parseUnits(text, 27);

/// tokens: { SYMBOL: Contract }, feeds: { SYMBOL: Contract }. Returns the Aave part of the manifest plus contracts.
async function deployAave(chain, tokens, feeds, treasury) {
  const deployer = chain.from;
  const provider = await chain.deploy(artifacts.aave('PoolAddressesProvider'), ['Sluice Devnet', deployer]);
  await provider.send('setACLAdmin', deployer);
  const acl = await chain.deploy(artifacts.aave('ACLManager'), [provider.address]);
  await provider.send('setACLManager', acl.address);
  await acl.send('addPoolAdmin', deployer);

  const libraries = await deployLibraries(chain);
  const pool = await deployBehindProxy(chain, provider, 'Pool', libraries, 'setPoolImpl', 'getPool');
  const configurator = await deployBehindProxy(chain, provider, 'PoolConfigurator', libraries,
    'setPoolConfiguratorImpl', 'getPoolConfigurator');

  const symbols = Object.keys(params.assets);
  const oracle = await chain.deploy(artifacts.aave('AaveOracle'), [provider.address,
    symbols.map((s) => tokens[s].address), symbols.map((s) => feeds[s].address), ZeroAddress, ZeroAddress,
    10n ** 8n]);
  await provider.send('setPriceOracle', oracle.address);
  const dataProvider = await chain.deploy(artifacts.aave('AaveProtocolDataProvider'), [provider.address]);
  await provider.send('setPoolDataProvider', dataProvider.address);

  const aTokenImpl = await chain.deploy(artifacts.aave('AToken'), [pool.address]);
  const stableImpl = await chain.deploy(artifacts.aave('StableDebtToken'), [pool.address]);
  const variableImpl = await chain.deploy(artifacts.aave('VariableDebtToken'), [pool.address]);
  const strategies = {};
  for (const [kind, s] of Object.entries(params.rateStrategies)) {
    strategies[kind] = await chain.deploy(artifacts.aave('DefaultReserveInterestRateStrategy'), [provider.address,
      ray(s.optimal), ray(s.base), ray(s.slope1), ray(s.slope2), ray('0.005'), ray('0.6'), ray('0.02'),
      ray('0.05'), ray('0.2')]);
  }

  await configurator.send('initReserves', symbols.map((s) => ({
    aTokenImpl: aTokenImpl.address,
    stableDebtTokenImpl: stableImpl.address,
    variableDebtTokenImpl: variableImpl.address,
    underlyingAssetDecimals: params.assets[s].decimals,
    interestRateStrategyAddress: strategies[params.strategyOf[s]].address,
    underlyingAsset: tokens[s].address,
    treasury,
    incentivesController: ZeroAddress,
    aTokenName: `Aave Devnet ${s}`,
    aTokenSymbol: `aDev${s}`,
    variableDebtTokenName: `Aave Devnet Variable Debt ${s}`,
    variableDebtTokenSymbol: `variableDebtDev${s}`,
    stableDebtTokenName: `Aave Devnet Stable Debt ${s}`,
    stableDebtTokenSymbol: `stableDebtDev${s}`,
    params: '0x',
  })));

  const reserves = {};
  for (const s of symbols) {
    const r = params.aaveReserves[s];
    await configurator.send('configureReserveAsCollateral', tokens[s].address, r.ltv, r.lt, r.bonus);
    await configurator.send('setReserveBorrowing', tokens[s].address, true);
    await configurator.send('setReserveFactor', tokens[s].address, r.reserveFactor);
    await configurator.send('setLiquidationProtocolFee', tokens[s].address, params.liquidationProtocolFee);
    const [aToken, , variableDebt] = await dataProvider.call('getReserveTokensAddresses', tokens[s].address);
    reserves[s] = {
      asset: tokens[s].address,
      decimals: params.assets[s].decimals,
      feed: feeds[s].address,
      a_token: aToken,
      variable_debt_token: variableDebt,
    };
  }
  const e = params.eMode;
  await configurator.send('setEModeCategory', e.id, e.ltv, e.lt, e.bonus, ZeroAddress, e.label);
  for (const s of e.assets) await configurator.send('setAssetEModeCategory', tokens[s].address, e.id);

  return {
    manifest: {
      pool_addresses_provider: provider.address,
      pool: pool.address,
      oracle: oracle.address,
      data_provider: dataProvider.address,
      reserves,
    },
    pool,
    configurator,
  };
}

/// While seeding, LTVs sit just below the liquidation thresholds so positions can be opened with health factors
/// close to 1 (on mainnet such positions come from price moves); `restore` puts the mainnet LTVs back.
async function setSeedingLtvs(aave, tokens, restore) {
  for (const [s, r] of Object.entries(params.aaveReserves)) {
    await aave.configurator.send('configureReserveAsCollateral', tokens[s].address,
      restore ? r.ltv : r.lt - 1, r.lt, r.bonus);
  }
  const e = params.eMode;
  await aave.configurator.send('setEModeCategory', e.id, restore ? e.ltv : e.lt - 1, e.lt, e.bonus, ZeroAddress,
    e.label);
}

module.exports = { deployAave, setSeedingLtvs };
