#include "keeper/cli/wallet_tool.hpp"

#include <doctest/doctest.h>

#include "keeper/cli/cli_error.hpp"

using namespace sluice::cli;

namespace {
MktxArgs eip155_example() {
  MktxArgs a;
  a.private_key = "4646464646464646464646464646464646464646464646464646464646464646";
  a.chain_id = "1";
  a.nonce = "9";
  a.gas_limit = "21000";
  a.gas_price = "20000000000";
  a.value = "1000000000000000000";
  a.to = "0x3535353535353535353535353535353535353535";
  return a;
}
}  // namespace

TEST_CASE("wallet tool: mktx of the EIP-155 example prints the EIP's raw transaction") {
  // https://eips.ethereum.org/EIPS/eip-155#example (also what `cast mktx --legacy` prints).
  CHECK(mktx_text(eip155_example()) ==
        "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc"
        "2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a"
        "3b6d83\n");
  MktxArgs hex = eip155_example();
  hex.nonce = "0x9";
  hex.gas_price = "0x4a817c800";
  hex.to = "0x3535353535353535353535353535353535353535";
  CHECK(mktx_text(hex) == mktx_text(eip155_example()));
}

TEST_CASE("wallet tool: mktx type 2 (cast mktx --gas-price M --priority-gas-price P)") {
  MktxArgs a = eip155_example();
  a.gas_price.reset();
  a.max_fee = "20000000000";
  a.priority_fee = "1000000000";
  CHECK(mktx_text(a) ==
        "0x02f8730109843b9aca008504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080c080a0"
        "4e87ced8b47d801c979c6baa52bbd78b42c9db2515c9d1f473e06f65d49aaa90a02357671517c59544ebd95012d1988c102292eb570c"
        "c840ac9af72bb4c52e5edd\n");
}

TEST_CASE("wallet tool: bad arguments throw CliError naming the option") {
  auto message = [](const MktxArgs& a) {
    try {
      mktx_text(a);
    } catch (const CliError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  MktxArgs a = eip155_example();
  a.nonce = "-1";
  CHECK(message(a).rfind("--nonce", 0) == 0);
  a = eip155_example();
  a.gas_limit = "18446744073709551616";
  CHECK(message(a) == "--gas-limit: does not fit in 64 bits");
  a = eip155_example();
  a.to = "0x35";
  CHECK(message(a).rfind("--to", 0) == 0);
  a = eip155_example();
  a.create = true;
  CHECK(message(a) == "give exactly one of --to <address> and --create");
  a = eip155_example();
  a.private_key = std::string(64, '0');
  CHECK(message(a) == "--private-key: private key is zero");
  a = eip155_example();
  a.priority_fee = "1";
  CHECK(message(a).find("not both") != std::string::npos);
}

TEST_CASE("wallet tool: wallet-address from a key prints the checksummed address") {
  WalletAddressArgs a;
  a.private_key = "0x4646464646464646464646464646464646464646464646464646464646464646";
  CHECK(wallet_address_text(a) == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F\n");  // cast wallet address
  a.keystore = "/dev/null";
  CHECK_THROWS_AS(wallet_address_text(a), CliError);
}

TEST_CASE("wallet tool: mktx follows cast on chains without EIP-1559 and on fees past 128 bits") {
  MktxArgs a;
  a.private_key = "0x4646464646464646464646464646464646464646464646464646464646464646";
  a.chain_id = "30";  // RSK: cast signs a legacy transaction with the max fee as gas price
  a.nonce = "0";
  a.gas_limit = "21000";
  a.to = "0x3535353535353535353535353535353535353535";
  a.max_fee = "2000000000";
  a.priority_fee = "1000000000";
  // cast mktx --private-key 0x4646.. --chain 30 --nonce 0 --gas-limit 21000 --gas-price 2000000000
  //   --priority-gas-price 1000000000 0x3535353535353535353535353535353535353535
  CHECK(mktx_text(a) ==
        "0xf86380847735940082520894353535353535353535353535353535353535353580805fa03dc9a2d2da606c21f1e5330c683369f9dcfc"
        "30c2f93cf0b43dfebfc9084986bba00c1e0ce1a9c8b6632a71ec81941a9375c58d034f5d3c4aca06f86062aa809679\n");
  a.chain_id = "1";
  a.max_fee = "340282366920938463463374607431768211456";  // 2^128: cast panics, we refuse
  CHECK_THROWS_AS(mktx_text(a), CliError);
  a.max_fee = "340282366920938463463374607431768211455";
  CHECK(mktx_text(a).rfind("0x02", 0) == 0);
}
