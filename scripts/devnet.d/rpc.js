'use strict';
// A minimal JSON-RPC-over-HTTP client (node:http, Node >= 18) with batching. ethers is used for ABI work only:
// sending from anvil's unlocked dev accounts needs no signing, and batches keep seeding fast.

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
      request.on('error', reject);
      request.end(payload);
    });
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
