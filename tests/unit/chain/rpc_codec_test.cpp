// Unit tests of chain/rpc's pure parts: quantities, the JSON-RPC envelope, typed decoders, request builders,
// revert decoding, backoff and Retry-After, URL redaction, range-error detection.
// Golden JSON: responses captured from anvil 1.7.1 (`anvil --timestamp 1700000000`, `cast rpc`/`cast send --json`);
// expected numbers are the quantities in that JSON converted with `cast --to-dec`.
// Revert data: produced by `cast calldata "Error(string)" boom` and `cast calldata "Panic(uint256)" 0x11`.

#include "chain/rpc/client.hpp"
#include "chain/rpc/error.hpp"
#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/json.hpp"
#include "chain/rpc/quantity.hpp"
#include "chain/rpc/requests.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::rpc;

namespace {

constexpr std::string_view kGenesisBlock =
    R"({"hash":"0xc56b8342e33b57477139f45874ae699b6fe1ca1a65d089b78c34dabc3206e07b","parentHash":"0x0000000000000000000000000000000000000000000000000000000000000000","sha3Uncles":"0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347","miner":"0x0000000000000000000000000000000000000000","stateRoot":"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421","transactionsRoot":"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421","receiptsRoot":"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421","logsBloom":"0x00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000","difficulty":"0x0","number":"0x0","gasLimit":"0x1c9c380","gasUsed":"0x0","timestamp":"0x6553f100","extraData":"0x","mixHash":"0x0000000000000000000000000000000000000000000000000000000000000000","nonce":"0x0000000000000000","baseFeePerGas":"0x3b9aca00","withdrawalsRoot":"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421","blobGasUsed":"0x0","excessBlobGas":"0x0","parentBeaconBlockRoot":"0x0000000000000000000000000000000000000000000000000000000000000000","requestsHash":"0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","totalDifficulty":"0x0","size":"0x267","uncles":[],"transactions":[],"withdrawals":[]})";

constexpr std::string_view kTransferReceipt =
    R"({"type":"0x2","status":"0x1","cumulativeGasUsed":"0x5208","logs":[],"logsBloom":"0x00","transactionHash":"0xfb2a711f8c07b8e17870ee5c2798258f8259d2e527d413ef650ee76762e05895","transactionIndex":"0x0","blockHash":"0x1c3b105d4744f04613d19e2d258356b2b0d89bfbccff03d29b0efbbbafec2eb7","blockNumber":"0x1","gasUsed":"0x5208","effectiveGasPrice":"0x3b9aca01","blobGasPrice":"0x1","from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","to":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","contractAddress":null})";

// A log shaped as anvil returns it (values of our own choosing; every field exercised).
constexpr std::string_view kLogs =
    R"([{"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3","topics":["0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef","0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"],"data":"0x00000000000000000000000000000000000000000000000000000000000003e8","blockHash":"0x1c3b105d4744f04613d19e2d258356b2b0d89bfbccff03d29b0efbbbafec2eb7","blockNumber":"0x1","blockTimestamp":"0x6553f10c","transactionHash":"0xfb2a711f8c07b8e17870ee5c2798258f8259d2e527d413ef650ee76762e05895","transactionIndex":"0x0","logIndex":"0x2","removed":false}])";

Bytes hex(std::string_view text) { return from_hex(text).value(); }

}  // namespace

