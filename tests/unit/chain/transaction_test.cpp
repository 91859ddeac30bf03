#include "chain/transaction.hpp"

#include "chain/rlp.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::literals;

namespace {

PrivateKey key_of(std::string_view hex) { return std::move(*PrivateKey::from_hex(hex)); }

constexpr const char* kKey46 = "0x4646464646464646464646464646464646464646464646464646464646464646";
constexpr const char* kAnvilKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

Address addr(std::string_view hex) { return *parse_address(hex); }

/// The EIP-155 example transaction (https://eips.ethereum.org/EIPS/eip-155#example).
LegacyTransaction eip155_example() {
  LegacyTransaction tx;
  tx.nonce = 9;
  tx.gas_price = 20'000'000'000ULL;
  tx.gas_limit = 21000;
  tx.to = addr("0x3535353535353535353535353535353535353535");
  tx.value = 1'000'000'000'000'000'000ULL;
  tx.chain_id = 1;
  return tx;
}

std::string raw_hex(const SignedTransaction& tx) { return to_hex(encode_raw(tx)); }

SignedTransaction decoded(std::string_view hex) {
  auto raw = from_hex(hex);
  REQUIRE(raw.has_value());
  auto tx = decode_raw(*raw);
  REQUIRE_MESSAGE(tx.has_value(), tx.error().message());
  return *tx;
}

}  // namespace

