// The devnet world as the scenario sees it, from D/manifest.json (the contract written by scripts/devnet).
'use strict';
const fs = require('fs');
const path = require('path');
const abis = require('./abis');

/// Morpho LLTV from the manifest: a WAD integer (string or number) or a fraction below 1.
function parseLltv(value) {
  const n = Number(value);
  if (n > 0 && n < 1) return BigInt(Math.round(n * 1e6)) * 10n ** 12n;
  return BigInt(value);
}

function readManifest(dir) {
  const file = path.join(dir, 'manifest.json');
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`no devnet manifest at ${file} (run scripts/devnet up${dir ? ` --dir ${dir}` : ''} first)`);
  }
  return JSON.parse(text);
}

/// Loads the manifest and reads what it does not carry (pair token order, token decimals).
async function loadWorld(rpc, manifest) {
  const symbols = Object.keys(manifest.feeds);
  const bySymbol = {};
  for (const s of Object.keys(manifest.tokens)) bySymbol[s] = { symbol: s, address: manifest.tokens[s] };
  const decimals = await rpc.views(Object.values(bySymbol).map((t) => ({ to: t.address, iface: abis.erc20, fn: 'decimals' })));
  Object.values(bySymbol).forEach((t, i) => { t.decimals = Number(decimals[i][0]); });
  const symbolOf = (address) => Object.values(bySymbol).find((t) => t.address.toLowerCase() === address.toLowerCase())?.symbol;

  const pairNames = Object.keys(manifest.uniswap_v2.pairs);
  const token0s = await rpc.views(pairNames.map((n) => ({ to: manifest.uniswap_v2.pairs[n], iface: abis.pair, fn: 'token0' })));
  const pairs = pairNames.map((name, i) => {
    const [base, quote] = name.split('/');
    if (!bySymbol[base] || !bySymbol[quote]) throw new Error(`manifest pair ${name}: unknown token`);
    return { name, address: manifest.uniswap_v2.pairs[name], base, quote, baseIsToken0: token0s[i][0].toLowerCase() === bySymbol[base].address.toLowerCase() };
  });
  const markets = (manifest.morpho?.markets || []).map((m) => ({ ...m, lltv: parseLltv(m.lltv) }));
  return { manifest, symbols, tokens: bySymbol, symbolOf, pairs, markets };
}

module.exports = { readManifest, loadWorld, parseLltv };
