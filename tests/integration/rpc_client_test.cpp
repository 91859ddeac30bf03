// Integration: every typed method of sluice::rpc::Client against a real anvil over HTTP keep-alive, checked
// against the node's own answers fetched with the independent test RpcClient (or `cast`), plus a batch of 1,000
// calls. The contract is tests/support/log_emitter.hpp.

#include "chain/private_key.hpp"
#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/quantity.hpp"
#include "chain/rpc/sync_client.hpp"
#include "chain/signer.hpp"
#include "chain/transaction.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/dev_transaction.hpp"
#include "tests/support/http_fault_proxy.hpp"
#include "tests/support/log_emitter.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <mutex>

#include <thread>

using namespace sluice;
using namespace sluice::rpc;
using sluice::test::Anvil;

namespace {

Bytes hex(std::string_view text) { return from_hex(text).value(); }
Address addr(std::string_view text) { return parse_address(text).value(); }

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

/// `cast <args...> --rpc-url <url>` stdout, trimmed.
std::string cast(std::vector<std::string> args, const std::string& url) {
  args.insert(args.begin(), test::node_tool("cast"));
  args.push_back("--rpc-url");
  args.push_back(url);
  const auto r = test::run_process(args, "");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return trimmed(r.out);
}

struct Chain {
  Anvil anvil;
  std::shared_ptr<HttpTransport> transport = std::make_shared<HttpTransport>(anvil.http_url());
  SyncClient client{transport};
  PrivateKey key = PrivateKey::from_hex(Anvil::dev_private_key(0)).value();
  Address sender = addr(Anvil::dev_address(0));

