#include "chain/rpc/requests.hpp"

#include "chain/rpc/json.hpp"
#include "chain/rpc/quantity.hpp"

namespace sluice::rpc::requests {

namespace {

std::string json_str(std::string_view text) { return '"' + std::string(text) + '"'; }
std::string quantity(std::uint64_t v) { return json_str(to_quantity(v)); }
std::string quantity(const U256& v) { return json_str(to_quantity(v)); }

/// Builds a JSON object from optional members, in order.
class ObjectWriter {
 public:
  void raw(std::string_view key, std::string_view json) {
    out_ += first_ ? '{' : ',';
    first_ = false;
    append_json_string(out_, key);
    out_ += ':';
    out_ += json;
  }
  template <class T>
  void optional(std::string_view key, const std::optional<T>& v) {
    if (v) raw(key, quantity(*v));
  }
  std::string finish() { return first_ ? std::string("{}") : out_ + '}'; }

 private:
  std::string out_;
  bool first_ = true;
};

std::string slots_json(const std::vector<std::pair<Hash, Hash>>& slots) {
  ObjectWriter w;
  for (const auto& [slot, value] : slots) w.raw(slot.hex(), json_str(value.hex()));
  return w.finish();
}

RawCall make(std::string method, std::string params) { return {std::move(method), std::move(params)}; }

}  // namespace

std::string call_request_json(const CallRequest& r) {
  ObjectWriter w;
  if (r.from) w.raw("from", json_str(r.from->hex()));
  if (r.to) w.raw("to", json_str(r.to->hex()));
  w.optional("gas", r.gas);
  w.optional("gasPrice", r.gas_price);
  w.optional("maxFeePerGas", r.max_fee_per_gas);
  w.optional("maxPriorityFeePerGas", r.max_priority_fee_per_gas);
  w.optional("value", r.value);
  w.optional("nonce", r.nonce);
  if (!r.data.empty()) {
    // "input" is the current name; "data" is what older nodes read. Both are accepted when they agree.
    const std::string hex = json_str(to_hex(r.data));
    w.raw("input", hex);
    w.raw("data", hex);
  }
  return w.finish();
}

std::string state_override_json(const StateOverride& overrides) {
  ObjectWriter w;
  for (const auto& [address, o] : overrides) {
    ObjectWriter a;
    a.optional("balance", o.balance);
    a.optional("nonce", o.nonce);
    if (o.code) a.raw("code", json_str(to_hex(*o.code)));
    if (o.state) a.raw("state", slots_json(*o.state));
    if (o.state_diff) a.raw("stateDiff", slots_json(*o.state_diff));
    w.raw(address.hex(), a.finish());
  }
  return w.finish();
}

std::string block_overrides_json(const BlockOverrides& overrides) {
  ObjectWriter w;
  w.optional("number", overrides.number);
  w.optional("time", overrides.time);
  w.optional("baseFeePerGas", overrides.base_fee);
  return w.finish();
}

std::string log_filter_json(const LogFilter& f) {
  ObjectWriter w;
  if (f.block_hash) {
    w.raw("blockHash", json_str(f.block_hash->hex()));
  } else {
    if (f.from_block) w.raw("fromBlock", f.from_block->to_json());
    if (f.to_block) w.raw("toBlock", f.to_block->to_json());
  }
  if (!f.addresses.empty()) {
    std::string list = "[";
    for (std::size_t i = 0; i < f.addresses.size(); ++i) list += (i ? ",\"" : "\"") + f.addresses[i].hex() + '"';
    w.raw("address", list + ']');
  }
  if (!f.topics.empty()) {
    std::string list = "[";
    for (std::size_t i = 0; i < f.topics.size(); ++i) {
      if (i) list += ',';
      if (f.topics[i].empty()) {
        list += "null";
        continue;
      }
      list += '[';
      for (std::size_t j = 0; j < f.topics[i].size(); ++j) list += (j ? ",\"" : "\"") + f.topics[i][j].hex() + '"';
      list += ']';
    }
    w.raw("topics", list + ']');
  }
  return w.finish();
}

RawCall chain_id() { return make("eth_chainId", "[]"); }
RawCall block_number() { return make("eth_blockNumber", "[]"); }
RawCall get_block_by_number(const BlockTag& block, bool full) {
  if (block.hash())
    return make("eth_getBlockByHash", "[" + json_str(block.hash()->hex()) + (full ? ",true]" : ",false]"));
  return make("eth_getBlockByNumber", "[" + block.to_json() + (full ? ",true]" : ",false]"));
}
RawCall call(const CallRequest& request, const BlockTag& block, const StateOverride& overrides,
             const BlockOverrides& block_overrides) {
  std::string params = "[" + call_request_json(request) + "," + block.to_json();
  if (!overrides.empty() || !block_overrides.empty()) params += "," + state_override_json(overrides);
  if (!block_overrides.empty()) params += "," + block_overrides_json(block_overrides);
  return make("eth_call", params + "]");
}
RawCall estimate_gas(const CallRequest& request, const std::optional<BlockTag>& block,
                     const StateOverride& overrides) {
  std::string params = "[" + call_request_json(request);
  if (block || !overrides.empty()) params += "," + block.value_or(BlockTag{}).to_json();
  if (!overrides.empty()) params += "," + state_override_json(overrides);
  return make("eth_estimateGas", params + "]");
}
RawCall fee_history(std::uint64_t block_count, const BlockTag& newest, std::span<const double> percentiles) {
  std::string list = "[";
  for (std::size_t i = 0; i < percentiles.size(); ++i) {
    if (i) list += ',';
    // Percentiles are plain JSON numbers; %g keeps 25 as "25" and 12.5 as "12.5".
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", percentiles[i]);
    list += buffer;
  }
  return make("eth_feeHistory", "[" + quantity(block_count) + "," + newest.to_json() + "," + list + "]]");
}
RawCall gas_price() { return make("eth_gasPrice", "[]"); }
RawCall max_priority_fee_per_gas() { return make("eth_maxPriorityFeePerGas", "[]"); }
RawCall get_transaction_count(const Address& account, const BlockTag& block) {
  return make("eth_getTransactionCount", "[" + json_str(account.hex()) + "," + block.to_json() + "]");
}
RawCall send_raw_transaction(ByteView raw) { return make("eth_sendRawTransaction", "[" + json_str(to_hex(raw)) + "]"); }
RawCall get_transaction_receipt(const Hash& tx_hash) {
  return make("eth_getTransactionReceipt", "[" + json_str(tx_hash.hex()) + "]");
}
RawCall get_transaction_by_hash(const Hash& tx_hash) {
  return make("eth_getTransactionByHash", "[" + json_str(tx_hash.hex()) + "]");
}
RawCall get_logs(const LogFilter& filter) { return make("eth_getLogs", "[" + log_filter_json(filter) + "]"); }
RawCall get_balance(const Address& account, const BlockTag& block) {
  return make("eth_getBalance", "[" + json_str(account.hex()) + "," + block.to_json() + "]");
}
RawCall get_code(const Address& account, const BlockTag& block) {
  return make("eth_getCode", "[" + json_str(account.hex()) + "," + block.to_json() + "]");
}
RawCall get_storage_at(const Address& account, const U256& slot, const BlockTag& block) {
  return make("eth_getStorageAt", "[" + json_str(account.hex()) + "," + quantity(slot) + "," + block.to_json() + "]");
}

}  // namespace sluice::rpc::requests
