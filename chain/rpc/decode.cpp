#include "chain/rpc/decode.hpp"

#include "chain/rpc/json_util.hpp"
#include "chain/rpc/quantity.hpp"

#include <string>

namespace sluice::rpc {

namespace {

namespace od = simdjson::ondemand;
using simdjson::SUCCESS;

/// Collects the first failure of a decode: the field at fault and why.
struct Ctx {
  std::string_view method;
  std::string problem;

  bool fail(std::string_view field, std::string_view why) {
    if (problem.empty()) problem = std::string(field) + ": " + std::string(why);
    return false;
  }
  RpcError error() const {
    return make_error(ErrorKind::malformed_response, std::string(method), problem.empty() ? "bad result" : problem);
  }
};

bool read_string(Ctx& c, od::value v, std::string_view field, std::string_view& out) {
  if (v.get_string().get(out) != SUCCESS) return c.fail(field, "not a string");
  return true;
}

bool read(Ctx& c, od::value v, std::string_view field, std::uint64_t& out) {
  std::string_view s;
  if (!read_string(c, v, field, s)) return false;
  auto q = parse_quantity_u64(s);
  if (!q) return c.fail(field, describe(static_cast<QuantityError>(q.error().value())));
  out = *q;
  return true;
}

bool read(Ctx& c, od::value v, std::string_view field, U256& out) {
  std::string_view s;
  if (!read_string(c, v, field, s)) return false;
  auto q = parse_quantity(s);
  if (!q) return c.fail(field, describe(static_cast<QuantityError>(q.error().value())));
  out = *q;
  return true;
}

template <std::size_t N>
bool read(Ctx& c, od::value v, std::string_view field, FixedBytes<N>& out) {
  std::string_view s;
  if (!read_string(c, v, field, s)) return false;
  if (s.size() != 2 + 2 * N || !s.starts_with("0x") || !from_hex_into(s, out.bytes))
    return c.fail(field, "not 0x-hex of the right length");
  return true;
}

bool read(Ctx& c, od::value v, std::string_view field, Bytes& out) {
  std::string_view s;
  if (!read_string(c, v, field, s)) return false;
  if (!s.starts_with("0x")) return c.fail(field, "not 0x-hex");
  auto b = from_hex(s);
  if (!b) return c.fail(field, "not 0x-hex data");
  out = std::move(*b);
  return true;
}

bool read(Ctx& c, od::value v, std::string_view field, bool& out) {
  if (v.get_bool().get(out) != SUCCESS) return c.fail(field, "not a boolean");
  return true;
}

/// Optional fields: JSON null is nullopt.
template <class T>
bool read(Ctx& c, od::value v, std::string_view field, std::optional<T>& out) {
  if (is_json_null(v)) {
    out.reset();
    return true;
  }
  T value{};
  if (!read(c, v, field, value)) return false;
  out = std::move(value);
  return true;
}

template <class T>
bool read_array(Ctx& c, od::value v, std::string_view field, std::vector<T>& out) {
  od::array array;
  if (v.get_array().get(array) != SUCCESS) return c.fail(field, "not an array");
  for (auto element : array) {
    od::value item;
    if (element.get(item) != SUCCESS) return c.fail(field, "bad array element");
    T value{};
    if (!read(c, item, field, value)) return false;
    out.push_back(std::move(value));
  }
  return true;
}

/// Iterates the fields of an object: `on_field(key, value)` returns false to stop with a failure.
template <class F>
bool for_each_field(Ctx& c, od::value v, std::string_view what, F&& on_field) {
  od::object object;
  if (v.get_object().get(object) != SUCCESS) return c.fail(what, "not an object");
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != SUCCESS) return c.fail(what, "bad key");
    od::value value;
    if (field.value().get(value) != SUCCESS) return c.fail(key, "bad value");
    if (!on_field(key, value)) return false;
  }
  return true;
}

