'use strict';
// Starts anvil in the background (detached, pid and log in the state dir) and stops it again.
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { Rpc } = require('./rpc');

const anvilBin = path.join(__dirname, '..', 'node_modules', '.bin', 'anvil');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitReady(url, pid, logPath, timeoutMs = 20000) {
  const rpc = new Rpc(url);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) throw new Error(`anvil exited early; see ${logPath}`);
    try {
      await rpc.call('eth_chainId');
      return rpc;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`anvil did not answer on ${url} within ${timeoutMs} ms; see ${logPath}`);
}

/// Starts anvil detached on `port`; writes D/anvil.pid and D/anvil.log. Resolves to { pid, rpc }.
/// `chainId` null: anvil's choice (a fork keeps its origin's). `extraArgs`: more flags (--fork-url ...).
async function startAnvil(dir, port, chainId, extraArgs = []) {
  const logPath = path.join(dir, 'anvil.log');
  const log = fs.openSync(logPath, 'w');
  const args = ['--host', '127.0.0.1', '--port', String(port),
    ...(chainId === null ? [] : ['--chain-id', String(chainId)]),
    '--accounts', '10', '--balance', '1000000', '--no-request-size-limit', ...extraArgs];
  const child = spawn(anvilBin, args, { detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  child.unref();
  fs.writeFileSync(path.join(dir, 'anvil.pid'), `${child.pid}\n`);
  try {
    const rpc = await waitReady(`http://127.0.0.1:${port}`, child.pid, logPath);
    return { pid: child.pid, rpc };
  } catch (e) {
    await stopAnvil(dir);
    throw e;
  }
}

function readPid(dir) {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, 'anvil.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/// Stops the anvil whose pid is in D/anvil.pid (TERM, then KILL after 5 s). Returns whether one was running.
async function stopAnvil(dir) {
  const pid = readPid(dir);
  const pidFile = path.join(dir, 'anvil.pid');
  if (pid === null || !isAlive(pid)) {
    fs.rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && isAlive(pid); ++i) await sleep(50);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(pidFile, { force: true });
  return true;
}

module.exports = { anvilBin, freePort, isAlive, readPid, startAnvil, stopAnvil, sleep };
