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

// The keeper config for this world, in the schema config/load_config.cpp reads (README.md, "Configuration").
function toml(manifest, manifestPath) {
  const q = (s) => JSON.stringify(String(s));
  const table = (obj) => Object.entries(obj).map(([k, v]) => `${k} = ${q(v)}`).join('\n');
  const a = manifest.aave;
  const u = manifest.uniswap_v2;
  const pools = Object.entries(u.pairs || {}).map(([name, pair]) => `${q(name)} = ${q(pair)}`).join(', ');
  return `# Keeper configuration for the local devnet, written by \`scripts/devnet up\`.
# DEVNET ONLY: the liquidator's key is fixed and public (field liquidator.private_key of
# ${manifestPath}); never use it, nor this file, on a real network.

[chain]
rpc_http = ${q(manifest.rpc_http)}
rpc_ws = ${q(manifest.rpc_ws)}
chain_id = ${manifest.chain_id}

[signer]
# The key never goes in a config file: export it first, e.g.
#   export SLUICE_DEVNET_LIQUIDATOR_KEY=$(node -p 'require("${manifestPath}").liquidator.private_key')
private_key_env = "SLUICE_DEVNET_LIQUIDATOR_KEY"
address = ${q(manifest.liquidator.address)}

[aave]
pool = ${q(a.pool)}
pool_addresses_provider = ${q(a.pool_addresses_provider)}
oracle = ${q(a.oracle)}
data_provider = ${q(a.data_provider)}
# Discovery starts at genesis: the devnet deploys the protocols and seeds every position from block 1 on.
start_block = 0

[morpho]
morpho = ${q(manifest.morpho.morpho)}
markets = [${manifest.morpho.markets.map((m) => q(m.id)).join(', ')}]
start_block = 0

[tokens]
${table(manifest.tokens)}

[feeds]
${table(manifest.feeds)}

[uniswap_v2]
factory = ${q(u.factory)}
router = ${q(u.router)}
pools = { ${pools} }

[strategy]
# Seized collateral: "throttled" (sold on the throttle plan's schedule), "immediate" or "keep".
dispose = "throttled"

[journal]
path = "sluice-journal.sqlite"

[log]
format = "text"
level = "info"
`;
}

function writeWorldFiles(dir, manifest, plan) {
  const manifestPath = path.join(dir, 'manifest.json');
  fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, bigintAsString, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'borrowers.json'), `${JSON.stringify(plan, bigintAsString)}\n`);
  fs.writeFileSync(path.join(dir, 'sluice.toml'), toml(manifest, manifestPath));
  return manifestPath;
}

module.exports = { manifestOf, writeWorldFiles, bigintAsString, toml };

// `node scripts/devnet.d/manifest.js toml <manifest.json>` prints the keeper config for that manifest (tests use it
// to check that what `up` writes loads with the keeper's config loader, without building a world).
if (require.main === module) {
  const [command, manifestPath] = process.argv.slice(2);
  if (command !== 'toml' || !manifestPath) {
    process.stderr.write('usage: node manifest.js toml <manifest.json>\n');
    process.exit(2);
  }
  const absolute = path.resolve(manifestPath);
  process.stdout.write(toml(JSON.parse(fs.readFileSync(absolute, 'utf8')), absolute));
}