/// Requires that each flag of `seen` is set, naming the first missing field.
bool require_fields(Ctx& c, std::initializer_list<std::pair<bool, std::string_view>> seen) {
  for (const auto& [present, name] : seen)
    if (!present) return c.fail(name, "missing");
  return true;
}

bool read(Ctx& c, od::value v, std::string_view, Log& log) {
  bool address = false, topics = false, data = false;
  const bool ok = for_each_field(c, v, "log", [&](std::string_view key, od::value f) {
    if (key == "address") return address = read(c, f, key, log.address);
    if (key == "topics") return topics = read_array(c, f, key, log.topics);
    if (key == "data") return data = read(c, f, key, log.data);
    if (key == "blockNumber") return read(c, f, key, log.block_number);
    if (key == "blockHash") return read(c, f, key, log.block_hash);
    if (key == "transactionHash") return read(c, f, key, log.transaction_hash);
    if (key == "transactionIndex") return read(c, f, key, log.transaction_index);
    if (key == "logIndex") return read(c, f, key, log.log_index);
    if (key == "removed") return read(c, f, key, log.removed);
    return true;
  });
  return ok && require_fields(c, {{address, "address"}, {topics, "topics"}, {data, "data"}});
}

/// Transactions in a block: hashes (kept) or full objects (their "hash" kept).
bool read_block_transactions(Ctx& c, od::value v, std::vector<Hash>& out) {
  od::array array;
  if (v.get_array().get(array) != SUCCESS) return c.fail("transactions", "not an array");
  for (auto element : array) {
    od::value item;
    if (element.get(item) != SUCCESS) return c.fail("transactions", "bad element");
    od::json_type type;
    if (item.type().get(type) != SUCCESS) return c.fail("transactions", "bad element");
    Hash hash;
    if (type == od::json_type::object) {
      bool found = false;
      if (!for_each_field(c, item, "transactions", [&](std::string_view key, od::value f) {
            if (key == "hash") return found = read(c, f, "transactions.hash", hash);
            return true;
          }))
        return false;
      if (!found) return c.fail("transactions.hash", "missing");
    } else if (!read(c, item, "transactions", hash)) {
      return false;
    }
    out.push_back(hash);
  }
  return true;
}

bool read(Ctx& c, od::value v, std::string_view, BlockHeader& h) {
  bool number = false, hash = false, parent = false, timestamp = false, gas_limit = false, gas_used = false,
       miner = false;
  const bool ok = for_each_field(c, v, "block", [&](std::string_view key, od::value f) {
    if (key == "number") return number = read(c, f, key, h.number);
    if (key == "hash") return hash = read(c, f, key, h.hash);
    if (key == "parentHash") return parent = read(c, f, key, h.parent_hash);
    if (key == "timestamp") return timestamp = read(c, f, key, h.timestamp);
    if (key == "baseFeePerGas") return read(c, f, key, h.base_fee_per_gas);
    if (key == "gasLimit") return gas_limit = read(c, f, key, h.gas_limit);
    if (key == "gasUsed") return gas_used = read(c, f, key, h.gas_used);
    if (key == "miner") return miner = read(c, f, key, h.miner);
    if (key == "logsBloom") return read(c, f, key, h.logs_bloom);
    if (key == "transactions") return read_block_transactions(c, f, h.transaction_hashes);
    return true;
  });
  return ok && require_fields(c, {{number, "number"},
                                  {hash, "hash"},
                                  {parent, "parentHash"},
                                  {timestamp, "timestamp"},
                                  {gas_limit, "gasLimit"},
                                  {gas_used, "gasUsed"},
                                  {miner, "miner"}});
}

