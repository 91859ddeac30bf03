// Anvil controls the scenario needs: explicit mining with fixed block spacing, impersonated senders, balances.
'use strict';

const toQuantity = (n) => '0x' + BigInt(n).toString(16);

/// Takes over block production: automine and interval mining off. Returns a function restoring automine.
async function takeOverMining(rpc) {
  const wasAutomine = await rpc.call('anvil_getAutomine').catch(() => true);
  await rpc.call('evm_setAutomine', [false]);
  await rpc.call('evm_setIntervalMining', [0]);
  return async () => { await rpc.call('evm_setAutomine', [wasAutomine]); };
}

/// Mines one block at `timestamp` (seconds) with whatever is in the pool; returns its number.
async function mineBlock(rpc, timestamp) {
  await rpc.call('evm_setNextBlockTimestamp', [toQuantity(timestamp)]);
  await rpc.call('evm_mine', []);
  return Number(await rpc.call('eth_blockNumber'));
}

async function impersonate(rpc, addresses) {
  await rpc.batch([...new Set(addresses.map((a) => a.toLowerCase()))].map((a) => ['anvil_impersonateAccount', [a]]));
}

async function setBalance(rpc, address, wei) {
  await rpc.call('anvil_setBalance', [address, toQuantity(wei)]);
}

const kGwei = 10n ** 9n;
/// Priority fees (gwei), which order a block (anvil orders by fee): the market's swaps first, then the competitor
/// (a fixed tip a keeper can outbid), and the feed updates last, so that everyone acts on the previous block's
/// prices (nobody can see an update here before it is mined).
const kTip = { world: 3n, competitor: 2n, feed: 0n };

/// Queues a transaction from an impersonated account (it lands in the next mined block). `gas` is always given:
/// estimates run against the last block and would miss the queued transactions this one depends on.
async function send(rpc, from, to, iface, fn, args, gas, tipGwei = kTip.world) {
  const tip = tipGwei * kGwei;
  return rpc.call('eth_sendTransaction', [{
    from, to, data: iface.encodeFunctionData(fn, args), gas: toQuantity(gas),
    maxPriorityFeePerGas: toQuantity(tip), maxFeePerGas: toQuantity(tip + 100n * kGwei),
  }]);
}

/// Receipts of `hashes` (null for those not mined yet).
async function receipts(rpc, hashes) {
  if (hashes.length === 0) return [];
  return rpc.batch(hashes.map((h) => ['eth_getTransactionReceipt', [h]]));
}

module.exports = { takeOverMining, mineBlock, impersonate, setBalance, send, receipts, toQuantity, kTip };
