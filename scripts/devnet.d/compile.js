'use strict';
// Compiles Morpho Blue 1.0.0 (from the npm package's sources) and our small contracts with solc-js 0.8.19, as
// Morpho's own build does (optimizer runs 999999, no via-IR). The output is cached by a hash of the sources.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const scriptsDir = path.join(__dirname, '..');
const morphoRoot = path.join(scriptsDir, 'node_modules', '@morpho-org', 'morpho-blue');
const ourRoot = path.join(scriptsDir, 'contracts');

function sources() {
  const result = {
    'morpho/Morpho.sol': path.join(morphoRoot, 'src', 'Morpho.sol'),
    'morpho/mocks/IrmMock.sol': path.join(morphoRoot, 'src', 'mocks', 'IrmMock.sol'),
  };
  for (const file of fs.readdirSync(ourRoot).filter((f) => f.endsWith('.sol')).sort()) {
    result[`sluice/${file}`] = path.join(ourRoot, file);
  }
  return result;
}

function resolveImport(importPath) {
  const [root, rest] = importPath.startsWith('morpho/') ? [path.join(morphoRoot, 'src'), importPath.slice(7)]
    : importPath.startsWith('sluice/') ? [ourRoot, importPath.slice(7)] : [null, null];
  if (root === null) return { error: `unknown import ${importPath}` };
  try {
    return { contents: fs.readFileSync(path.join(root, rest), 'utf8') };
  } catch (e) {
    return { error: e.message };
  }
}

/// Returns { ContractName: { abi, bytecode } } for Morpho, IrmMock and every contract in scripts/contracts.
function compileAll(cacheDir) {
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources()).map(([name, file]) => [name,
      { content: fs.readFileSync(file, 'utf8') }])),
    settings: {
      optimizer: { enabled: true, runs: 999999 },
      evmVersion: 'paris',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const text = JSON.stringify(input);
  const key = crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
  const cacheFile = path.join(cacheDir, `contracts-${key}.json`);
  if (fs.existsSync(cacheFile)) return JSON.parse(fs.readFileSync(cacheFile, 'utf8'));

  const solc = require(path.join(scriptsDir, 'node_modules', 'solc0819'));
  const output = JSON.parse(solc.compile(text, { import: resolveImport }));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const contracts = {};
  for (const file of Object.values(output.contracts)) {
    for (const [name, c] of Object.entries(file)) {
      if (c.evm.bytecode.object.length > 0) contracts[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
    }
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(cacheFile, JSON.stringify(contracts));
  return contracts;
}

module.exports = { compileAll };