bool read(Ctx& c, od::value v, std::string_view, Receipt& r) {
  bool tx_hash = false, tx_index = false, block_hash = false, block_number = false, from = false, cumulative = false,
       gas_used = false, logs = false;
  const bool ok = for_each_field(c, v, "receipt", [&](std::string_view key, od::value f) {
    if (key == "transactionHash") return tx_hash = read(c, f, key, r.transaction_hash);
    if (key == "transactionIndex") return tx_index = read(c, f, key, r.transaction_index);
    if (key == "blockHash") return block_hash = read(c, f, key, r.block_hash);
    if (key == "blockNumber") return block_number = read(c, f, key, r.block_number);
    if (key == "from") return from = read(c, f, key, r.from);
    if (key == "to") return read(c, f, key, r.to);
    if (key == "cumulativeGasUsed") return cumulative = read(c, f, key, r.cumulative_gas_used);
    if (key == "gasUsed") return gas_used = read(c, f, key, r.gas_used);
    if (key == "effectiveGasPrice") return read(c, f, key, r.effective_gas_price);
    if (key == "contractAddress") return read(c, f, key, r.contract_address);
    if (key == "logs") return logs = read_array(c, f, key, r.logs);
    if (key == "status") return read(c, f, key, r.status);
    if (key == "type") return read(c, f, key, r.type);
    return true;
  });
  return ok && require_fields(c, {{tx_hash, "transactionHash"},
                                  {tx_index, "transactionIndex"},
                                  {block_hash, "blockHash"},
                                  {block_number, "blockNumber"},
                                  {from, "from"},
                                  {cumulative, "cumulativeGasUsed"},
                                  {gas_used, "gasUsed"},
                                  {logs, "logs"}});
}

bool read(Ctx& c, od::value v, std::string_view, TransactionInfo& t) {
  bool hash = false, nonce = false, from = false, value = false, gas = false, input = false;
  const bool ok = for_each_field(c, v, "transaction", [&](std::string_view key, od::value f) {
    if (key == "hash") return hash = read(c, f, key, t.hash);
    if (key == "nonce") return nonce = read(c, f, key, t.nonce);
    if (key == "blockHash") return read(c, f, key, t.block_hash);
    if (key == "blockNumber") return read(c, f, key, t.block_number);
    if (key == "transactionIndex") return read(c, f, key, t.transaction_index);
    if (key == "from") return from = read(c, f, key, t.from);
    if (key == "to") return read(c, f, key, t.to);
    if (key == "value") return value = read(c, f, key, t.value);
    if (key == "gas") return gas = read(c, f, key, t.gas);
    if (key == "gasPrice") return read(c, f, key, t.gas_price);
    if (key == "maxFeePerGas") return read(c, f, key, t.max_fee_per_gas);
    if (key == "maxPriorityFeePerGas") return read(c, f, key, t.max_priority_fee_per_gas);
    if (key == "input") return input = read(c, f, key, t.input);
    if (key == "type") return read(c, f, key, t.type);
    if (key == "chainId") return read(c, f, key, t.chain_id);
    return true;
  });
  return ok && require_fields(c, {{hash, "hash"},
                                  {nonce, "nonce"},
                                  {from, "from"},
                                  {value, "value"},
                                  {gas, "gas"},
                                  {input, "input"}});
}

bool read(Ctx& c, od::value v, std::string_view field, double& out) {
  if (v.get_double().get(out) != SUCCESS) return c.fail(field, "not a number");
  return true;
}

bool read(Ctx& c, od::value v, std::string_view field, std::vector<U256>& out) { return read_array(c, v, field, out); }

bool read(Ctx& c, od::value v, std::string_view, FeeHistory& h) {
  bool oldest = false, base_fee = false, ratio = false;
  const bool ok = for_each_field(c, v, "feeHistory", [&](std::string_view key, od::value f) {
    if (key == "oldestBlock") return oldest = read(c, f, key, h.oldest_block);
    if (key == "baseFeePerGas") return base_fee = read_array(c, f, key, h.base_fee_per_gas);
    if (key == "gasUsedRatio") return ratio = read_array(c, f, key, h.gas_used_ratio);
    if (key == "reward") return read_array(c, f, key, h.reward);
    return true;
  });
  return ok && require_fields(c, {{oldest, "oldestBlock"}, {base_fee, "baseFeePerGas"}, {ratio, "gasUsedRatio"}});
}

