// Compiles MathHarness.sol with a pinned solc-js and prints the creation bytecode (hex, no 0x) on stdout.
// Usage: node compile.js <node_modules dir> <solc package name> <source file>
// Imports ("@aave/...", "@morpho-org/...") are resolved inside <node_modules dir>.
'use strict';
const fs = require('fs');
const path = require('path');

const [nodeModules, solcPackage, sourceFile] = process.argv.slice(2);
if (!sourceFile) {
  console.error('usage: node compile.js <node_modules dir> <solc package> <source.sol>');
  process.exit(2);
}
const solc = require(path.join(path.resolve(nodeModules), solcPackage));
const input = {
  language: 'Solidity',
  sources: { 'MathHarness.sol': { content: fs.readFileSync(sourceFile, 'utf8') } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { 'MathHarness.sol': { MathHarness: ['evm.bytecode.object'] } },
  },
};
const findImports = (importPath) => {
  const full = path.join(nodeModules, importPath);
  try {
    return { contents: fs.readFileSync(full, 'utf8') };
  } catch (e) {
    return { error: `cannot read ${full}: ${e.message}` };
  }
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
process.stdout.write(output.contracts['MathHarness.sol'].MathHarness.evm.bytecode.object + '\n');
