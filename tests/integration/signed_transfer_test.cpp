// Integration: a type-2 transfer signed by Sluice's own code is accepted by a real anvil node, and the mined
// transaction has the sender, nonce, value and hash that our library computed.

#include "chain/address.hpp"
#include "chain/private_key.hpp"
#include "chain/transaction.hpp"
#include "tests/support/anvil.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::test;

TEST_CASE("integration: a type-2 transfer signed by sluice is mined by anvil with our sender, nonce, value, hash") {
  Anvil anvil;
  RpcClient rpc(anvil.http_url());
  const PrivateKey key = PrivateKey::from_hex(Anvil::dev_private_key(0)).value();
  const Address sender = address_of(key);
  REQUIRE(to_checksum(sender) == Anvil::dev_address(0));
  const Address recipient = parse_address(Anvil::dev_address(1)).value();

  for (std::uint64_t nonce = 0; nonce < 3; ++nonce) {
    CAPTURE(nonce);
    Eip1559Transaction tx;
    tx.chain_id = 31337;
    tx.nonce = nonce;
    tx.max_priority_fee_per_gas = U256{1'000'000'000};
    tx.max_fee_per_gas = U256{100'000'000'000};
    tx.gas_limit = 21'000;
    tx.to = recipient;
    tx.value = U256::from_dec("1234567890123456789").value() + nonce;
    const SignedTransaction signed_tx = sign(tx, key);
    const Bytes raw = encode_raw(signed_tx);

    const std::string sent = rpc.call("eth_sendRawTransaction", "[\"" + to_hex(raw) + "\"]");
    CHECK(sent == transaction_hash(signed_tx).hex());

    rpc.wait_for_receipt(sent);
    const std::string by_hash = "[\"" + sent + "\"]";
    const auto receipt = [&](const char* field) { return rpc.call_field("eth_getTransactionReceipt", by_hash, field); };
    CHECK(receipt("status") == "0x1");
    CHECK(parse_address(receipt("from")).value() == sender);
    CHECK(parse_address(receipt("to")).value() == recipient);
    CHECK(receipt("type") == "0x2");

    const auto mined = [&](const char* field) { return rpc.call_field("eth_getTransactionByHash", by_hash, field); };
    CHECK(U256::from_hex(mined("nonce")).value() == nonce);
    CHECK(U256::from_hex(mined("value")).value() == tx.value);
    CHECK(parse_address(mined("from")).value() == sender);
  }
  // The node's view of the account agrees: three transactions sent.
  CHECK(rpc.call("eth_getTransactionCount", "[\"" + Anvil::dev_address(0) + "\",\"latest\"]") == "0x3");
}
