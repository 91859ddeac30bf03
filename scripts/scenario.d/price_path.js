// A scenario's reference price path: for step i (0 = the starting prices, 1..steps = one per mined block) the
// multiplier of each asset's starting price. Pure; parsed from the `crash:`, `step:` and `csv:` path texts.
'use strict';
const { parseTimeBound, readCsvPrices, selectRange } = require('./csv_prices');

/// Default betas for csv: replay (how each asset's log-return follows ETH's): stablecoins stay put.
const kDefaultBetas = { WETH: 1, WBTC: 1, USDC: 0, DAI: 0 };

function parsePercent(text, what) {
  const v = Number(text);
  if (text === '' || !Number.isFinite(v) || v <= -100) throw new Error(`${what}: bad percent '${text}' (a number > -100)`);
  return v;
}

/// Linear move of one asset by `percent` over `blocks` blocks.
function crashPath(asset, percent, blocks) {
  return {
    kind: 'crash',
    steps: blocks,
    multiplier: (i, symbol) => (symbol === asset ? 1 + (percent / 100) * (Math.min(i, blocks) / blocks) : 1),
  };
}

/// One jump of one asset by `percent` in the first block.
function stepPath(asset, percent) {
  return { kind: 'step', steps: 1, multiplier: (i, symbol) => (symbol === asset && i >= 1 ? 1 + percent / 100 : 1) };
}

/// Replays `rows` ({time, price}) one per block: ETH's price scaled to WETH; another asset's multiplier is
/// (ETH multiplier)^beta (beta from `betas`, default kDefaultBetas, else 1).
function csvPath(rows, betas = {}) {
  if (rows.length < 2) throw new Error('csv: the selected time range has fewer than 2 rows');
  const base = rows[0].price;
  const beta = (symbol) => (symbol in betas ? betas[symbol] : symbol in kDefaultBetas ? kDefaultBetas[symbol] : 1);
  return {
    kind: 'csv',
    steps: rows.length - 1,
    times: rows.map((r) => r.time),
    multiplier: (i, symbol) => Math.pow(rows[Math.min(i, rows.length - 1)].price / base, beta(symbol)),
  };
}

/// Parses a path text; `readRows(file)` loads a csv (injectable for tests). Throws Error with a clear message.
function parsePath(text, { betas = {}, readRows = readCsvPrices } = {}) {
  const parts = text.split(':');
  const kind = parts[0];
  if (kind === 'crash') {
    if (parts.length !== 4) throw new Error(`path '${text}': expected crash:<ASSET>:<percent>:<blocks>`);
    const blocks = Number(parts[3]);
    if (!Number.isInteger(blocks) || blocks < 1) throw new Error(`path '${text}': blocks must be a positive integer`);
    return Object.assign(crashPath(parts[1], parsePercent(parts[2], `path '${text}'`), blocks), { asset: parts[1] });
  }
  if (kind === 'step') {
    if (parts.length !== 3) throw new Error(`path '${text}': expected step:<ASSET>:<percent>`);
    return Object.assign(stepPath(parts[1], parsePercent(parts[2], `path '${text}'`)), { asset: parts[1] });
  }
  if (kind === 'csv') {
    let file = parts.slice(1).join(':');
    let start;
    let end;
    if (parts.length >= 4) {
      const s = parseTimeBound(parts[parts.length - 2]);
      const e = parseTimeBound(parts[parts.length - 1]);
      if (s !== undefined && e !== undefined) {
        file = parts.slice(1, -2).join(':');
        start = s;
        end = e;
        if (end <= start) throw new Error(`path '${text}': end time must be after start time`);
      }
    }
    if (file === '') throw new Error(`path '${text}': expected csv:<file>[:<start-time>:<end-time>]`);
    return Object.assign(csvPath(selectRange(readRows(file), start, end), betas), { asset: 'WETH', file });
  }
  throw new Error(`path '${text}': unknown kind '${kind}' (crash, step or csv)`);
}

module.exports = { parsePath, crashPath, stepPath, csvPath, kDefaultBetas };
