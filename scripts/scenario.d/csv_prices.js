// Reads a per-minute price file (the ETH/USDT format of data/ethusdt-2021-01-minute.csv) into [{time, price}],
// time in Unix seconds, price the mid of ask and bid (or a `price`/`close` column when the file has one).
'use strict';
const fs = require('fs');

/// Parses a time bound of a csv: path. No colons allowed (they separate the path's fields): Unix seconds
/// ("1610323200"), a UTC date ("2021-01-11") or a UTC date and time without colons ("2021-01-11T0630").
function parseTimeBound(text) {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/// Converts a timestamp column value to seconds: the file's microseconds (or ms, or s) by magnitude.
function toSeconds(value) {
  if (value > 1e14) return value / 1e6;
  if (value > 1e11) return value / 1e3;
  return value;
}

/// Parses CSV text; throws Error naming the line for anything malformed. Rows keep file order.
function parseCsvPrices(text) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new Error('price file has no data rows');
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  const col = (...names) => names.map((n) => header.indexOf(n)).find((i) => i >= 0);
  const timeCol = col('timestamp_x', 'timestamp', 'time');
  const askCol = col('ask_price');
  const bidCol = col('bid_price');
  const priceCol = col('price', 'close', 'mid');
  if (timeCol === undefined) throw new Error('price file has no timestamp column');
  if (priceCol === undefined && (askCol === undefined || bidCol === undefined)) {
    throw new Error('price file needs a price/close column or ask_price and bid_price');
  }
  const rows = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    const num = (c) => (c === undefined ? NaN : Number(cells[c]));
    const time = toSeconds(num(timeCol));
    const price = priceCol !== undefined ? num(priceCol) : (num(askCol) + num(bidCol)) / 2;
    if (!Number.isFinite(time) || !Number.isFinite(price) || price <= 0) {
      throw new Error(`price file line ${i + 1}: bad time or price: ${lines[i]}`);
    }
    rows.push({ time, price });
  }
  return rows;
}

/// Rows with start <= time < end (either bound may be undefined).
function selectRange(rows, start, end) {
  return rows.filter((r) => (start === undefined || r.time >= start) && (end === undefined || r.time < end));
}

function readCsvPrices(file) {
  return parseCsvPrices(fs.readFileSync(file, 'utf8'));
}

module.exports = { parseTimeBound, parseCsvPrices, selectRange, readCsvPrices, toSeconds };