TEST_CASE("rpc quantity: spec examples, strict and lenient") {
  // https://ethereum.org/en/developers/docs/apis/json-rpc/#quantities-encoding: 0x41 (65), 0x400 (1024), 0x0;
  // wrong: 0x (no digits), 0x0400 (leading zero), ff (no prefix).
  CHECK(parse_quantity_u64("0x41", QuantityMode::strict).value() == 65);
  CHECK(parse_quantity_u64("0x400", QuantityMode::strict).value() == 1024);
  CHECK(parse_quantity_u64("0x0", QuantityMode::strict).value() == 0);
  CHECK(parse_quantity_u64("0x", QuantityMode::strict).error() == QuantityError::empty);
  CHECK(parse_quantity_u64("0x0400", QuantityMode::strict).error() == QuantityError::leading_zero);
  CHECK(parse_quantity_u64("ff", QuantityMode::strict).error() == QuantityError::missing_prefix);
  CHECK(parse_quantity_u64("0xFF", QuantityMode::strict).error() == QuantityError::invalid_character);
  // Lenient: what real nodes send.
  CHECK(parse_quantity_u64("0x0400").value() == 1024);
  CHECK(parse_quantity_u64("0x").value() == 0);
  CHECK(parse_quantity_u64("0xFF").value() == 255);
  CHECK(parse_quantity_u64("ff").error() == QuantityError::missing_prefix);
  CHECK(parse_quantity_u64("0x-1").error() == QuantityError::invalid_character);
  CHECK(parse_quantity_u64("0x 1").error() == QuantityError::invalid_character);
  CHECK(parse_quantity_u64("0xffffffffffffffff").value() == ~0ULL);
  CHECK(parse_quantity_u64("0x10000000000000000").error() == QuantityError::overflow);
  CHECK(parse_quantity_u64("0x0000000000000000000000ff").value() == 255);  // leading zeros do not overflow
  CHECK(parse_quantity(std::string("0x") + std::string(64, 'f')).value() == U256::max());
  CHECK(parse_quantity(std::string("0x1") + std::string(64, '0')).error() == QuantityError::overflow);
  CHECK(to_quantity(std::uint64_t{0}) == "0x0");
  CHECK(to_quantity(std::uint64_t{1024}) == "0x400");
  CHECK(to_quantity(~0ULL) == "0xffffffffffffffff");
}

TEST_CASE("rpc json: request building escapes strings") {
  CHECK(build_request(7, "eth_blockNumber", "[]") == R"({"jsonrpc":"2.0","id":7,"method":"eth_blockNumber","params":[]})");
  std::string out;
  append_json_string(out, std::string("a\"b\\c\n\x01", 7));
  CHECK(out == R"("a\"b\\c\n\u0001")");
  const RawCall calls[] = {{"eth_chainId", "[]"}, {"eth_gasPrice", ""}};
  CHECK(build_batch(3, calls) ==
        R"([{"jsonrpc":"2.0","id":3,"method":"eth_chainId","params":[]},{"jsonrpc":"2.0","id":4,"method":"eth_gasPrice","params":[]}])");
}

TEST_CASE("rpc json: single responses, errors and garbage") {
  ResponseDecoder d;
  auto ok = d.decode_single(R"({"jsonrpc":"2.0","id":1,"result":"0x7a69"})", 1, "eth_chainId");
  REQUIRE(ok.has_value());
  CHECK(*ok == R"("0x7a69")");
  auto obj = d.decode_single(R"({"id":2,"jsonrpc":"2.0","result":{"a":[1,2]}})", 2, "m");
  REQUIRE(obj.has_value());
  CHECK(*obj == R"({"a":[1,2]})");
  auto null = d.decode_single(R"({"jsonrpc":"2.0","id":"3","result":null})", 3, "m");  // string id accepted
  REQUIRE(null.has_value());
  CHECK(*null == "null");

  // Node error with revert data (anvil's shape: code 3, "execution reverted: boom", data = Error("boom")).
  auto revert = d.decode_single(
      R"({"jsonrpc":"2.0","id":4,"error":{"code":3,"message":"execution reverted: boom","data":"0x08c379a000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000004626f6f6d00000000000000000000000000000000000000000000000000000000"}})",
      4, "eth_call");
  REQUIRE(!revert);
  CHECK(revert.error().kind == ErrorKind::node_error);
  CHECK(revert.error().code == 3);
  CHECK(revert.error().method == "eth_call");
  REQUIRE(revert.error().revert);
  CHECK(revert.error().revert->kind == RevertReason::Kind::error_string);
  CHECK(revert.error().revert->message == "boom");

  auto other = d.decode_single(R"({"jsonrpc":"2.0","id":5,"error":{"code":-32000,"message":"x","data":{"k":1}}})", 5, "m");
  REQUIRE(!other);
  CHECK(other.error().data_json == R"({"k":1})");
  CHECK(!other.error().revert);

  for (const std::string_view garbage :
       {"", "{", "[]", "null", R"({"jsonrpc":"2.0","id":6,"result":"0x1")", R"({"jsonrpc":"2.0","id":6})",
        R"({"jsonrpc":"2.0","id":99,"result":"0x1"})", R"({"jsonrpc":"2.0","id":6,"result":"0x1"} x)",
        R"({"jsonrpc":"2.0","id":6,"result":tru})", R"({"jsonrpc":"2.0","id":6,"error":{"code":"x"}})",
        "<html>502 Bad Gateway</html>"}) {
    CAPTURE(garbage);
    auto r = d.decode_single(std::string(garbage), 6, "eth_getLogs");
    REQUIRE(!r);
    CHECK(r.error().kind == ErrorKind::malformed_response);
    CHECK(r.error().method == "eth_getLogs");
  }
}

