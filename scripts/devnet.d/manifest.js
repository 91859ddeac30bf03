'use strict';
// Writes D/manifest.json (the field names other tools rely on), D/borrowers.json (each borrower's plan and
// target health factor) and D/sluice.toml (a keeper config for this world).
const fs = require('fs');
const path = require('path');

const bigintAsString = (_, v) => (typeof v === 'bigint' ? v.toString() : v);

function manifestOf(world, { port, chainId, startBlock }) {
  return {
    rpc_http: `http://127.0.0.1:${port}`,
    rpc_ws: `ws://127.0.0.1:${port}`,
    chain_id: chainId,
    start_block: startBlock,
    ...world.manifest,
  };
}

function toml(manifest, manifestPath) {
  const q = (s) => JSON.stringify(String(s));
  const table = (obj) => Object.entries(obj).map(([k, v]) => `${k} = ${q(v)}`).join('\n');
  const a = manifest.aave;
  return `# Keeper configuration for the local devnet, written by \`scripts/devnet up\`.
# The full schema is completed by the executor issue; this file holds what the devnet provides today.
# Devnet only: the liquidator key below is public knowledge, never use it on a real network.

[chain]
rpc_http = ${q(manifest.rpc_http)}
rpc_ws = ${q(manifest.rpc_ws)}
chain_id = ${manifest.chain_id}
start_block = ${manifest.start_block}

[liquidator]
address = ${q(manifest.liquidator.address)}
# The key is not repeated here: it is field liquidator.private_key of this manifest.
private_key_source = ${q(`manifest:${manifestPath}#liquidator.private_key`)}

[aave]
pool_addresses_provider = ${q(a.pool_addresses_provider)}
pool = ${q(a.pool)}
oracle = ${q(a.oracle)}
data_provider = ${q(a.data_provider)}

[morpho]
morpho = ${q(manifest.morpho.morpho)}
markets = [${manifest.morpho.markets.map((m) => q(m.id)).join(', ')}]

[uniswap_v2]
factory = ${q(manifest.uniswap_v2.factory)}
router = ${q(manifest.uniswap_v2.router)}

[tokens]
${table(manifest.tokens)}

[feeds]
${table(manifest.feeds)}
`;
}

function writeWorldFiles(dir, manifest, plan) {
  const manifestPath = path.join(dir, 'manifest.json');
  fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, bigintAsString, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'borrowers.json'), `${JSON.stringify(plan, bigintAsString)}\n`);
  fs.writeFileSync(path.join(dir, 'sluice.toml'), toml(manifest, manifestPath));
  return manifestPath;
}

module.exports = { manifestOf, writeWorldFiles, bigintAsString };