  /// Signs and sends a type-2 transaction with our own code; waits for and returns its receipt.
  Receipt send(std::optional<Address> to, Bytes data, U256 value = {}, std::uint64_t gas = 5'000'000) {
    const auto nonce = client.run([&](Client& c) { return c.get_transaction_count(sender, BlockTag::pending()); }).value();
    const Eip1559Transaction tx = test::dev_transaction(nonce, to, std::move(data), gas, value);
    const SignedTransaction signed_tx = sign(tx, key);
    const Hash hash = client.run([&](Client& c) { return c.send_raw_transaction(encode_raw(signed_tx)); }).value();
    CHECK(hash == transaction_hash(signed_tx));
    for (int i = 0; i < 200; ++i) {
      auto receipt = client.run([&](Client& c) { return c.get_transaction_receipt(hash); }).value();
      if (receipt) return *receipt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("no receipt for " << hash.hex());
    return {};
  }

  Address deploy_emitter() {
    Bytes code = hex(test::kLogEmitterInit);
    const Bytes runtime = hex(test::kLogEmitterRuntime);
    code.insert(code.end(), runtime.begin(), runtime.end());
    const Receipt r = send(std::nullopt, code);
    REQUIRE(r.status == 1);
    REQUIRE(r.contract_address);
    return *r.contract_address;
  }

  /// Calldata asking the emitter for `n` events.
  static Bytes emit(std::uint64_t n) {
    const auto word = U256(n).to_be();
    return Bytes(word.begin(), word.end());
  }
};

}  // namespace

TEST_CASE("rpc integration: chainId, blockNumber, gas price, priority fee, fee history, balance, nonce") {
  Chain chain;
  const std::string url = chain.anvil.http_url();
  auto& c = chain.client;
  CHECK(c.chain_id().value() == std::stoull(cast({"chain-id"}, url)));
  CHECK(c.block_number().value() == std::stoull(cast({"block-number"}, url)));
  CHECK(c.run([](Client& cl) { return cl.gas_price(); }).value() == U256::from_dec(cast({"gas-price"}, url)).value());
  test::RpcClient raw(url);
  CHECK(c.run([](Client& cl) { return cl.max_priority_fee_per_gas(); }).value() ==
        U256::from_hex(raw.call("eth_maxPriorityFeePerGas", "[]")).value());
  CHECK(c.run([&](Client& cl) { return cl.get_balance(chain.sender); }).value() ==
        U256::from_dec(cast({"balance", Anvil::dev_address(0)}, url)).value());

  const Address recipient = addr(Anvil::dev_address(1));
  chain.send(recipient, {}, U256(12345), 21000);
  chain.send(recipient, {}, U256(1), 21000);
  CHECK(c.run([&](Client& cl) { return cl.get_transaction_count(chain.sender); }).value() == 2);
  CHECK(c.run([&](Client& cl) { return cl.get_transaction_count(chain.sender, BlockTag::pending()); }).value() == 2);
  CHECK(c.run([&](Client& cl) { return cl.get_transaction_count(chain.sender, 1); }).value() == 1);  // at block 1
  CHECK(c.run([&](Client& cl) { return cl.get_balance(recipient, 1); }).value() ==
        U256::from_dec(cast({"balance", Anvil::dev_address(1), "--block", "1"}, url)).value());

  const auto history = c.run([](Client& cl) { return cl.fee_history(2, BlockTag::latest(), {25.0, 75.0}); }).value();
  CHECK(history.oldest_block == 1);
  CHECK(history.base_fee_per_gas.size() == 3);
  CHECK(history.gas_used_ratio.size() == 2);
  CHECK(history.reward.size() == 2);
  const std::string raw_history = raw.call_raw("eth_feeHistory", R"(["0x2","latest",[25,75]])");
  CHECK(raw_history.find(history.base_fee_per_gas[2].to_hex()) != std::string::npos);
}

TEST_CASE("rpc integration: blocks, transactions, receipts, logs, code, storage") {
  Chain chain;
  const std::string url = chain.anvil.http_url();
  auto& c = chain.client;
  const Address emitter = chain.deploy_emitter();
  const Receipt receipt = chain.send(emitter, Chain::emit(5));
  CHECK(receipt.status == 1);
  REQUIRE(receipt.logs.size() == 5);
  CHECK(receipt.logs[3].topics[1] == Hash::from_hex("0x" + std::string(63, '0') + "3").value());
  CHECK(receipt.logs[3].data == Chain::emit(3));
  CHECK(receipt.gas_used == std::stoull(cast({"receipt", receipt.transaction_hash.hex(), "gasUsed"}, url)));

  const auto header = c.get_block_by_number(receipt.block_number).value();
  REQUIRE(header);
  CHECK(header->hash == receipt.block_hash);
  CHECK(header->number == receipt.block_number);
  CHECK(header->parent_hash.hex() == cast({"block", std::to_string(receipt.block_number), "--field", "parentHash"}, url));
  CHECK(header->timestamp == std::stoull(cast({"block", std::to_string(receipt.block_number), "--field", "timestamp"}, url)));
  CHECK(header->base_fee_per_gas.value().to_dec() == cast({"block", std::to_string(receipt.block_number), "--field", "baseFeePerGas"}, url));
  CHECK(header->gas_used == receipt.cumulative_gas_used);
  CHECK(header->transaction_hashes == std::vector<Hash>{receipt.transaction_hash});
  CHECK(c.get_block_by_number(1'000'000).value() == std::nullopt);
  CHECK(c.get_block_by_number(BlockTag::latest()).value()->number == receipt.block_number);

  const auto tx = c.run([&](Client& cl) { return cl.get_transaction_by_hash(receipt.transaction_hash); }).value();
  REQUIRE(tx);
  CHECK(tx->from == chain.sender);
  CHECK(tx->to == emitter);
  CHECK(tx->input == Chain::emit(5));
  CHECK(tx->type == 2);
  CHECK(tx->block_number == receipt.block_number);
  CHECK(c.run([&](Client& cl) { return cl.get_transaction_by_hash(Hash{}); }).value() == std::nullopt);
  CHECK(c.run([&](Client& cl) { return cl.get_transaction_receipt(Hash{}); }).value() == std::nullopt);

  LogFilter filter;
  filter.addresses = {emitter};
  filter.from_block = BlockTag::earliest();
  filter.to_block = BlockTag::latest();
  const auto logs = c.get_logs(filter).value();
  CHECK(logs == receipt.logs);
  filter.topics = {{Hash::from_hex(test::kTickTopic).value()}, {Hash::from_hex("0x" + std::string(63, '0') + "1").value(),
                                                                Hash::from_hex("0x" + std::string(63, '0') + "4").value()}};
  const auto some = c.get_logs(filter).value();
  REQUIRE(some.size() == 2);
  CHECK(some[0].log_index == receipt.logs[1].log_index);
  CHECK(some[1].data == Chain::emit(4));

  CHECK(to_hex(c.run([&](Client& cl) { return cl.get_code(emitter); }).value()) == cast({"code", emitter.hex()}, url));
  CHECK(to_hex(c.run([&](Client& cl) { return cl.get_code(emitter); }).value()) == test::kLogEmitterRuntime);
  CHECK(c.run([&](Client& cl) { return cl.get_storage_at(emitter, 0); }).value().hex() ==
        cast({"storage", emitter.hex(), "0"}, url));
}

TEST_CASE("rpc integration: eth_call, state overrides, estimateGas, reverts decoded") {
  Chain chain;
  auto& c = chain.client;
  const Address emitter = chain.deploy_emitter();
  CallRequest call;
  call.to = emitter;
  call.data = Chain::emit(0);
  CHECK(c.run([&](Client& cl) { return cl.call(call); }).value().empty());

  call.data = {0x01};
  auto reverted = c.run([&](Client& cl) { return cl.call(call); });
  REQUIRE(!reverted);
  CHECK(reverted.error().kind == ErrorKind::node_error);
  CHECK(reverted.error().method == "eth_call");
  CHECK(reverted.error().endpoint == chain.anvil.http_url());
  REQUIRE(reverted.error().revert);
  CHECK(reverted.error().revert->kind == RevertReason::Kind::error_string);
  CHECK(reverted.error().revert->message == "boom");

  call.data.clear();
  auto panicked = c.run([&](Client& cl) { return cl.call(call); });
  REQUIRE(!panicked);
  REQUIRE(panicked.error().revert);
  CHECK(panicked.error().revert->kind == RevertReason::Kind::panic);
  CHECK(panicked.error().revert->panic_code == U256(0x11));

  // Override: code returning sload(0) at an empty address, with slot 0 patched: PUSH1 0 SLOAD PUSH1 0 MSTORE
  // PUSH1 32 PUSH1 0 RETURN.
  const Address empty = addr("0x00000000000000000000000000000000000000aa");
  const Hash value = Hash::from_hex("0x" + std::string(62, '0') + "7b").value();
  StateOverride overrides{{empty, AccountOverride{.balance = U256(5), .nonce = {}, .code = hex("0x60005460005260206000f3"),
                                                  .state = {}, .state_diff = std::vector{std::pair{Hash{}, value}}}}};
  CallRequest read;
  read.to = empty;
  CHECK(c.run([&](Client& cl) { return cl.call(read, BlockTag::latest(), overrides); }).value() ==
        Bytes(value.bytes.begin(), value.bytes.end()));
  // Without the override the address has no code: empty return data.
  CHECK(c.run([&](Client& cl) { return cl.call(read); }).value().empty());
  // Block overrides: TIMESTAMP NUMBER returned as two words (TIMESTAMP PUSH1 0 MSTORE NUMBER PUSH1 32 MSTORE
  // PUSH1 64 PUSH1 0 RETURN) run in the environment given, on the state of the tag.
  StateOverride env_code{{empty, AccountOverride{.balance = {}, .nonce = {}, .code = hex("0x4260005243602052604060" "00f3"),
                                                 .state = {}, .state_diff = {}}}};
  const Bytes env = c.run([&](Client& cl) {
                       return cl.call(read, BlockTag::latest(), env_code, BlockOverrides{.number = 77, .time = 4660, .base_fee = {}});
                     }).value();
  REQUIRE(env.size() == 64);
  CHECK(env[31] == 0x34);
  CHECK(env[30] == 0x12);
  CHECK(env[63] == 77);

  CallRequest transfer;
  transfer.from = chain.sender;
  transfer.to = addr(Anvil::dev_address(1));
  transfer.value = U256(1);
  CHECK(c.run([&](Client& cl) { return cl.estimate_gas(transfer); }).value() == 21000);
  call.data = {0x01};
  call.from = chain.sender;
  auto estimate_revert = c.run([&](Client& cl) { return cl.estimate_gas(call); });
  REQUIRE(!estimate_revert);
  CHECK(estimate_revert.error().method == "eth_estimateGas");

  // Unknown method: the node's JSON-RPC error surfaces with its code.
  auto unknown = c.run([&](Client& cl) { return cl.transport().call("eth_noSuchMethod", "[]"); });
  REQUIRE(!unknown);
  CHECK(unknown.error().kind == ErrorKind::node_error);
  CHECK(unknown.error().code.has_value());
}

TEST_CASE("rpc integration: a batch of 1,000 calls over one keep-alive connection") {
  Chain chain;
  auto& c = chain.client;
  chain.send(addr(Anvil::dev_address(1)), {}, U256(7), 21000);
  std::vector<RawCall> calls;
  for (int i = 0; i < 1000; ++i) {
    switch (i % 4) {
      case 0: calls.push_back(requests::get_balance(addr(Anvil::dev_address(i % 3)))); break;
      case 1: calls.push_back(requests::get_transaction_count(addr(Anvil::dev_address(0)), std::uint64_t(i % 2))); break;
      case 2: calls.push_back(requests::block_number()); break;
      default: calls.push_back({"eth_noSuchMethod", "[]"}); break;
    }
  }
  const auto before = chain.transport->stats();
  auto results = c.run([&](Client& cl) { return cl.batch(calls); }).value();
  REQUIRE(results.size() == 1000);
  test::RpcClient raw(chain.anvil.http_url());
  const U256 balance1 = U256::from_hex(raw.call("eth_getBalance", "[\"" + Anvil::dev_address(1) + "\",\"latest\"]")).value();
  const U256 balance2 = U256::from_hex(raw.call("eth_getBalance", "[\"" + Anvil::dev_address(2) + "\",\"latest\"]")).value();
  JsonParser p;
  for (int i = 0; i < 1000; ++i) {
    CAPTURE(i);
    auto& r = results[static_cast<std::size_t>(i)];
    switch (i % 4) {
      case 0: {
        const U256 b = decode_u256_result(p, r.value(), "eth_getBalance").value();
        if (i % 3 == 1) CHECK(b == balance1);
        if (i % 3 == 2) CHECK(b == balance2);
        break;
      }
      case 1: CHECK(decode_u64_result(p, r.value(), "eth_getTransactionCount").value() == std::uint64_t(i % 2)); break;
      case 2: CHECK(decode_u64_result(p, r.value(), "eth_blockNumber").value() == 1); break;
      default:
        REQUIRE(!r);
        CHECK(r.error().kind == ErrorKind::node_error);
        CHECK(r.error().method == "eth_noSuchMethod");
    }
  }
  const auto after = chain.transport->stats();
  CHECK(after.requests - before.requests == 1);
  CHECK(after.connections_opened <= 2);  // one per worker connection at most, reused since
}

TEST_CASE("rpc integration: get_logs splits ranges a node refuses, against anvil behind a limiting proxy") {
  Chain chain;
  const Address emitter = chain.deploy_emitter();
  std::vector<Log> expected;
  for (std::uint64_t n : {3, 0, 7, 1, 4, 2}) {  // one block each, with n events
    const Receipt r = chain.send(emitter, Chain::emit(n));
    expected.insert(expected.end(), r.logs.begin(), r.logs.end());
  }
  // The proxy answers like geth with a result limit: any eth_getLogs spanning more than 2 blocks is refused.
  test::HttpFaultProxy proxy(chain.anvil.port());
  std::vector<std::pair<std::uint64_t, std::uint64_t>> answered;
  std::mutex answered_mutex;
  proxy.set_responder([&](const std::string& body) -> std::optional<std::string> {
    simdjson::dom::parser parser;
    simdjson::dom::element request = parser.parse(body);
    std::string_view method, from, to;
    if (request["method"].get_string().get(method) != simdjson::SUCCESS || method != "eth_getLogs") return std::nullopt;
    const std::uint64_t id = request["id"].get_uint64().value();
    if (request["params"].at(0)["fromBlock"].get_string().get(from) != simdjson::SUCCESS) from = {};
    if (request["params"].at(0)["toBlock"].get_string().get(to) != simdjson::SUCCESS) to = {};
    const auto a = parse_quantity_u64(from), b = parse_quantity_u64(to);
    if (!a || !b || *b - *a + 1 > 2)  // "latest" is refused too: its range is the whole chain
      return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
             R"(,"error":{"code":-32005,"message":"query returned more than 10000 results"}})";
    std::lock_guard lock(answered_mutex);
    answered.emplace_back(*a, *b);
    return std::nullopt;
  });
  SyncClient client(std::make_shared<HttpTransport>(proxy.url()));
  LogFilter filter;
  filter.addresses = {emitter};
  filter.from_block = std::uint64_t{1};
  filter.to_block = BlockTag::latest();  // pinned to the head (block 7) before splitting
  const auto logs = client.get_logs(filter).value();
  CHECK(logs == expected);
  CHECK(logs.size() == 17);
  // Every answered range is at most 2 blocks, and together they cover 1..7 once, in order.
  std::uint64_t next = 1;
  for (const auto& [a, b] : answered) {
    CHECK(a == next);
    CHECK(b - a + 1 <= 2);
    next = b + 1;
  }
  CHECK(next == 8);
}
