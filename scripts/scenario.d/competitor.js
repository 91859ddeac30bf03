// The competitor: a simple liquidator of ours, independent of Sluice. After each block it scans every borrower;
// a position first seen liquidatable after block b is liquidated in block b + delay (Aave liquidationCall with
// the close factor, Morpho liquidate), and the collateral it received is sold into the pool in the next block.
'use strict';
const abis = require('./abis');
const { send, kTip } = require('./node_control');
const { aavePlan, morphoPlan } = require('./liquidation_math');
const { swap } = require('./pools');

// Gas limits: measured use is 0.35-0.46M (Aave liquidationCall) and 0.10-0.12M (Morpho liquidate) here.
const kAaveLiquidationGas = 700000;
const kMorphoLiquidationGas = 250000;
/// Gas limits the competitor commits per block (of anvil's 30M), so a cascade never clogs the chain: the rest
/// waits for the next block, as a real liquidator's would.
const kGasBudgetPerBlock = 20000000;

class Competitor {
  constructor(world, address, delay) {
    this.world = world;
    this.address = address;
    this.delay = Math.max(1, delay);
    this.firstSeen = new Map(); // position key -> step first seen liquidatable
    this.plans = new Map(); // position key -> what to send
    this.inFlight = new Map(); // position key -> hash of its unmined liquidation
    this.aaveUsers = [];
    this.morphoPositions = [];
  }

  /// Finds the borrowers with debt on Aave and on each Morpho market (positions only change through them).
  async discover(rpc) {
    const m = this.world.manifest;
    const users = m.borrowers || [];
    const acct = await rpc.views(users.map((u) => ({ to: m.aave.pool, iface: abis.aavePool, fn: 'getUserAccountData', args: [u] })));
    this.aaveUsers = users.filter((u, i) => BigInt(acct[i][1]) > 0n);
    const pairs = [];
    for (const market of this.world.markets) for (const u of users) pairs.push({ market, user: u });
    const pos = await rpc.views(pairs.map((p) => ({ to: m.morpho.morpho, iface: abis.morpho, fn: 'position', args: [p.market.id, p.user] })));
    this.morphoPositions = pairs.filter((p, i) => BigInt(pos[i][1]) > 0n);
  }

  /// Re-evaluates every known position at the latest block (`step`); returns the number liquidatable.
  async scan(rpc, step, feeds) {
    const m = this.world.manifest;
    const live = new Map();
    const acct = await rpc.views(this.aaveUsers.map((u) => ({ to: m.aave.pool, iface: abis.aavePool, fn: 'getUserAccountData', args: [u] })));
    const reserves = Object.entries(m.aave.reserves);
    const unhealthy = this.aaveUsers.map((u, i) => ({ u, hf: BigInt(acct[i][5]), debt: BigInt(acct[i][1]) })).filter((x) => x.debt > 0n && x.hf < 10n ** 18n);
    const calls = [];
    for (const x of unhealthy) for (const [, r] of reserves) calls.push({ to: m.aave.data_provider, iface: abis.aaveData, fn: 'getUserReserveData', args: [r.asset, x.u] });
    const data = await rpc.views(calls);
    unhealthy.forEach((x, i) => {
      const rs = reserves.map(([symbol, r], j) => {
        const d = data[i * reserves.length + j];
        return { asset: r.asset, symbol, decimals: Number(r.decimals), price: feeds[symbol]?.answer ?? 0n, collateral: BigInt(d[0]), debt: BigInt(d[1]) + BigInt(d[2]), collateralEnabled: d[8] };
      });
      const plan = aavePlan(x.hf, rs);
      if (plan) live.set(`aave:${x.u}`, { protocol: 'aave', user: x.u, ...plan });
    });

    const markets = this.world.markets;
    const mk = await rpc.views(markets.flatMap((mm) => [
      { to: m.morpho.morpho, iface: abis.morpho, fn: 'market', args: [mm.id] },
      { to: mm.oracle, iface: abis.morphoOracle, fn: 'price' },
    ]));
    const pos = await rpc.views(this.morphoPositions.map((p) => ({ to: m.morpho.morpho, iface: abis.morpho, fn: 'position', args: [p.market.id, p.user] })));
    this.morphoPositions.forEach((p, i) => {
      const k = markets.indexOf(p.market);
      const market = mk[2 * k];
      const plan = morphoPlan({
        collateral: BigInt(pos[i][2]), borrowShares: BigInt(pos[i][1]), totalBorrowAssets: BigInt(market[2]),
        totalBorrowShares: BigInt(market[3]), price: BigInt(mk[2 * k + 1][0]), lltv: p.market.lltv,
      });
      if (plan) live.set(`morpho:${p.market.id}:${p.user}`, { protocol: 'morpho', user: p.user, market: p.market, ...plan });
    });

    for (const key of [...this.firstSeen.keys()]) if (!live.has(key)) this.firstSeen.delete(key);
    for (const key of live.keys()) if (!this.firstSeen.has(key)) this.firstSeen.set(key, step);
    this.plans = live;
    return live.size;
  }

