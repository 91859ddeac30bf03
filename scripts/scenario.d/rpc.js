// A small JSON-RPC-over-HTTP client (global fetch) with batches and ABI-typed eth_call through ethers.Interface.
'use strict';

class Rpc {
  constructor(url) {
    this.url = url;
    this.nextId = 1;
  }

  async post(body) {
    let response;
    try {
      response = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (e) {
      throw new Error(`cannot reach the node at ${this.url} (is the devnet up?): ${e.cause?.code ?? e.message}`);
    }
    if (!response.ok) throw new Error(`${this.url}: HTTP ${response.status}`);
    return response.json();
  }

  async call(method, params = []) {
    const answer = await this.post({ jsonrpc: '2.0', id: this.nextId++, method, params });
    if (answer.error) throw new Error(`${method}: ${JSON.stringify(answer.error)}`);
    return answer.result;
  }

  /// [method, params] pairs in batches of `chunk`; results in order (an error entry becomes an Error object).
  async batch(calls, chunk = 500) {
    const results = [];
    for (let start = 0; start < calls.length; start += chunk) {
      const body = calls.slice(start, start + chunk).map(([method, params], i) => ({ jsonrpc: '2.0', id: i, method, params }));
      const answers = await this.post(body);
      answers.sort((a, b) => a.id - b.id);
      for (const a of answers) results.push(a.error ? new Error(`${body[a.id].method}: ${JSON.stringify(a.error)}`) : a.result);
    }
    return results;
  }

  /// Batched view calls: each item {to, iface, fn, args}; returns decoded results (ethers Result) in order.
  async views(items, block = 'latest') {
    const raw = await this.batch(items.map((c) => ['eth_call', [{ to: c.to, data: c.iface.encodeFunctionData(c.fn, c.args || []) }, block]]));
    return raw.map((r, i) => {
      if (r instanceof Error) throw new Error(`${items[i].fn} at ${items[i].to}: ${r.message}`);
      return items[i].iface.decodeFunctionResult(items[i].fn, r);
    });
  }

  async view(to, iface, fn, args = [], block = 'latest') {
    return (await this.views([{ to, iface, fn, args }], block))[0];
  }
}

module.exports = { Rpc };
