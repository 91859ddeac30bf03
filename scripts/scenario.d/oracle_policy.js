// When a feed gets a new answer. Chainlink-style: when the candidate moved more than the deviation threshold from
// the last posted answer, or the heartbeat elapsed since the last update; every-block: whenever it changed.
'use strict';

/// `last`, `candidate`: answers (BigInt, feed units); `lastUpdatedAt`, `now`: seconds (block timestamps).
/// `deviationBps`: threshold in basis points (50 = 0.5%); `heartbeat`: seconds.
function shouldUpdate({ policy, last, candidate, lastUpdatedAt, now, deviationBps = 50, heartbeat = 3600 }) {
  if (policy === 'every-block') return candidate !== last;
  if (policy !== 'chainlink') throw new Error(`unknown oracle policy '${policy}'`);
  if (last <= 0n) return true;
  if (now - lastUpdatedAt >= heartbeat) return true;
  const diff = candidate > last ? candidate - last : last - candidate;
  // diff / last > bps / 10000, in integers.
  return diff * 10000n > BigInt(deviationBps) * last;
}

module.exports = { shouldUpdate };