  /// Queues the liquidations due in block `step`; returns [{hash, protocol, user}].
  async liquidate(rpc, step) {
    const m = this.world.manifest;
    const sent = [];
    let gas = 0;
    for (const [key, plan] of this.plans) {
      if (this.firstSeen.get(key) + this.delay > step || this.inFlight.has(key)) continue;
      gas += plan.protocol === 'aave' ? kAaveLiquidationGas : kMorphoLiquidationGas;
      if (gas > kGasBudgetPerBlock) break;
      let hash;
      if (plan.protocol === 'aave') {
        hash = await send(rpc, this.address, m.aave.pool, abis.aavePool, 'liquidationCall', [plan.collateralAsset, plan.debtAsset, plan.user, plan.debtToCover, false], kAaveLiquidationGas, kTip.competitor);
      } else {
        const mp = plan.market;
        hash = await send(rpc, this.address, m.morpho.morpho, abis.morpho, 'liquidate', [[mp.loan_token, mp.collateral_token, mp.oracle, mp.irm, mp.lltv], plan.user, plan.seizedAssets, plan.repaidShares, '0x'], kMorphoLiquidationGas, kTip.competitor);
      }
      this.inFlight.set(key, hash);
      sent.push({ hash, protocol: plan.protocol, user: plan.user });
    }
    return sent;
  }

  /// Forgets in-flight liquidations that are no longer pending (`pendingHashes`: a Set of unmined hashes).
  settle(pendingHashes) {
    for (const [key, hash] of this.inFlight) if (!pendingHashes.has(hash)) this.inFlight.delete(key);
  }

  /// Queues sales of collateral the competitor holds beyond its starting inventory into the first pool where the
  /// token is the base (WETH -> WETH/USDC, WBTC -> WBTC/USDC); returns {SYMBOL: amount} sold.
  async dump(rpc, inventory, deadline) {
    const symbols = Object.keys(this.world.tokens);
    const bal = await rpc.views(symbols.map((s) => ({ to: this.world.tokens[s].address, iface: abis.erc20, fn: 'balanceOf', args: [this.address] })));
    const sold = {};
    const hashes = [];
    for (let i = 0; i < symbols.length; i++) {
      const s = symbols[i];
      const excess = BigInt(bal[i][0]) - (inventory[s] ?? 0n);
      const pair = this.world.pairs.find((p) => p.base === s);
      if (excess <= 0n || !pair) continue;
      hashes.push(await swap(rpc, this.world, this.address, s, pair.quote, excess, deadline, kTip.competitor));
      sold[s] = excess;
    }
    return { sold, hashes };
  }

  /// The competitor's token balances (its inventory before any liquidation).
  async balances(rpc) {
    const symbols = Object.keys(this.world.tokens);
    const bal = await rpc.views(symbols.map((s) => ({ to: this.world.tokens[s].address, iface: abis.erc20, fn: 'balanceOf', args: [this.address] })));
    return Object.fromEntries(symbols.map((s, i) => [s, BigInt(bal[i][0])]));
  }
}

module.exports = { Competitor };
