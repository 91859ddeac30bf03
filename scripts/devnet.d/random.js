'use strict';
// A small seeded PRNG (sfc32, seeded through SHA-256) so a world is a pure function of its seed.
const crypto = require('crypto');

function rng(seed, stream) {
  const digest = crypto.createHash('sha256').update(`${seed}/${stream}`).digest();
  let a = digest.readUInt32LE(0), b = digest.readUInt32LE(4), c = digest.readUInt32LE(8), d = digest.readUInt32LE(12);
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; ++i) next();
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    logUniform: (lo, hi) => Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * next()),
    /// Picks a key of `weights` ({key: weight}) with probability proportional to its weight.
    pick: (weights) => {
      const entries = Object.entries(weights);
      let x = next() * entries.reduce((s, [, w]) => s + w, 0);
      for (const [key, w] of entries) {
        if ((x -= w) < 0) return key;
      }
      return entries[entries.length - 1][0];
    },
  };
}

module.exports = { rng };
