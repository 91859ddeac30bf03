'use strict';
// scripts/fork: anvil forked from a node (--fork-url, --fork-block-number) and a keeper config for it (see
// README.md, "Fork mode"). The origin is only read (by anvil, lazily); everything the keeper sends goes to the fork.
const fs = require('fs');
const path = require('path');
const { freePort, readPid, isAlive, startAnvil, stopAnvil } = require('../devnet.d/anvil');
const { Rpc } = require('../devnet.d/rpc');
const { forkConfig, chainIdOf, redact } = require('./config');

const kRoot = path.join(__dirname, '..', '..');
const kDefaultDir = path.join(kRoot, '.fork');
const kDefaultConfig = path.join(kRoot, '.devnet', 'sluice.toml');
const usage = `usage: scripts/fork <rpc-url> [block] [--port P] [--dir D] [--config F] [--block-time S]
       scripts/fork down [--dir D]
Starts anvil forked from <rpc-url> (at [block], default its head) on 127.0.0.1:P (default a free port), with
its state in D (default the repository's .fork/), and writes D/sluice.toml: the config F (default the devnet's,
.devnet/sluice.toml) with [chain] pointed at the fork and [journal] in D. Prints the config's path; then run
  sluice run --config D/sluice.toml
The fork mines a block per transaction (anvil's automine), or every S seconds with --block-time S.
The origin is never written to: the keeper signs and sends to the fork only.`;

class UsageError extends Error {}

function parseArgs(argv) {
  const o = { command: 'up', url: null, block: null, port: null, dir: kDefaultDir, config: kDefaultConfig, blockTime: 0 };
  if (argv[0] === 'down') o.command = 'down';
  const rest = o.command === 'down' ? argv.slice(1) : argv;
  for (let i = 0; i < rest.length; ++i) {
    const a = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) throw new UsageError(`${a} needs a value`);
      return rest[++i];
    };
    if (a === '-h' || a === '--help') o.help = true;
    else if (a === '--dir') o.dir = value();
    else if (a === '--port' && o.command === 'up') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new UsageError(`--port: bad value '${v}'`);
      o.port = Number(v);
    } else if (a === '--block-time' && o.command === 'up') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--block-time: bad value '${v}'`);
      o.blockTime = Number(v);
    } else if (a === '--config' && o.command === 'up') o.config = value();
    else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
    else if (o.command === 'up' && o.url === null) o.url = a;
    else if (o.command === 'up' && o.block === null) {
      if (!/^\d+$/.test(a)) throw new UsageError(`block: expected a block number, got '${a}'`);
      o.block = Number(a);
    } else throw new UsageError(`unexpected argument '${a}'`);
  }
  if (!o.help && o.command === 'up' && o.url === null) throw new UsageError('missing <rpc-url>');
  o.dir = path.resolve(o.dir);
  o.config = path.resolve(o.config);
  return o;
}

const log = (message) => process.stderr.write(`fork: ${message}\n`);

async function up(o) {
  if (!fs.existsSync(o.config)) throw new Error(`no source config ${o.config} (give --config F; the default is the devnet's)`);
  const source = fs.readFileSync(o.config, 'utf8');
  const origin = new Rpc(o.url);
  const chainId = Number(await origin.call('eth_chainId'));
  const configured = chainIdOf(source);
  if (configured !== null && configured !== chainId)
    throw new Error(`${o.config} is for chain ${configured} but ${redact(o.url)} is chain ${chainId}`);
  const head = Number(await origin.call('eth_blockNumber'));
  const block = o.block === null ? head : o.block;
  if (block > head) throw new Error(`block ${block} is past the origin's head ${head}`);

  fs.mkdirSync(o.dir, { recursive: true });
  if (await stopAnvil(o.dir)) log('stopped the previous fork in this dir');
  const port = o.port || await freePort();
  // No --chain-id: a fork keeps its origin's, so the config's chain_id (checked by the keeper) holds.
  const { pid, rpc } = await startAnvil(o.dir, port, null,
    ['--fork-url', o.url, '--fork-block-number', String(block), ...(o.blockTime ? ['--block-time', String(o.blockTime)] : [])]);
  try {
    const forkChainId = Number(await rpc.call('eth_chainId'));
    if (forkChainId !== chainId) throw new Error(`the fork reports chain id ${forkChainId}, the origin ${chainId}`);
    const configPath = path.join(o.dir, 'sluice.toml');
    fs.writeFileSync(configPath, forkConfig(source, o.config, {
      rpcHttp: `http://127.0.0.1:${port}`, rpcWs: `ws://127.0.0.1:${port}`, chainId,
      journalPath: path.join(o.dir, 'sluice-journal.sqlite'), origin: redact(o.url), block,
    }));
    fs.writeFileSync(path.join(o.dir, 'fork.json'), `${JSON.stringify({ origin: redact(o.url), block, chain_id: chainId,
      rpc_http: `http://127.0.0.1:${port}`, rpc_ws: `ws://127.0.0.1:${port}`, pid, config: configPath }, null, 2)}\n`);
    log(`anvil pid ${pid} on http://127.0.0.1:${port}, forked from ${redact(o.url)} at block ${block} (chain ${chainId})`);
    log(`run the keeper against it:  sluice run --config ${configPath}`);
    log(`(the signer comes from the source config's [signer]; stop the fork with: scripts/fork down --dir ${o.dir})`);
    process.stdout.write(`${configPath}\n`);
  } catch (e) {
    await stopAnvil(o.dir);
    throw e;
  }
}

async function down(o) {
  const pid = readPid(o.dir);
  const stopped = pid !== null && isAlive(pid) && await stopAnvil(o.dir);
  log(stopped ? `stopped the fork in ${o.dir}` : `no fork running in ${o.dir}`);
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`error: ${e.message}\n${usage}\n`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (o.command === 'down') await down(o);
  else await up(o);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`error: ${e.message}\n`);
  process.exitCode = 1;
});
