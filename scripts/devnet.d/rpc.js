'use strict';
// A minimal JSON-RPC-over-HTTP client (global fetch, Node >= 18) with batching. ethers is used for ABI work only:
// sending from anvil's unlocked dev accounts needs no signing, and batches keep seeding fast.

class RpcError extends Error {}

class Rpc {
  constructor(url) {
    this.url = url;
    this.nextId = 1;
  }

  async post(body) {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new RpcError(`${this.url}: HTTP ${response.status}`);
    return response.json();
  }

  async call(method, params = []) {
    const answer = await this.post({ jsonrpc: '2.0', id: this.nextId++, method, params });
    if (answer.error) throw new RpcError(`${method}: ${JSON.stringify(answer.error)}`);
    return answer.result;
  }

  /// Sends [method, params] pairs as JSON-RPC batches of `chunk`; returns the results in order.
  async batch(calls, chunk = 500) {
    const results = [];
    for (let start = 0; start < calls.length; start += chunk) {
      const body = calls.slice(start, start + chunk).map(([method, params], i) => ({
        jsonrpc: '2.0', id: start + i, method, params,
      }));
      const answers = await this.post(body);
      answers.sort((a, b) => a.id - b.id);
      for (const answer of answers) {
        if (answer.error) throw new RpcError(`${body[answer.id - start].method}: ${JSON.stringify(answer.error)}`);
        results.push(answer.result);
      }
    }
    return results;
  }
}

module.exports = { Rpc, RpcError };
