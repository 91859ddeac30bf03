'use strict';
// Opens the planned positions with real protocol transactions, many per transaction: the Seeder contract supplies
// collateral on each borrower's behalf and, through BorrowerAgent code installed at the borrower's address for the
// duration (anvil_setCode, removed afterwards), borrows and enters eMode as the borrower itself. Transactions are
// sent with automine off and mined in large blocks.
const { Interface, MaxUint256 } = require('ethers');
const { kTxGas } = require('./chain');
const params = require('./params');

// Gas budget per call (measured on this world with margin) used to pack calls into transactions.
const kGas = { aaveSupply: 260000, aaveBorrow: 420000, emode: 90000, morphoSupply: 110000, morphoBorrow: 200000 };
const kTxBudget = 14000000;
const kTxsPerBlock = 60;

const hex = (n) => `0x${n.toString(16)}`;

function borrowerCalls(b, aave, morpho, markets, tokens) {
  const calls = [];
  if (b.protocol === 'aave') {
    for (const c of b.collaterals) {
      calls.push([{ agent: '0x0000000000000000000000000000000000000000', target: aave.pool.address,
        data: aave.pool.encode('supply', [tokens[c.symbol].address, c.amount, b.address, 0]) }, kGas.aaveSupply]);
    }
    if (b.emode) {
      calls.push([{ agent: b.address, target: aave.pool.address,
        data: aave.pool.encode('setUserEMode', [params.eMode.id]) }, kGas.emode]);
    }
    for (const d of b.debts) {
      calls.push([{ agent: b.address, target: aave.pool.address,
        data: aave.pool.encode('borrow', [tokens[d.symbol].address, d.amount, 2, 0, b.address]) }, kGas.aaveBorrow]);
    }
  } else {
    const p = markets[b.market].params;
    calls.push([{ agent: '0x0000000000000000000000000000000000000000', target: morpho.address,
      data: morpho.encode('supplyCollateral', [p, b.collaterals[0].amount, b.address, '0x']) }, kGas.morphoSupply]);
    calls.push([{ agent: b.address, target: morpho.address,
      data: morpho.encode('borrow', [p, b.debts[0].amount, 0, b.address, b.address]) }, kGas.morphoBorrow]);
  }
  return calls;
}

/// Totals the seeder needs: collateral per token, and what lenders supply (a multiple of what is borrowed).
function lending(plan, markets) {
  const collateral = {};
  const aaveDebt = {};
  const morphoDebt = markets.map(() => 0n);
  for (const b of plan) {
    for (const c of b.collaterals) collateral[c.symbol] = (collateral[c.symbol] || 0n) + c.amount;
    for (const d of b.debts) {
      if (b.protocol === 'aave') aaveDebt[d.symbol] = (aaveDebt[d.symbol] || 0n) + d.amount;
      else morphoDebt[b.market] += d.amount;
    }
  }
  return { collateral, aaveDebt, morphoDebt };
}

async function seedBorrowers(chain, { seeder, agentCode, tokens, aave, morpho, markets, plan, log }) {
  const rpc = chain.rpc;
  const totals = lending(plan, markets);
  // Lenders: the seeder supplies 2.5x the Aave borrows (utilisation ~40%) and 4x Morpho's (IrmMock: 25% APR).
  const aaveLend = Object.fromEntries(Object.keys(params.assets).map((s) =>
    [s, (totals.aaveDebt[s] || 0n) * 5n / 2n + 10n ** BigInt(params.assets[s].decimals + 3)]));
  const morphoLend = totals.morphoDebt.map((d) => d * 4n + 10n ** 9n);
  const setup = [];
  const zero = '0x0000000000000000000000000000000000000000';
  for (const s of Object.keys(params.assets)) {
    let need = (totals.collateral[s] || 0n) + aaveLend[s];
    markets.forEach((m, i) => { if (m.loan === s) need += morphoLend[i]; });
    setup.push({ agent: zero, target: tokens[s].address, data: tokens[s].encode('mint', [seeder.address, need]) });
    for (const spender of [aave.pool.address, morpho.address]) {
      setup.push({ agent: zero, target: tokens[s].address, data: tokens[s].encode('approve', [spender, MaxUint256]) });
    }
    setup.push({ agent: zero, target: aave.pool.address,
      data: aave.pool.encode('supply', [tokens[s].address, aaveLend[s], seeder.address, 0]) });
  }
  markets.forEach((m, i) => setup.push({ agent: zero, target: morpho.address,
    data: morpho.encode('supply', [m.params, morphoLend[i], 0, seeder.address, '0x']) }));
  await seeder.send('run', setup);

  // Pack borrowers into transactions by gas budget, and transactions into blocks.
  const txs = [];
  let current = { calls: [], gas: 0, borrowers: [] };
  for (const b of plan) {
    const calls = borrowerCalls(b, aave, morpho, markets, tokens);
    const gas = calls.reduce((s, [, g]) => s + g, 0);
    if (current.gas + gas > kTxBudget) {
      txs.push(current);
      current = { calls: [], gas: 0, borrowers: [] };
    }
    current.calls.push(...calls.map(([c]) => c));
    current.gas += gas;
    current.borrowers.push(b.address);
  }
  if (current.calls.length > 0) txs.push(current);

  const latest = await rpc.call('eth_getBlockByNumber', ['latest', false]);
  const blockGasLimit = latest.gasLimit;
  await rpc.call('evm_setBlockGasLimit', [hex(BigInt(kTxGas) * BigInt(kTxsPerBlock + 1))]);
  await rpc.call('evm_setAutomine', [false]);
  const seederIface = new Interface(seeder.iface.fragments);
  let nonce = BigInt(await rpc.call('eth_getTransactionCount', [chain.from, 'pending']));
  let done = 0;
  try {
    for (let start = 0; start < txs.length; start += kTxsPerBlock) {
      const group = txs.slice(start, start + kTxsPerBlock);
      const borrowers = group.flatMap((t) => t.borrowers);
      await rpc.batch(borrowers.map((a) => ['anvil_setCode', [a, agentCode]]));
      const hashes = await rpc.batch(group.map((t) => ['eth_sendTransaction', [{
        from: chain.from, to: seeder.address, gas: hex(kTxGas), nonce: hex(nonce++),
        data: seederIface.encodeFunctionData('run', [t.calls]),
      }]]));
      await rpc.call('anvil_mine', ['0x1']);
      const receipts = await rpc.batch(hashes.map((h) => ['eth_getTransactionReceipt', [h]]));
      receipts.forEach((receipt, i) => {
        if (receipt === null || receipt.status !== '0x1') {
          throw new Error(`seeding transaction ${hashes[i]} failed (${receipt ? 'reverted' : 'not mined'})`);
        }
      });
      await rpc.batch(borrowers.map((a) => ['anvil_setCode', [a, '0x']]));
      done += borrowers.length;
      if (log) log(`seeded ${done}/${plan.length} borrowers`);
    }
  } finally {
    await rpc.call('evm_setAutomine', [true]);
    await rpc.call('evm_setBlockGasLimit', [blockGasLimit]);
  }
  return { transactions: txs.length };
}

module.exports = { seedBorrowers };