TEST_CASE("rpc json: batch responses in any order, per-call errors, missing answers") {
  ResponseDecoder d;
  const RawCall calls[] = {{"eth_chainId", "[]"}, {"eth_blockNumber", "[]"}, {"eth_call", "[]"}};
  auto r = d.decode_batch(
      R"([{"jsonrpc":"2.0","id":12,"error":{"code":-32000,"message":"nope"}},{"jsonrpc":"2.0","id":11,"result":"0x5"},{"jsonrpc":"2.0","id":10,"result":"0x1"}])",
      10, calls);
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 3);
  CHECK((*r)[0].value() == R"("0x1")");
  CHECK((*r)[1].value() == R"("0x5")");
  REQUIRE(!(*r)[2]);
  CHECK((*r)[2].error().method == "eth_call");
  CHECK((*r)[2].error().message == "nope");

  auto missing = d.decode_batch(R"([{"jsonrpc":"2.0","id":10,"result":"0x1"}])", 10, calls);
  REQUIRE(missing.has_value());
  CHECK((*missing)[0].has_value());
  CHECK((*missing)[1].error().kind == ErrorKind::malformed_response);
  CHECK((*missing)[1].error().method == "eth_blockNumber");

  auto duplicate = d.decode_batch(R"([{"id":10,"result":"0x1"},{"id":10,"result":"0x1"}])", 10, calls);
  CHECK(!duplicate);
  auto rejected = d.decode_batch(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch too large"}})", 10, calls);
  REQUIRE(!rejected);
  CHECK(rejected.error().kind == ErrorKind::node_error);
  CHECK(!d.decode_batch(R"([{"id":10,"result":"0x1"},)", 10, calls));
}

TEST_CASE("rpc decode: anvil genesis block header") {
  JsonParser p;
  auto block = decode_block_header(p, kGenesisBlock);
  REQUIRE(block.has_value());
  REQUIRE(block->has_value());
  const BlockHeader& h = **block;
  CHECK(h.number == 0);
  CHECK(h.hash.hex() == "0xc56b8342e33b57477139f45874ae699b6fe1ca1a65d089b78c34dabc3206e07b");
  CHECK(h.parent_hash.is_zero());
  CHECK(h.timestamp == 1700000000);
  CHECK(h.base_fee_per_gas == U256(1000000000));
  CHECK(h.gas_limit == 30000000);
  CHECK(h.gas_used == 0);
  CHECK(h.miner.is_zero());
  REQUIRE(h.logs_bloom);
  CHECK(h.logs_bloom->is_zero());
  CHECK(decode_block_header(p, "null").value() == std::nullopt);

  // Missing and malformed fields name the field.
  std::string no_number(kGenesisBlock);
  no_number.replace(no_number.find(R"("number":"0x0",)"), 15, "");
  auto missing = decode_block_header(p, no_number);
  REQUIRE(!missing);
  CHECK(missing.error().method == "eth_getBlockByNumber");
  CHECK(missing.error().message.find("number") != std::string::npos);
  std::string bad_hash(kGenesisBlock);
  bad_hash.replace(bad_hash.find("0xc56b"), 6, "0xzz6b");
  CHECK(decode_block_header(p, bad_hash).error().message.find("hash") != std::string::npos);
}

