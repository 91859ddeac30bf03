// The devnet's Chainlink-style feeds (8 decimals, owner-set by updateAnswer, AnswerUpdated on each update).
'use strict';
const abis = require('./abis');
const { send, impersonate, kTip } = require('./node_control');

const kFeedDecimals = 8;

/// {SYMBOL: {address, owner, answer (BigInt), updatedAt (s)}} for every feed of the manifest.
async function readFeeds(rpc, world) {
  const entries = Object.entries(world.manifest.feeds);
  const calls = [];
  for (const [, address] of entries) {
    calls.push({ to: address, iface: abis.feed, fn: 'latestRoundData' }, { to: address, iface: abis.feed, fn: 'owner' });
  }
  const r = await rpc.views(calls);
  const out = {};
  entries.forEach(([symbol, address], i) => {
    const round = r[2 * i];
    out[symbol] = { address, owner: r[2 * i + 1][0], answer: BigInt(round[1]), updatedAt: Number(round[3]) };
  });
  return out;
}

async function impersonateFeedOwners(rpc, feeds) {
  await impersonate(rpc, Object.values(feeds).map((f) => f.owner));
}

/// Queues an update of `feed` to `answer` (BigInt, 8 decimals); returns the hash.
async function updateFeed(rpc, feed, answer) {
  return send(rpc, feed.owner, feed.address, abis.feed, 'updateAnswer', [answer], 150000, kTip.feed);
}

const toAnswer = (usd) => BigInt(Math.round(usd * 10 ** kFeedDecimals));
const fromAnswer = (answer) => Number(answer) / 10 ** kFeedDecimals;

module.exports = { readFeeds, impersonateFeedOwners, updateFeed, toAnswer, fromAnswer };
