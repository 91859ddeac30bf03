// The scenario's own accounts: the market (exogenous flow and the arbitrageur) and the competitor. Fixed
// addresses derived from a label (no key is ever needed: anvil impersonates them), funded with ETH by
// anvil_setBalance and with tokens minted by each token's owner (the devnet's DevnetToken lets its owner mint).
'use strict';
const { keccak256, toUtf8Bytes, getAddress } = require('ethers');
const abis = require('./abis');
const { impersonate, setBalance, send } = require('./node_control');

const MAX_UINT = (1n << 256n) - 1n;

function actorAddress(label) {
  return getAddress('0x' + keccak256(toUtf8Bytes(`sluice-scenario-${label}`)).slice(-40));
}

/// Queues mints of `units` whole tokens of every token to `who` and max approvals to `spenders`; returns hashes.
async function fundActor(rpc, world, who, spenders, units = 10n ** 9n) {
  const tokens = Object.values(world.tokens);
  const owners = await rpc.views(tokens.map((t) => ({ to: t.address, iface: abis.erc20, fn: 'owner' })));
  await impersonate(rpc, [who, ...owners.map((o) => o[0])]);
  await setBalance(rpc, who, 10n ** 24n);
  const hashes = [];
  for (let i = 0; i < tokens.length; i++) {
    const amount = units * 10n ** BigInt(tokens[i].decimals);
    hashes.push(await send(rpc, owners[i][0], tokens[i].address, abis.erc20, 'mint', [who, amount], 120000));
    for (const spender of spenders) hashes.push(await send(rpc, who, tokens[i].address, abis.erc20, 'approve', [spender, MAX_UINT], 80000));
  }
  return hashes;
}

module.exports = { actorAddress, fundActor, MAX_UINT };