TEST_CASE("transaction: EIP-155 example: signing data, signing hash and signed raw tx from the EIP text") {
  const LegacyTransaction tx = eip155_example();
  CHECK(to_hex(signing_payload(tx)) ==
        "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080");
  CHECK(signing_hash(tx).hex() == "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
  const SignedLegacyTransaction signed_tx = sign(tx, key_of(kKey46));
  CHECK(legacy_v(signed_tx) == 37);
  const std::string expected =
      "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc"
      "2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a"
      "3b6d83";
  CHECK(to_hex(encode_raw(signed_tx)) == expected);
  // Hash from `cast decode-transaction` of the raw tx.
  CHECK(transaction_hash(signed_tx).hex() == "0x33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788");

  const SignedTransaction back = decoded(expected);
  REQUIRE(std::holds_alternative<SignedLegacyTransaction>(back));
  CHECK(std::get<SignedLegacyTransaction>(back) == signed_tx);
  auto sender = recover_sender(back);
  REQUIRE(sender.has_value());
  CHECK(to_checksum(*sender) == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
}

TEST_CASE("transaction: legacy vectors from cast mktx --legacy") {
  // cast mktx --private-key <anvil key 0> --chain 137 --nonce 1000 --gas-limit 50000 --gas-price 123456789
  //   --legacy --value 12345 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 0xdeadbeef
  LegacyTransaction tx;
  tx.chain_id = 137;
  tx.nonce = 1000;
  tx.gas_limit = 50000;
  tx.gas_price = 123456789;
  tx.value = 12345;
  tx.to = addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  tx.data = *from_hex("0xdeadbeef");
  CHECK(to_hex(encode_raw(sign(tx, key_of(kAnvilKey0)))) ==
        "0xf86d8203e884075bcd1582c3509470997970c51812dc3a010c7d01b50e0d17dc79c882303984deadbeef820135a061f2e51578b485"
        "220bc2599feae8c7e9b7fbbebd63c18a4c5d5ebde2078f05b2a07615713f326931540f23aa4268c2ae8dca05ad28745b71f27e0b7b"
        "13cd73b217");

  // cast mktx --private-key 0x46..46 --chain 1 --nonce 0 --gas-limit 21000 --gas-price 1 --legacy
  //   --value 2^256-1 0x3535353535353535353535353535353535353535
  LegacyTransaction huge;
  huge.chain_id = 1;
  huge.gas_limit = 21000;
  huge.gas_price = 1;
  huge.value = U256::max();
  huge.to = addr("0x3535353535353535353535353535353535353535");
  CHECK(to_hex(encode_raw(sign(huge, key_of(kKey46)))) ==
        "0xf87f8001825208943535353535353535353535353535353535353535a0ffffffffffffffffffffffffffffffffffffffffffffffff"
        "ffffffffffffffff8026a05442e414a1af4e972c0d48744388516250fc502828f48f5a25c4e66c73f7157fa042e28bafe79037c405"
        "a955092a5eb5b9fc0fe1824ab45b6885c148824e4fe122");

  // Contract creation and chain id 0 (cast signs chain 0 with EIP-155, v = 35/36):
  // cast mktx --private-key 0x46..46 --chain 1 --nonce 0 --gas-limit 21000 --gas-price 1 --legacy --create 0x6000
  LegacyTransaction create;
  create.chain_id = 1;
  create.gas_limit = 21000;
  create.gas_price = 1;
  create.data = {0x60, 0x00};
  CHECK(to_hex(encode_raw(sign(create, key_of(kKey46)))) ==
        "0xf84d8001825208808082600025a01ad917335bc08aa59bbbaffb7c11e53f127cec9960a5a170ccc9cac764f91383a0369b3645ed"
        "821797aa6c20cdf7e5a859b6433aba98e6872897f86590aca72636");
  // cast mktx --private-key 0x46..46 --chain 0 --nonce 0 --gas-limit 21000 --gas-price 1 --legacy 0x3535..35
  LegacyTransaction chain0 = huge;
  chain0.chain_id = 0;
  chain0.value = 0;
  CHECK(to_hex(encode_raw(sign(chain0, key_of(kKey46)))) ==
        "0xf85f8001825208943535353535353535353535353535353535353535808023a05ed2f81966c9f1c10ea21af18b094b88991c905ceb"
        "c98ee617d7433155689404a026955ea4d479b04ca6816fe37794f51d72c4f4ee4437f956d11af64ec73cccc5");
}

TEST_CASE("transaction: EIP-1559 vectors from cast mktx") {
  // cast mktx --private-key 0x46..46 --chain 1 --nonce 9 --gas-limit 21000 --gas-price 20000000000
  //   --priority-gas-price 1000000000 --value 1000000000000000000 0x3535353535353535353535353535353535353535
  Eip1559Transaction tx;
  tx.chain_id = 1;
  tx.nonce = 9;
  tx.gas_limit = 21000;
  tx.max_fee_per_gas = 20'000'000'000ULL;
  tx.max_priority_fee_per_gas = 1'000'000'000ULL;
  tx.value = 1'000'000'000'000'000'000ULL;
  tx.to = addr("0x3535353535353535353535353535353535353535");
  const std::string expected =
      "0x02f8730109843b9aca008504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080c080a0"
      "4e87ced8b47d801c979c6baa52bbd78b42c9db2515c9d1f473e06f65d49aaa90a02357671517c59544ebd95012d1988c102292eb570c"
      "c840ac9af72bb4c52e5edd";
  const SignedEip1559Transaction signed_tx = sign(tx, key_of(kKey46));
  CHECK(raw_hex(signed_tx) == expected);
  CHECK(transaction_hash(signed_tx).hex() == "0x85c29adc6584224bbd5a304d2e7a3a2f26ca67e4e4dd69e64cc0c71a028a12a3");
  CHECK(signing_payload(tx)[0] == 0x02);

  // ERC-20 transfer calldata on anvil's chain id:
  // cast mktx --private-key <anvil key 0> --chain 31337 --nonce 0 --gas-limit 100000 --gas-price 30000000000
  //   --priority-gas-price 2000000000 --value 0 0x5FbDB2315678afecb367f032d93F642f64180aa3 0xa9059cbb...
  Eip1559Transaction transfer;
  transfer.chain_id = 31337;
  transfer.gas_limit = 100000;
  transfer.max_fee_per_gas = 30'000'000'000ULL;
  transfer.max_priority_fee_per_gas = 2'000'000'000ULL;
  transfer.to = addr("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  transfer.data = *from_hex(
      "0xa9059cbb000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb922660000000000000000000000000000000000"
      "000000000000000de0b6b3a7640000");
  CHECK(raw_hex(sign(transfer, key_of(kAnvilKey0))) ==
        "0x02f8b3827a698084773594008506fc23ac00830186a0945fbdb2315678afecb367f032d93f642f64180aa380b844a9059cbb0000"
        "00000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb922660000000000000000000000000000000000000000000000"
        "000de0b6b3a7640000c080a0cf5418953ddc80e438a70941e8ab679a1d419ac700aed120f8c575d88aa4932fa06822f52239417170"
        "06d094c917648dddcfbcb9784b42b29a36ee7233534e3e63");

  // Contract creation: cast mktx ... --chain 31337 --nonce 5 --gas-limit 500000 --gas-price 1000000000
  //   --priority-gas-price 1000000000 --create 0x6080604052
  Eip1559Transaction create;
  create.chain_id = 31337;
  create.nonce = 5;
  create.gas_limit = 500000;
  create.max_fee_per_gas = 1'000'000'000ULL;
  create.max_priority_fee_per_gas = 1'000'000'000ULL;
  create.data = *from_hex("0x6080604052");
  CHECK(raw_hex(sign(create, key_of(kAnvilKey0))) ==
        "0x02f85e827a6905843b9aca00843b9aca008307a1208080856080604052c080a0104cbb8746148b80b6995d9a74b20e9fc42552be4b"
        "4f564b13ccbb88d0199c7ca055e64fe4cf0b2576283770e0f6cee1f0debd6473aef198e508867a6fd70bc299");
}

TEST_CASE("transaction: EIP-1559 with an EIP-2930 access list (cast mktx --access-list)") {
  // cast mktx --private-key <anvil key 0> --chain 1 --nonce 1 --gas-limit 30000 --gas-price 2000000000
  //   --priority-gas-price 1000000000 --access-list '[{"address":"0x5FbD...","storageKeys":["0x..01","0x..02"]},
  //   {"address":"0x7099...","storageKeys":[]}]' 0x5FbDB2315678afecb367f032d93F642f64180aa3
  Eip1559Transaction tx;
  tx.chain_id = 1;
  tx.nonce = 1;
  tx.gas_limit = 30000;
  tx.max_fee_per_gas = 2'000'000'000ULL;
  tx.max_priority_fee_per_gas = 1'000'000'000ULL;
  tx.to = addr("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  Hash one, two;
  one.bytes[31] = 1;
  two.bytes[31] = 2;
  tx.access_list = {{addr("0x5FbDB2315678afecb367f032d93F642f64180aa3"), {one, two}},
                    {addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), {}}};
  const std::string expected =
      "0x02f8dd0101843b9aca008477359400827530945fbdb2315678afecb367f032d93f642f64180aa38080f872f859945fbdb2315678af"
      "ecb367f032d93f642f64180aa3f842a00000000000000000000000000000000000000000000000000000000000000001a000000000"
      "00000000000000000000000000000000000000000000000000000002d69470997970c51812dc3a010c7d01b50e0d17dc79c8c001a0"
      "ad4ffc35237f273ef753ba1fb7de25d308a2ee8ac20e025662eb065039d53764a047b93dcd92d1e268e96d08da7832616832ab8f64"
      "cf6952af79c90254764becfe";
  const SignedEip1559Transaction signed_tx = sign(tx, key_of(kAnvilKey0));
  CHECK(raw_hex(signed_tx) == expected);
  // Hash and signer from `cast decode-transaction`.
  CHECK(transaction_hash(signed_tx).hex() == "0xf73d671f9a2fbae5a9a00d0dc2bee6106bdf2d5279995a3819efd3d9079ed0d5");
  const SignedTransaction back = decoded(expected);
  REQUIRE(std::holds_alternative<SignedEip1559Transaction>(back));
  CHECK(std::get<SignedEip1559Transaction>(back) == signed_tx);
  CHECK(to_checksum(*recover_sender(back)) == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
}

TEST_CASE("transaction: pre-EIP-155 transaction (v = 27) decodes and recovers its sender") {
  // The keyless deployment of Arachnid's deterministic-deployment-proxy; signer and hash from
  // `cast decode-transaction`.
  const std::string raw =
      "0xf8a58085174876e800830186a08080b853604580600e600039806000f350fe7fffffffffffffffffffffffffffffffffffffffffff"
      "ffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf31ba0222222222"
      "2222222222222222222222222222222222222222222222222222222a0222222222222222222222222222222222222222222222222222"
      "2222222222222";
  const SignedTransaction tx = decoded(raw);
  REQUIRE(std::holds_alternative<SignedLegacyTransaction>(tx));
  const auto& legacy = std::get<SignedLegacyTransaction>(tx);
  CHECK_FALSE(legacy.tx.chain_id.has_value());
  CHECK_FALSE(legacy.tx.to.has_value());
  CHECK(legacy_v(legacy) == 27);
  CHECK(signing_payload(legacy.tx)[0] == 0xf8);  // six fields, no (chainId, 0, 0)
  CHECK(to_hex(encode_raw(tx)) == raw);
  CHECK(transaction_hash(tx).hex() == "0xeddf9e61fb9d8f5111840daef55e5fde0041f5702856532cdbb5a02998033d26");
  CHECK(recover_sender(tx)->hex() == "0x3fab184622dc19b6109349b94811493bf2a45362");
}

TEST_CASE("transaction: sign, encode, decode and recover round trips") {
  const PrivateKey key = key_of(kAnvilKey0);
  const Address sender = address_of(key);
  for (std::uint64_t i = 0; i < 50; ++i) {
    Eip1559Transaction tx;
    tx.chain_id = i * 1'000'003;
    tx.nonce = i * i * 977;
    tx.gas_limit = 21000 + i;
    tx.max_priority_fee_per_gas = U256{i} << static_cast<unsigned>(i * 5);
    tx.max_fee_per_gas = tx.max_priority_fee_per_gas * 3;
    if (i % 3 != 0) tx.to = addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    tx.value = U256::max() >> static_cast<unsigned>(i * 5);
    tx.data.assign(i * 3, static_cast<std::uint8_t>(i));
    if (i % 4 == 1) tx.access_list = {{sender, std::vector<Hash>(i % 5)}};
    const SignedTransaction signed_tx = sign(tx, key);
    const SignedTransaction back = decoded(to_hex(encode_raw(signed_tx)));
    CHECK(back == signed_tx);
    CHECK(*recover_sender(back) == sender);

    LegacyTransaction legacy;
    legacy.nonce = tx.nonce;
    legacy.gas_price = tx.max_fee_per_gas;
    legacy.gas_limit = tx.gas_limit;
    legacy.to = tx.to;
    legacy.value = tx.value;
    legacy.data = tx.data;
    if (i % 5 != 0) legacy.chain_id = i == 49 ? ~std::uint64_t{0} : tx.chain_id;  // includes the largest chain id
    const SignedTransaction signed_legacy = sign(legacy, key);
    const SignedTransaction legacy_back = decoded(to_hex(encode_raw(signed_legacy)));
    CHECK(legacy_back == signed_legacy);
    CHECK(*recover_sender(legacy_back) == sender);
  }
}

TEST_CASE("transaction: malformed raw transactions are rejected with precise errors") {
  auto decode_hex = [](std::string_view hex) { return decode_raw(*from_hex(hex)); };
  CHECK(decode_raw(ByteView{}).error() == TxError::empty);
  CHECK(decode_hex("0x01c0").error() == TxError::unsupported_type);  // EIP-2930 is not supported
  CHECK(decode_hex("0x03c0").error() == TxError::unsupported_type);
  CHECK(decode_hex("0x8180").error() == TxError::not_a_transaction);
  CHECK(decode_hex("0xc0").error() == TxError::missing_field);
  CHECK(decode_hex("0x02c0").error() == TxError::missing_field);

  const std::string eip155 =
      "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc"
      "2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a"
      "3b6d83";
  CHECK(decode_hex("0x" + eip155 + "00").error() == TxError::trailing_bytes);
  CHECK(decode_hex("0x" + eip155.substr(0, eip155.size() - 2)).error() == rlp::Error::input_too_short);
  // v = 0x25 replaced by 0x1d (29): neither 27/28 nor >= 35.
  std::string bad_v = eip155;
  bad_v.replace(bad_v.find("8025a0") + 2, 2, "1d");
  CHECK(decode_hex("0x" + bad_v).error() == TxError::invalid_v);
  // Field lists built by hand: [nonce, gasPrice, gas, to, value, data, v, r, s].
  auto legacy_list = [](ByteView nonce_field, ByteView to) {
    Bytes fields(nonce_field.begin(), nonce_field.end());
    rlp::encode(fields, std::uint64_t{1});
    rlp::encode(fields, std::uint64_t{21000});
    rlp::encode(fields, to);
    rlp::encode(fields, std::uint64_t{0});
    rlp::encode(fields, ByteView{});
    rlp::encode(fields, std::uint64_t{27});
    rlp::encode(fields, std::uint64_t{1});
    rlp::encode(fields, std::uint64_t{1});
    Bytes out;
    rlp::encode_list(out, fields);
    return out;
  };
  const Bytes zero_nonce{0x80}, padded_nonce{0x82, 0x00, 0x09};  // 9 with a leading zero byte
  const Bytes to20(20, 0x35), to19(19, 0x35);
  CHECK(decode_raw(legacy_list(zero_nonce, to20)).has_value());
  CHECK(decode_raw(legacy_list(zero_nonce, to19)).error() == TxError::invalid_to);
  CHECK(decode_raw(legacy_list(padded_nonce, to20)).error() == rlp::Error::leading_zero_in_integer);

  // A type-2 tx with y parity 2.
  Eip1559Transaction tx;
  tx.chain_id = 1;
  SignedEip1559Transaction signed_tx = sign(tx, key_of(kKey46));
  signed_tx.signature.y_parity = 2;
  CHECK(decode_raw(encode_raw(signed_tx)).error() == TxError::invalid_y_parity);
  // One field too many.
  Bytes raw = encode_raw(sign(tx, key_of(kKey46)));
  REQUIRE(raw[1] == 0xf8);  // 0x02, then a long list header with a one-byte length
  Bytes fields(raw.begin() + 3, raw.end());
  fields.push_back(0x80);
  Bytes extended{0x02};
  rlp::encode_list(extended, fields);
  CHECK(decode_raw(extended).error() == TxError::extra_fields);
}

TEST_CASE("transaction: a high-s signature decodes but its sender is rejected (EIP-2)") {
  SignedLegacyTransaction tx = sign(eip155_example(), key_of(kKey46));
  const U256 order{0xbfd25e8cd0364141ULL, 0xbaaedce6af48a03bULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL};
  tx.signature.s = order - tx.signature.s;
  tx.signature.y_parity ^= 1;
  const SignedTransaction back = decoded(to_hex(encode_raw(tx)));
  CHECK(recover_sender(back).error() == SignatureError::high_s);
}