/// Parses `json` as a whole document holding one value of type T (null allowed when `Nullable`).
template <class T, bool Nullable = false>
auto decode_document(JsonParser& p, std::string_view json, std::string_view method)
    -> RpcResult<std::conditional_t<Nullable, std::optional<T>, T>> {
  Ctx c{method, {}};
  const auto bad = [&](const char* why) { return make_error(ErrorKind::malformed_response, std::string(method), why); };
  std::conditional_t<Nullable, std::optional<T>, T> out{};
  const auto decode_value = [&](od::value value) -> bool {
    if constexpr (Nullable) {
      if (is_json_null(value)) return true;
      T item{};
      if (!read(c, value, "result", item)) return false;
      out = std::move(item);
      return true;
    } else if constexpr (std::is_same_v<T, std::vector<Log>>) {
      return read_array(c, value, "result", out);
    } else {
      return read(c, value, "result", out);
    }
  };
  // Every result is wrapped in [ ] so that it is never the document root: simdjson on-demand cannot hand out a
  // root scalar as a value, and its scalar accessors assume (UB otherwise) that a value is not the root.
  p.scratch.clear();
  p.scratch.reserve(json.size() + 2 + simdjson::SIMDJSON_PADDING);
  p.scratch += '[';
  p.scratch += json;
  p.scratch += ']';
  od::document doc;
  if (p.parser.iterate(p.scratch.data(), p.scratch.size(), p.scratch.capacity()).get(doc) != SUCCESS)
    return bad("result is not JSON");
  od::array array;
  if (doc.get_array().get(array) != SUCCESS) return bad("result is not JSON");
  std::size_t count = 0;
  for (auto element : array) {
    od::value value;
    if (element.get(value) != SUCCESS || ++count > 1) return bad("result is not one JSON value");
    if (!decode_value(value)) return c.error();
  }
  if (count != 1) return bad("result is not one JSON value");
  if (!document_at_end(doc)) return bad("trailing data after the result");
  return out;
}

}  // namespace

RpcResult<std::uint64_t> decode_u64_result(JsonParser& p, std::string_view json, std::string_view method) {
  return decode_document<std::uint64_t>(p, json, method);
}
RpcResult<U256> decode_u256_result(JsonParser& p, std::string_view json, std::string_view method) {
  return decode_document<U256>(p, json, method);
}
RpcResult<Bytes> decode_bytes_result(JsonParser& p, std::string_view json, std::string_view method) {
  return decode_document<Bytes>(p, json, method);
}
RpcResult<Hash> decode_hash_result(JsonParser& p, std::string_view json, std::string_view method) {
  return decode_document<Hash>(p, json, method);
}
RpcResult<std::optional<BlockHeader>> decode_block_header(JsonParser& p, std::string_view json,
                                                          std::string_view method) {
  return decode_document<BlockHeader, true>(p, json, method);
}
RpcResult<std::vector<Log>> decode_logs(JsonParser& p, std::string_view json, std::string_view method) {
  return decode_document<std::vector<Log>>(p, json, method);
}
RpcResult<std::optional<Receipt>> decode_receipt(JsonParser& p, std::string_view json, std::string_view method) {
  return decode_document<Receipt, true>(p, json, method);
}
RpcResult<std::optional<TransactionInfo>> decode_transaction(JsonParser& p, std::string_view json,
                                                             std::string_view method) {
  return decode_document<TransactionInfo, true>(p, json, method);
}
RpcResult<FeeHistory> decode_fee_history(JsonParser& p, std::string_view json, std::string_view method) {
  return decode_document<FeeHistory>(p, json, method);
}
RpcResult<Log> decode_log(JsonParser& p, std::string_view json, std::string_view method) {
  return decode_document<Log>(p, json, method);
}

}  // namespace sluice::rpc