TEST_CASE("rpc decode: receipt, logs, scalars") {
  JsonParser p;
  auto receipt = decode_receipt(p, kTransferReceipt);
  REQUIRE(receipt.has_value());
  REQUIRE(receipt->has_value());
  const Receipt& r = **receipt;
  CHECK(r.status == 1);
  CHECK(r.type == 2);
  CHECK(r.gas_used == 21000);
  CHECK(r.block_number == 1);
  CHECK(r.effective_gas_price == U256(1000000001));
  CHECK(!r.contract_address);
  CHECK(r.to == parse_address("0x70997970c51812dc3a010c7d01b50e0d17dc79c8").value());

  auto logs = decode_logs(p, kLogs);
  REQUIRE(logs.has_value());
  REQUIRE(logs->size() == 1);
  const Log& log = (*logs)[0];
  CHECK(log.topics.size() == 2);
  CHECK(log.data == hex("0x00000000000000000000000000000000000000000000000000000000000003e8"));
  CHECK(log.log_index == 2);
  CHECK(log.block_number == 1);
  CHECK(!log.removed);
  CHECK(decode_logs(p, "[]").value().empty());
  CHECK(!decode_logs(p, R"([{"address":"0x00","topics":[],"data":"0x"}])"));

  CHECK(decode_u64_result(p, R"("0x7a69")", "eth_chainId").value() == 31337);
  CHECK(decode_u256_result(p, R"("0x3b9aca00")", "eth_gasPrice").value() == U256(1000000000));
  CHECK(decode_bytes_result(p, R"("0x")", "eth_getCode").value().empty());
  CHECK(!decode_u64_result(p, "12", "eth_chainId"));
  CHECK(!decode_u64_result(p, R"("0x1" "0x2")", "eth_chainId"));
  CHECK(decode_u64_result(p, "{}", "eth_chainId").error().method == "eth_chainId");
  CHECK(decode_hash_result(p, R"("0x01")", "eth_getStorageAt").error().kind == ErrorKind::malformed_response);
}

TEST_CASE("rpc decode: fee history") {
  JsonParser p;
  // Shape from the execution-apis spec of eth_feeHistory (values of our own choosing).
  auto h = decode_fee_history(
      p, R"({"oldestBlock":"0x10","baseFeePerGas":["0x1","0x2","0x3"],"gasUsedRatio":[0.5,0],"reward":[["0x1","0x2"],["0x3","0x4"]]})");
  REQUIRE(h.has_value());
  CHECK(h->oldest_block == 16);
  CHECK(h->base_fee_per_gas.size() == 3);
  CHECK(h->gas_used_ratio == std::vector<double>{0.5, 0.0});
  REQUIRE(h->reward.size() == 2);
  CHECK(h->reward[1][1] == U256(4));
}

TEST_CASE("rpc revert: Error(string), Panic(uint256), custom, empty") {
  auto e = decode_revert(hex(
      "0x08c379a000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000004626f6f6d00000000000000000000000000000000000000000000000000000000"));
  CHECK(e.kind == RevertReason::Kind::error_string);
  CHECK(e.describe() == R"(Error("boom"))");
  auto panic = decode_revert(hex("0x4e487b710000000000000000000000000000000000000000000000000000000000000011"));
  CHECK(panic.kind == RevertReason::Kind::panic);
  CHECK(panic.panic_code == U256(0x11));
  CHECK(panic.describe() == "Panic(0x11: arithmetic overflow or underflow)");
  // `cast calldata "InsufficientBalance(uint256,uint256)" 1 2`
  auto custom = decode_revert(hex(
      "0xcf47918100000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000002"));
  CHECK(custom.kind == RevertReason::Kind::custom);
  CHECK(custom.selector.hex() == "0xcf479181");
  CHECK(decode_revert({}).kind == RevertReason::Kind::empty);
  CHECK(decode_revert(hex("0x08c379a0")).kind == RevertReason::Kind::custom);  // truncated Error(string)
}

