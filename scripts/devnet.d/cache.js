'use strict';
// The cached world: anvil's state after a build (anvil_dumpState, gzip) plus what the manifest needs, keyed by a
// hash of every input that shapes the world: the options, our scripts and contracts, the pinned package set and
// the anvil version. A second `up` with the same inputs loads the state instead of rebuilding.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { anvilBin } = require('./anvil');

const scriptsDir = path.join(__dirname, '..');

function cacheDir() {
  if (process.env.SLUICE_DEVNET_CACHE) return process.env.SLUICE_DEVNET_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'sluice', 'devnet');
}

function filesOf(dir, ext) {
  return fs.readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => path.join(dir, f));
}

function cacheKey(options) {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify({ format: 1, ...options }));
  const files = [...filesOf(__dirname, '.js'), ...filesOf(path.join(scriptsDir, 'contracts'), '.sol'),
    path.join(scriptsDir, 'package-lock.json')];
  for (const file of files) hash.update(`${path.basename(file)}\0`).update(fs.readFileSync(file));
  hash.update(execFileSync(anvilBin, ['--version']));
  return hash.digest('hex').slice(0, 24);
}

function paths(key) {
  const dir = cacheDir();
  return { dir, state: path.join(dir, `${key}.state.gz`), world: path.join(dir, `${key}.world.json`) };
}

function load(key) {
  const p = paths(key);
  if (!fs.existsSync(p.state) || !fs.existsSync(p.world)) return null;
  return { state: `0x${fs.readFileSync(p.state).toString('hex')}`, world: JSON.parse(fs.readFileSync(p.world, 'utf8')) };
}

/// Writes atomically (temp file + rename) so a concurrent or interrupted `up` never sees half a cache entry.
function store(key, stateHex, world) {
  const p = paths(key);
  fs.mkdirSync(p.dir, { recursive: true });
  const write = (file, data) => {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  };
  write(p.state, Buffer.from(stateHex.slice(2), 'hex'));
  write(p.world, JSON.stringify(world));
}

module.exports = { cacheDir, cacheKey, load, store };
