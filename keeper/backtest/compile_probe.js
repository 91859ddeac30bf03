// Compiles LiquidationProbe.sol with a pinned solc-js and prints its runtime (deployed) bytecode, hex without 0x,
// on stdout. Optimizer on (200 runs), evmVersion paris (no PUSH0: runs on every node), and no metadata at all
// (appendCBOR false), so the output depends on nothing but the source and the compiler version.
// Usage: node compile_probe.js <solc-js package dir> <LiquidationProbe.sol>
'use strict';
const fs = require('fs');
const path = require('path');

const [solcDir, sourceFile] = process.argv.slice(2);
if (!sourceFile) {
  console.error('usage: node compile_probe.js <solc-js package dir> <LiquidationProbe.sol>');
  process.exit(2);
}
const solc = require(path.resolve(solcDir));
const input = {
  language: 'Solidity',
  sources: { 'LiquidationProbe.sol': { content: fs.readFileSync(sourceFile, 'utf8') } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'paris',
    metadata: { appendCBOR: false },
    outputSelection: { 'LiquidationProbe.sol': { LiquidationProbe: ['evm.deployedBytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
for (const w of output.errors || []) console.error(w.formattedMessage);
process.stdout.write(`${solc.version()}\n`);
process.stdout.write(`${output.contracts['LiquidationProbe.sol'].LiquidationProbe.evm.deployedBytecode.object}\n`);