TEST_CASE("rpc requests: params JSON") {
  const Address a = parse_address("0x70997970c51812dc3a010c7d01b50e0d17dc79c8").value();
  CHECK(requests::get_balance(a, 1024).params_json == R"(["0x70997970c51812dc3a010c7d01b50e0d17dc79c8","0x400"])");
  CHECK(requests::get_transaction_count(a, BlockTag::pending()).params_json ==
        R"(["0x70997970c51812dc3a010c7d01b50e0d17dc79c8","pending"])");
  CHECK(requests::get_block_by_number(BlockTag::finalized()).params_json == R"(["finalized",false])");
  CallRequest call;
  call.to = a;
  call.data = {0x12, 0x34};
  call.value = U256(1);
  StateOverride overrides{{a, AccountOverride{.balance = U256(16), .nonce = {}, .code = Bytes{0x60}, .state = {}, .state_diff = {}}}};
  CHECK(requests::call(call, BlockTag::latest(), overrides).params_json ==
        R"([{"to":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","value":"0x1","input":"0x1234","data":"0x1234"},"latest",{"0x70997970c51812dc3a010c7d01b50e0d17dc79c8":{"balance":"0x10","code":"0x60"}}])");
  BlockOverrides env{.number = 17, .time = 4660, .base_fee = U256(7)};
  CHECK(requests::call(call, 16, {}, env).params_json ==
        R"([{"to":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","value":"0x1","input":"0x1234","data":"0x1234"},"0x10",{},{"number":"0x11","time":"0x1234","baseFeePerGas":"0x7"}])");
  CHECK(requests::call(call, 16, {}, BlockOverrides{}).params_json ==
        R"([{"to":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","value":"0x1","input":"0x1234","data":"0x1234"},"0x10"])");
  LogFilter f;
  f.from_block = 1;
  f.to_block = BlockTag::latest();
  f.addresses = {a};
  f.topics = {{}, {Hash{}}};
  CHECK(requests::get_logs(f).params_json ==
        R"([{"fromBlock":"0x1","toBlock":"latest","address":["0x70997970c51812dc3a010c7d01b50e0d17dc79c8"],"topics":[null,["0x0000000000000000000000000000000000000000000000000000000000000000"]]}])");
  const double percentiles[] = {25, 12.5};
  CHECK(requests::fee_history(4, BlockTag::latest(), percentiles).params_json == R"(["0x4","latest",[25,12.5]])");
}

TEST_CASE("rpc errors: redaction, description, retryability, log range errors") {
  CHECK(redact_url("https://user:secret@mainnet.example.com:8443/v3/APIKEY?x=1") == "https://mainnet.example.com:8443");
  CHECK(redact_url("http://127.0.0.1:8545") == "http://127.0.0.1:8545");
  RpcError e = make_error(ErrorKind::node_error, "eth_getLogs", "query returned more than 10000 results");
  e.code = -32005;
  e.endpoint = "http://127.0.0.1:8545";
  CHECK(e.describe() == "eth_getLogs at http://127.0.0.1:8545: node error -32005: query returned more than 10000 results");
  CHECK(is_log_range_error(e));
  CHECK(!e.is_retryable());
  e.code.reset();
  e.message = "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range";
  CHECK(is_log_range_error(e));
  e.message = "execution reverted";
  CHECK(!is_log_range_error(e));
  RpcError http = make_error(ErrorKind::http_status, "eth_call", "HTTP status 503");
  http.http_status = 503;
  CHECK(http.is_retryable());
  http.http_status = 400;
  CHECK(!http.is_retryable());
  CHECK(make_error(ErrorKind::rate_limited, "m", "").is_retryable());
  CHECK_THROWS_AS(RpcResult<int>(e).value(), RpcException);
}

TEST_CASE("rpc backoff: exponential with full jitter, capped, Retry-After wins") {
  RetryPolicy p;
  p.initial_backoff = std::chrono::milliseconds(100);
  p.max_backoff = std::chrono::milliseconds(1000);
  p.multiplier = 2;
  using std::chrono::milliseconds;
  CHECK(backoff_delay(p, 1, std::nullopt, 0.999999) == milliseconds(99));
  CHECK(backoff_delay(p, 3, std::nullopt, 0.5) == milliseconds(200));
  CHECK(backoff_delay(p, 10, std::nullopt, 0.5) == milliseconds(500));  // capped at 1000 before jitter
  CHECK(backoff_delay(p, 1, std::nullopt, 0.0) == milliseconds(0));
  CHECK(backoff_delay(p, 1, milliseconds(3000), 0.5) == milliseconds(3000));
  const auto now = std::chrono::system_clock::from_time_t(784111777);  // RFC 9110's example date, Sun 06 Nov 1994 08:49:37 GMT
  CHECK(parse_retry_after(" 2\r\n", now) == milliseconds(2000));
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now) == milliseconds(10000));
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:30 GMT", now) == milliseconds(0));
  CHECK(!parse_retry_after("soon", now));
}
