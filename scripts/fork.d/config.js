// The keeper config for a fork: the source config (the origin's) with [chain] pointed at the fork and [journal]
// in the fork's dir; every other section (addresses, signer, strategy) copied as is, so the keeper runs unchanged.
'use strict';
const path = require('path');

const kHeader = /^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?$/;

/// The [chain] chain_id of a config's text, or null.
function chainIdOf(text) {
  let section = '';
  for (const line of text.split('\n')) {
    const h = kHeader.exec(line);
    if (h) { section = h[1]; continue; }
    const m = /^\s*chain_id\s*=\s*(\d+)/.exec(line);
    if (section === 'chain' && m) return Number(m[1]);
  }
  return null;
}

/// `text`: the source config (read from `sourcePath`). Returns the fork's config text. Relative signer paths are
/// made absolute (the new file lives elsewhere).
function forkConfig(text, sourcePath, { rpcHttp, rpcWs, chainId, journalPath, origin, block }) {
  const q = (s) => JSON.stringify(String(s));
  const sourceDir = path.dirname(path.resolve(sourcePath));
  const out = [
    `# Keeper configuration for a local fork, written by \`scripts/fork\` from ${sourcePath}`,
    `# (origin ${origin}, forked at block ${block}). Only [chain] and [journal] differ from it.`,
    '',
  ];
  const chain = ['[chain]', `rpc_http = ${q(rpcHttp)}`, `rpc_ws = ${q(rpcWs)}`, `chain_id = ${chainId}`, ''];
  const journal = ['[journal]', `path = ${q(journalPath)}`, ''];
  let section = '';
  let wroteJournal = false;
  for (const line of text.split('\n')) {
    const h = kHeader.exec(line);
    if (h) {
      section = h[1];
      if (section === 'chain') out.push(...chain);
      if (section === 'journal') { out.push(...journal); wroteJournal = true; }
      if (section !== 'chain' && section !== 'journal') out.push(line);
      continue;
    }
    if (section === 'chain' || section === 'journal') continue;
    const m = section === 'signer' && /^(\s*(keystore|password_file)\s*=\s*)"([^"]*)"(.*)$/.exec(line);
    if (m && !path.isAbsolute(m[3])) out.push(`${m[1]}${q(path.resolve(sourceDir, m[3]))}${m[4]}`);
    else if (!(section === '' && /^\s*#/.test(line))) out.push(line);  // the source's own header comment goes
  }
  if (!wroteJournal) out.push('', ...journal);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/// The origin URL without credentials or path (API keys live there): scheme://host[:port].
function redact(url) {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '<url>';
  }
}

module.exports = { forkConfig, chainIdOf, redact };
