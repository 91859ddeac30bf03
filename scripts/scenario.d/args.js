// Command line of scripts/scenario.
'use strict';
const path = require('path');

const kUsage = `usage: scripts/scenario [--dir D] [options] <path>
paths:
  crash:<ASSET>:<percent>:<blocks>        linear move of ASSET's price by percent over blocks blocks
  step:<ASSET>:<percent>                  one jump in the first block
  csv:<file>[:<start>:<end>]              replay a price file, one row per block (ETH -> WETH; times: Unix
                                          seconds, YYYY-MM-DD or YYYY-MM-DDTHHMM, UTC)
options:
  --dir D                 devnet state dir (default .devnet at the repository root)
  --oracle chainlink|every-block   feed update policy (default chainlink: > deviation or heartbeat)
  --deviation <percent>   chainlink deviation threshold (default 0.5)
  --heartbeat <seconds>   chainlink heartbeat (default 3600)
  --arbitrage <share>     each block an arbitrageur moves each pool this share of the way to the reference (0..1)
  --no-flow               pools do not follow the reference's block-to-block moves (only arbitrage and dumps)
  --market-coupled        feeds of pool-traded assets follow the DEX pool's price (the endogenous cascade)
  --competitor <delay>    our simple liquidator liquidates every liquidatable position delay blocks after it
                          first sees it (0 acts like 1: the next block is the earliest)
  --beta SYMBOL=x         csv: asset's log-return = x * ETH's (defaults WETH=1 WBTC=1 USDC=0 DAI=0)
  --block-time <seconds>  timestamp spacing of mined blocks (default 12)
  --pace-ms N             wall-clock wait of at least N ms after mining each block before the next block's
                          transactions are sent, so a keeper following the node can react (default 0: none)
  --out FILE              per-block journal (default D/scenario.jsonl)`;

function parseArgs(argv, repoRoot) {
  const o = { dir: path.join(repoRoot, '.devnet'), oracle: 'chainlink', deviation: 0.5, heartbeat: 3600, arbitrage: 0, flow: true, marketCoupled: false, competitor: null, betas: {}, blockTime: 12, paceMs: 0, out: null, path: null };
  const need = (i, flag) => {
    if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
    return argv[i + 1];
  };
  const num = (text, flag, ok) => {
    const v = Number(text);
    if (text === '' || !Number.isFinite(v) || !ok(v)) throw new Error(`${flag}: bad value '${text}'`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--dir': o.dir = path.resolve(need(i, a)); i++; break;
      case '--oracle': o.oracle = need(i, a); i++;
        if (!['chainlink', 'every-block'].includes(o.oracle)) throw new Error(`--oracle: expected chainlink or every-block, got '${o.oracle}'`);
        break;
      case '--deviation': o.deviation = num(need(i, a), a, (v) => v >= 0); i++; break;
      case '--heartbeat': o.heartbeat = num(need(i, a), a, (v) => v > 0); i++; break;
      case '--arbitrage': o.arbitrage = num(need(i, a), a, (v) => v >= 0 && v <= 1); i++; break;
      case '--no-flow': o.flow = false; break;
      case '--market-coupled': o.marketCoupled = true; break;
      case '--competitor': o.competitor = num(need(i, a), a, (v) => Number.isInteger(v) && v >= 0); i++; break;
      case '--block-time': o.blockTime = num(need(i, a), a, (v) => Number.isInteger(v) && v >= 1); i++; break;
      case '--pace-ms': o.paceMs = num(need(i, a), a, (v) => Number.isInteger(v) && v >= 0); i++; break;
      case '--out': o.out = path.resolve(need(i, a)); i++; break;
      case '--beta': {
        const m = /^([A-Za-z0-9]+)=(.+)$/.exec(need(i, a));
        if (!m) throw new Error(`--beta: expected SYMBOL=number, got '${argv[i + 1]}'`);
        o.betas[m[1]] = num(m[2], a, () => true); i++; break;
      }
      case '-h': case '--help': o.help = true; break;
      default:
        if (a.startsWith('-')) throw new Error(`unknown option '${a}'`);
        if (o.path !== null) throw new Error(`more than one path ('${o.path}', '${a}')`);
        o.path = a;
    }
  }
  if (!o.help && o.path === null) throw new Error('missing <path>');
  if (o.out === null) o.out = path.join(o.dir, 'scenario.jsonl');
  return o;
}

module.exports = { parseArgs, kUsage };
