// scripts/scenario: drives a devnet through a price path, one explicitly mined block per step (see README.md).
// Each block, in this order: the market's swaps (flow and arbitrage), the competitor's sale of last block's
// collateral and its due liquidations, then the feed updates (tips order the block: node_control.js kTip); then
// one block is mined at a fixed timestamp spacing.
'use strict';
const path = require('path');
const { parseArgs, kUsage } = require('./args');
const { parsePath } = require('./price_path');
const { shouldUpdate } = require('./oracle_policy');
const { Rpc } = require('../devnet.d/rpc');
const { readManifest, loadWorld } = require('./world');
const { takeOverMining, mineBlock, receipts } = require('./node_control');
const { actorAddress, fundActor } = require('./actors');
const { readFeeds, impersonateFeedOwners, updateFeed, toAnswer, fromAnswer } = require('./feeds');
const { readReserves, pairPrices, swapPairTo } = require('./pools');
const { Competitor } = require('./competitor');
const { liquidationsInBlock } = require('./liquidation_events');
const { Journal } = require('./journal');

const mapValues = (obj, f) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, f(v, k)]));

/// Reference USD prices at `step`.
function referenceAt(pricePath, start, step) {
  return mapValues(start, (usd, symbol) => usd * pricePath.multiplier(step, symbol));
}

/// The price a feed would publish: the reference, or (market-coupled) the pool price of the first pair where the
/// asset is the base, valued at the quote's reference.
function feedCandidate(o, world, symbol, reference, prices) {
  const pair = o.marketCoupled ? world.pairs.find((p) => p.base === symbol) : undefined;
  return pair ? prices[pair.name] * reference[pair.quote] : reference[symbol];
}

