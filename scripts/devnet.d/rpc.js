'use strict';
// The one JSON-RPC-over-HTTP client of the Node scripts (devnet and scenario): node:http (Node >= 18, keep-alive;
// fetch refuses some ports), batching, and ABI-typed views through an ethers Interface passed in.

const http = require('http');

const agent = new http.Agent({ keepAlive: true });

class RpcError extends Error {}

class Rpc {
  constructor(url) {
    this.url = url;
    this.nextId = 1;
  }

  /// One HTTP POST over a keep-alive connection (node:http rather than fetch, which refuses some ports).
  post(body) {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const request = http.request(this.url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) {
            reject(new RpcError(`${this.url}: HTTP ${response.statusCode} ${text.slice(0, 200)}`));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch (e) {
            reject(new RpcError(`${this.url}: bad JSON (${e.message})`));
          }
        });
        response.on('error', reject);
      });
      request.on('error', (e) => reject(new RpcError(`cannot reach the node at ${this.url} (is the devnet up?): ${e.code ?? e.message}`)));
      request.end(payload);
    });
  }

  async call(method, params = []) {
    const answer = await this.post({ jsonrpc: '2.0', id: this.nextId++, method, params });
    if (answer.error) throw new RpcError(`${method}: ${JSON.stringify(answer.error)}`);
    return answer.result;
  }

  /// Sends [method, params] pairs as JSON-RPC batches of `chunk`; returns the results in order, an entry the
  /// node answered with an error becoming an RpcError object.
  async batchSettled(calls, chunk = 500) {
    const results = [];
    for (let start = 0; start < calls.length; start += chunk) {
      const body = calls.slice(start, start + chunk).map(([method, params], i) => ({
        jsonrpc: '2.0', id: start + i, method, params,
      }));
      const answers = await this.post(body);
      answers.sort((a, b) => a.id - b.id);
      for (const answer of answers) {
        results.push(answer.error
          ? new RpcError(`${body[answer.id - start].method}: ${JSON.stringify(answer.error)}`)
          : answer.result);
      }
    }
    return results;
  }

  /// As batchSettled, but the first error is thrown.
  async batch(calls, chunk = 500) {
    const results = await this.batchSettled(calls, chunk);
    const failed = results.find((r) => r instanceof RpcError);
    if (failed) throw failed;
    return results;
  }

  /// Batched view calls: each item {to, iface (an ethers Interface), fn, args}; decoded results in order.
  async views(items, block = 'latest') {
    const raw = await this.batchSettled(items.map((c) => [
      'eth_call', [{ to: c.to, data: c.iface.encodeFunctionData(c.fn, c.args || []) }, block]]));
    return raw.map((r, i) => {
      if (r instanceof RpcError) throw new RpcError(`${items[i].fn} at ${items[i].to}: ${r.message}`);
      return items[i].iface.decodeFunctionResult(items[i].fn, r);
    });
  }

  async view(to, iface, fn, args = [], block = 'latest') {
    return (await this.views([{ to, iface, fn, args }], block))[0];
  }
}

module.exports = { Rpc, RpcError };
