'use strict';
// scripts/bench-keeper: the keeper's reaction time on loopback, from the node's side. A devnet (temporary dir) with
// N borrowers, `sluice run` on it, and scripts/scenario playing a WETH crash with manual mining, paced so that the
// keeper answers every block. Meanwhile this script polls the node in a tight loop: eth_blockNumber (when each
// block is first seen mined) and txpool_content (when each transaction from the keeper's address first appears).
// For every keeper transaction: latency = first seen in the pool - first seen mined of the block it was decided at
// (the `block` of its `sent` event in the keeper's --events file). Prints count, p50, p90, p99 and max (ms), and the
// keeper's own head -> sent figure from the same events (time_ms - block first seen).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const net = require('net');
const { Rpc } = require('../devnet.d/rpc');

const root = path.join(__dirname, '..', '..');
const usage = 'usage: scripts/bench-keeper [--borrowers N] [--path crash:WETH:-30:15] [--pace-ms 1500]';

function parseArgs(argv) {
  const o = { borrowers: 1000, path: 'crash:WETH:-30:15', paceMs: 1500 };
  for (let i = 0; i < argv.length; i++) {
    const v = () => { if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`); return argv[++i]; };
    if (argv[i] === '--borrowers') o.borrowers = Number(v());
    else if (argv[i] === '--path') o.path = v();
    else if (argv[i] === '--pace-ms') o.paceMs = Number(v());
    else throw new Error(`unknown option '${argv[i]}'`);
  }
  return o;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted, q) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-keeper-'));
  const devnet = path.join(root, 'scripts', 'devnet');
  const up = spawnSync(devnet, ['up', '--dir', dir, '--borrowers', String(o.borrowers)], { encoding: 'utf8' });
  if (up.status !== 0) throw new Error(`devnet up failed: ${up.stderr}`);
  let keeper = null;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    let config = fs.readFileSync(path.join(dir, 'sluice.toml'), 'utf8');
    config = config.replace('[strategy]\n', '[strategy]\nmin_profit_usd = 0\nmax_in_flight = 200\n');
    config += `\n[metrics]\naddress = "127.0.0.1:${await freePort()}"\n`;
    fs.writeFileSync(path.join(dir, 'bench.toml'), config);
    const events = path.join(dir, 'events.jsonl');
    const log = fs.openSync(path.join(dir, 'keeper.log'), 'w');
    keeper = spawn(path.join(root, 'build', 'keeper', 'sluice'), ['run', '--config', path.join(dir, 'bench.toml'), '--events', events],
      { stdio: ['ignore', log, log], env: { ...process.env, SLUICE_DEVNET_LIQUIDATOR_KEY: manifest.liquidator.private_key } });
    const rpc = new Rpc(manifest.rpc_http);
    await rpc.call('evm_setAutomine', [false]);
    for (let i = 0; i < 600 && !fs.readFileSync(path.join(dir, 'keeper.log'), 'utf8').includes(' running'); i++) await sleep(100);

    const scenario = spawn(path.join(root, 'scripts', 'scenario'), ['--dir', dir, o.path, '--pace-ms', String(o.paceMs)],
      { stdio: 'ignore' });
    let scenarioDone = false;
    scenario.on('exit', () => { scenarioDone = true; });
    const mined = new Map();  // block -> ms first seen
    const seen = new Map();   // tx hash -> ms first seen in the pool
    const me = manifest.liquidator.address.toLowerCase();
    let head = Number(await rpc.call('eth_blockNumber'));
    let tail = 0;
    while (!scenarioDone || tail++ < 2000) {
      const now = () => Number(process.hrtime.bigint()) / 1e6;
      const n = Number(await rpc.call('eth_blockNumber'));
      const t = now();
      for (let b = head + 1; b <= n; b++) mined.set(b, t);
      head = n;
      const pool = await rpc.call('txpool_content');
      const t2 = now();
      for (const [from, byNonce] of Object.entries(pool.pending || {})) {
        if (from.toLowerCase() !== me) continue;
        for (const tx of Object.values(byNonce)) if (!seen.has(tx.hash)) seen.set(tx.hash, t2);
      }
      // After the scenario: keep mining what the keeper sends so the run ends cleanly.
      if (scenarioDone && tail % 500 === 499) await rpc.call('evm_mine');
    }
    // hrtime is relative: map the keeper's wall-clock event times through one common reference.
    const wallMinusMono = Date.now() - Number(process.hrtime.bigint()) / 1e6;
    const lines = fs.existsSync(events) ? fs.readFileSync(events, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    const poolLatency = [], sendLatency = [];
    for (const e of lines.filter((x) => x.event === 'sent')) {
      const minedAt = mined.get(e.block);
      if (minedAt === undefined) continue;
      if (seen.has(e.hash)) poolLatency.push(seen.get(e.hash) - minedAt);
      sendLatency.push(e.time_ms - wallMinusMono - minedAt);
    }
    const report = (name, xs) => {
      xs.sort((a, b) => a - b);
      console.log(`${name}: n=${xs.length} p50=${quantile(xs, 0.5).toFixed(1)} ms p90=${quantile(xs, 0.9).toFixed(1)} ms ` +
        `p99=${quantile(xs, 0.99).toFixed(1)} ms max=${(xs[xs.length - 1] ?? NaN).toFixed(1)} ms`);
    };
    console.log(`bench-keeper: ${o.borrowers} borrowers, ${o.path}, pace ${o.paceMs} ms, ${lines.length} keeper events`);
    report('block mined -> tx visible in the pool', poolLatency);
    report('block mined -> sent (keeper clock)', sendLatency);
  } finally {
    if (keeper) { keeper.kill('SIGTERM'); await sleep(3000); keeper.kill('SIGKILL'); }
    spawnSync(devnet, ['down', '--dir', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(`bench-keeper: ${e.message}\n${usage}`); process.exit(1); });
