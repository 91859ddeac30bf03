'use strict';
// scripts/devnet: up / down / status of the local world (see README.md, "Local devnet").
const fs = require('fs');
const path = require('path');
const { freePort, isAlive, readPid, startAnvil, stopAnvil } = require('./anvil');
const { buildWorld } = require('./world');
const cache = require('./cache');
const { manifestOf, writeWorldFiles, bigintAsString } = require('./manifest');
const { Rpc } = require('./rpc');
const params = require('./params');

const kChainId = 31337;
// The default state dir is the repository's .devnet/ (git-ignored), whatever the current directory.
const kDefaultDir = path.join(__dirname, '..', '..', '.devnet');
const usage = `usage: scripts/devnet up [--port P] [--borrowers N] [--seed S] [--dir D] [--no-cache] [--history N]
                     [--depth-weth-usdc USDC] [--depth-wbtc-usdc USDC] [--depth-weth-dai DAI]
       scripts/devnet down [--dir D]
       scripts/devnet status [--dir D]
D defaults to the repository's .devnet/
--history N: anvil keeps the last N blocks' states in memory (--prune-history N), so reads at past blocks
(sluice backtest, scan --block) are fast; without it a large world's past states are paged to disk and each
read at an older block reloads one (tens of seconds with 1,000 borrowers). Memory: ~1.5 MB per state there.`;

class UsageError extends Error {}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (!['up', 'down', 'status'].includes(command)) throw new UsageError(`unknown command '${command || ''}'`);
  const options = { command, dir: kDefaultDir, port: null, borrowers: 1000, seed: 1, cache: true, depths: {},
    history: null };
  for (const pool of params.pools) options.depths[pool.flag] = pool.depth;
  const integer = (name, text, min, max) => {
    const n = Number(text);
    if (!/^\d+$/.test(text || '') || n < min || n > max) throw new UsageError(`--${name} wants an integer in [${min}, ${max}]`);
    return n;
  };
  for (let i = 0; i < rest.length; ++i) {
    const flag = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) throw new UsageError(`${flag} needs a value`);
      return rest[++i];
    };
    if (flag === '--dir') options.dir = value();
    else if (flag === '--port' && command === 'up') options.port = integer('port', value(), 1, 65535);
    else if (flag === '--borrowers' && command === 'up') options.borrowers = integer('borrowers', value(), 0, 100000);
    else if (flag === '--seed' && command === 'up') options.seed = integer('seed', value(), 0, 2 ** 32 - 1);
    else if (flag === '--no-cache' && command === 'up') options.cache = false;
    else if (flag === '--history' && command === 'up') options.history = integer('history', value(), 1, 1000000);
    else if (flag.startsWith('--depth-') && command === 'up' && flag.slice(2) in options.depths) {
      options.depths[flag.slice(2)] = integer(flag.slice(2), value(), 1, 1e12);
    } else throw new UsageError(`unknown option '${flag}' for ${command}`);
  }
  options.dir = path.resolve(options.dir);
  return options;
}

const log = (message) => process.stderr.write(`devnet: ${message}\n`);

async function up(options) {
  const started = Date.now();
  fs.mkdirSync(options.dir, { recursive: true });
  if (await stopAnvil(options.dir)) log('stopped the previous anvil in this dir');
  const port = options.port || await freePort();
  const key = cache.cacheKey({ borrowers: options.borrowers, seed: options.seed, depths: options.depths,
    chainId: kChainId });
  const { pid, rpc } = await startAnvil(options.dir, port, kChainId,
    options.history === null ? [] : ['--prune-history', String(options.history)]);
  try {
    let world = options.cache ? cache.load(key) : null;
    if (world) {
      await rpc.call('anvil_loadState', [world.state]);
      // Interest accrues with block time: continue right after the cached world's last block, not at wall time.
      await rpc.call('evm_setTime', [world.world.timestamp + 1]);
      world = world.world;
      log(`loaded cached world ${key}`);
    } else {
      world = await buildWorld(rpc, { borrowers: options.borrowers, seed: options.seed, depths: options.depths,
        cacheDir: cache.cacheDir(), log });
      const latest = await rpc.call('eth_getBlockByNumber', ['latest', false]);
      world = JSON.parse(JSON.stringify({ ...world, timestamp: Number(latest.timestamp) }, bigintAsString));
      if (options.cache) {
        try {
          cache.store(key, await rpc.call('anvil_dumpState'), world);
          log(`cached the world as ${key}`);
        } catch (e) {
          log(`warning: could not cache the world (${e.message}); the next up rebuilds it`);
        }
      }
    }
    const startBlock = Number(await rpc.call('eth_blockNumber'));
    const manifest = manifestOf(world, { port, chainId: kChainId, startBlock });
    const manifestPath = writeWorldFiles(options.dir, manifest, world.plan);
    log(`anvil pid ${pid} on ${manifest.rpc_http}, ${world.plan.length} borrowers, up in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.stdout.write(`${manifestPath}\n`);
  } catch (e) {
    await stopAnvil(options.dir);
    throw e;
  }
}

async function down(options) {
  const stopped = await stopAnvil(options.dir);
  log(stopped ? `stopped anvil in ${options.dir}` : `no anvil running in ${options.dir}`);
}

async function status(options) {
  const pid = readPid(options.dir);
  if (pid === null || !isAlive(pid)) {
    process.stdout.write(`stopped (${options.dir})\n`);
    return 1;
  }
  let line = `running pid ${pid} (${options.dir})`;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(options.dir, 'manifest.json'), 'utf8'));
    const block = Number(await new Rpc(manifest.rpc_http).call('eth_blockNumber'));
    line += ` rpc ${manifest.rpc_http} block ${block} borrowers ${manifest.borrowers.length}`;
  } catch (e) {
    line += ` (no answer: ${e.message})`;
  }
  process.stdout.write(`${line}\n`);
  return 0;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`error: ${e.message}\n${usage}\n`);
    return 2;
  }
  if (options.command === 'up') await up(options);
  else if (options.command === 'down') await down(options);
  else return status(options);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`error: ${e.message}\n`);
  process.exitCode = 1;
});
