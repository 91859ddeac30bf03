'use strict';
// Sends transactions from anvil's unlocked dev accounts and wraps deployed contracts (ethers for ABI only).
const { Interface, getAddress } = require('ethers');

// Below EIP-7825's per-transaction cap (2^24) so the same code works on every anvil hardfork.
const kTxGas = 16000000;

class Chain {
  constructor(rpc, from) {
    this.rpc = rpc;
    this.from = from;
  }

  /// Sends and (automine) returns the receipt; on a revert, replays the call to report the reason.
  async send(to, data, gas = kTxGas) {
    const tx = { from: this.from, data, gas: `0x${gas.toString(16)}` };
    if (to) tx.to = to;
    const hash = await this.rpc.call('eth_sendTransaction', [tx]);
    const receipt = await this.receipt(hash);
    if (receipt.status !== '0x1') {
      let reason = 'unknown';
      try {
        await this.rpc.call('eth_call', [tx, receipt.blockNumber === '0x0' ? 'latest' : `0x${(Number(receipt.blockNumber) - 1).toString(16)}`]);
      } catch (e) {
        reason = e.message;
      }
      throw new Error(`transaction ${hash} to ${to || 'create'} reverted: ${reason}`);
    }
    return receipt;
  }

  /// anvil mines a moment after eth_sendTransaction returns: poll briefly.
  async receipt(hash, timeoutMs = 30000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const receipt = await this.rpc.call('eth_getTransactionReceipt', [hash]);
      if (receipt !== null) return receipt;
      if (Date.now() > deadline) throw new Error(`no receipt for ${hash} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  async deploy(artifact, args = []) {
    const iface = new Interface(artifact.abi);
    const data = artifact.bytecode + iface.encodeDeploy(args).slice(2);
    const receipt = await this.send(null, data);
    return new Contract(this, getAddress(receipt.contractAddress), artifact.abi);
  }

  at(address, abi) {
    return new Contract(this, address, abi);
  }
}

class Contract {
  constructor(chain, address, abi) {
    this.chain = chain;
    this.address = address;
    this.iface = abi instanceof Interface ? abi : new Interface(abi);
  }

  encode(method, args = []) {
    return this.iface.encodeFunctionData(method, args);
  }

  send(method, ...args) {
    return this.chain.send(this.address, this.encode(method, args));
  }

  async call(method, ...args) {
    const data = this.encode(method, args);
    const result = await this.chain.rpc.call('eth_call', [{ to: this.address, data }, 'latest']);
    const decoded = this.iface.decodeFunctionResult(method, result);
    return decoded.length === 1 ? decoded[0] : decoded;
  }
}

module.exports = { Chain, Contract, kTxGas };