/// --pace-ms: waits until `paceMs` ms have passed since `minedAt` (Date.now() when the last block was mined), so
/// that a keeper reacting to that block gets its transactions into the pool before the next block's.
async function pace(paceMs, minedAt) {
  const wait = minedAt + paceMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/// Waits for the receipts of `pending` ({hash, kind}); returns {mined: [...with status], pending: [...]}.
async function settle(rpc, pending) {
  const rs = await receipts(rpc, pending.map((p) => p.hash));
  const mined = [];
  const still = [];
  pending.forEach((p, i) => (rs[i] ? mined.push({ ...p, ok: rs[i].status === '0x1', gas: Number(rs[i].gasUsed) }) : still.push(p)));
  return { mined, pending: still };
}

async function run(o) {
  const manifest = readManifest(o.dir);
  const rpc = new Rpc(manifest.rpc_http);
  const world = await loadWorld(rpc, manifest);
  const pricePath = parsePath(o.path, { betas: o.betas });
  if (pricePath.asset && !(pricePath.asset in manifest.feeds)) {
    throw new Error(`path '${o.path}': no feed for ${pricePath.asset} (feeds: ${Object.keys(manifest.feeds).join(', ')})`);
  }
  const restoreMining = await takeOverMining(rpc);
  const journal = new Journal(o.out);
  const began = process.hrtime.bigint();
  const totals = { aave: 0, morpho: 0, reverted: 0 };
  try {
    let feeds = await readFeeds(rpc, world);
    await impersonateFeedOwners(rpc, feeds);
    const start = mapValues(feeds, (f) => fromAnswer(f.answer));
    const marketAddr = actorAddress('market');
    let pending = (await fundActor(rpc, world, marketAddr, [manifest.uniswap_v2.router])).map((hash) => ({ hash, kind: 'setup' }));
    let competitor = null;
    if (o.competitor !== null) {
      competitor = new Competitor(world, actorAddress('competitor'), o.competitor);
      const spenders = [manifest.uniswap_v2.router, manifest.aave.pool, manifest.morpho.morpho];
      pending.push(...(await fundActor(rpc, world, competitor.address, spenders)).map((hash) => ({ hash, kind: 'setup' })));
    }
    let timestamp = Number((await rpc.call('eth_getBlockByNumber', ['latest', false])).timestamp) + o.blockTime;
    let block = await mineBlock(rpc, timestamp);
    let minedAt = Date.now();
    const setup = await settle(rpc, pending);
    const failed = setup.mined.filter((t) => !t.ok).length + setup.pending.length;
    if (failed > 0) throw new Error(`${failed} set-up transactions (token mints, approvals) failed or were not mined`);
    pending = [];
    let inventory = {};
    if (competitor) {
      await competitor.discover(rpc);
      inventory = await competitor.balances(rpc);
      await competitor.scan(rpc, 0, feeds);
    }
    let reserves = await readReserves(rpc, world);
    let prices = pairPrices(world, reserves);
    let reference = referenceAt(pricePath, start, 0);
    journal.write({ step: 0, block, timestamp, reference, feed: mapValues(feeds, (f) => fromAnswer(f.answer)), feed_updated: [], pool: prices, liquidations: [] });

    for (let step = 1; step <= pricePath.steps; step++) {
      await pace(o.paceMs, minedAt);
      timestamp += o.blockTime;
      const previous = reference;
      reference = referenceAt(pricePath, start, step);
      const queued = [];
      // The market: exogenous flow (the pool follows the reference's relative move) and arbitrage toward it.
      for (let i = 0; i < world.pairs.length; i++) {
        const p = world.pairs[i];
        const refNow = reference[p.base] / reference[p.quote];
        const refBefore = previous[p.base] / previous[p.quote];
        let target = o.flow ? prices[p.name] * (refNow / refBefore) : prices[p.name];
        target += o.arbitrage * (refNow - target);
        const hash = await swapPairTo(rpc, world, i, reserves, target, marketAddr, timestamp + 3600);
        if (hash) queued.push({ hash, kind: 'market' });
      }
      // The competitor: sell what it seized, then liquidate what is due.
      let sold = {};
      let sent = [];
      if (competitor) {
        const d = await competitor.dump(rpc, inventory, timestamp + 3600);
        sold = d.sold;
        queued.push(...d.hashes.map((hash) => ({ hash, kind: 'dump' })));
        sent = await competitor.liquidate(rpc, step);
        queued.push(...sent.map((s) => ({ hash: s.hash, kind: 'liquidation' })));
      }
      // Feeds (last in the block by their tip: see kTip).
      const feedUpdated = [];
      for (const [symbol, feed] of Object.entries(feeds)) {
        const candidate = toAnswer(feedCandidate(o, world, symbol, reference, prices));
        const due = shouldUpdate({ policy: o.oracle, last: feed.answer, candidate, lastUpdatedAt: feed.updatedAt, now: timestamp, deviationBps: Math.round(o.deviation * 100), heartbeat: o.heartbeat });
        if (!due) continue;
        queued.push({ hash: await updateFeed(rpc, feed, candidate), kind: 'feed' });
        feedUpdated.push(symbol);
      }
      block = await mineBlock(rpc, timestamp);
      minedAt = Date.now();
      const s = await settle(rpc, [...pending, ...queued]);
      pending = s.pending;
      if (competitor) competitor.settle(new Set(pending.map((t) => t.hash)));
      const reverted = s.mined.filter((t) => !t.ok);
      totals.reverted += reverted.length;
      const liquidations = await liquidationsInBlock(rpc, world, block);
      for (const l of liquidations) totals[l.protocol]++;
      feeds = await readFeeds(rpc, world);
      reserves = await readReserves(rpc, world);
      prices = pairPrices(world, reserves);
      // Positions move only with prices and liquidations (interest is negligible over a scenario): rescan then.
      if (competitor && (feedUpdated.length > 0 || liquidations.length > 0)) await competitor.scan(rpc, step, feeds);
      const liquidatable = competitor ? competitor.plans.size : undefined;
      journal.write({
        step, block, timestamp, reference, feed: mapValues(feeds, (f) => fromAnswer(f.answer)), feed_updated: feedUpdated, pool: prices, liquidations,
        ...(competitor ? { competitor: { liquidations_sent: sent.length, sold, liquidatable_after: liquidatable } } : {}),
        reverted: reverted.map((t) => ({ kind: t.kind, tx: t.hash })), not_mined: pending.length,
      });
    }
  } finally {
    journal.close();
    await restoreMining();
  }
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const blocks = pricePath.steps + 1;
  console.log(`scenario: ${blocks} blocks in ${seconds.toFixed(2)} s (${(blocks / seconds).toFixed(1)} blocks/s); liquidations: aave ${totals.aave}, morpho ${totals.morpho}; reverted transactions: ${totals.reverted}; journal ${o.out}`);
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2), path.resolve(__dirname, '..', '..'));
  } catch (e) {
    console.error(`scenario: ${e.message}\n${kUsage}`);
    process.exit(2);
  }
  if (o.help) {
    console.log(kUsage);
    return;
  }
  try {
    await run(o);
  } catch (e) {
    console.error(`scenario: ${e.message}`);
    process.exit(1);
  }
}

main();
