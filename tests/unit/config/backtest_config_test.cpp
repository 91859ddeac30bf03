// [backtest]: address and inventory, and one test per error with the exact message (file, line, dotted key), in
// the loader's documented formats (config/config_error.hpp, config/toml_reader.cpp).

#include "config/load_config.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace sluice;
using namespace sluice::config;

namespace {

// The real mainnet Aave v3 Pool, PoolAddressesProvider and USDC/WETH (config/mainnet.example.toml).
const std::string kBase = R"([chain]
rpc_http = "http://127.0.0.1:8545"
chain_id = 1

[aave]
pool = "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2"
pool_addresses_provider = "0x2f39d218133AFaB8F2B819B1066c7E434Ad94E9e"
start_block = 100

[tokens]
USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
WETH = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"
)";  // 12 lines

std::string error_of(const std::string& text) {
  auto r = parse_keeper_config(text, "k.toml");
  REQUIRE_FALSE(r.has_value());
  return r.error().describe();
}

}  // namespace

TEST_CASE("config backtest: absent means no address and unlimited inventory") {
  auto r = parse_keeper_config(kBase, "k.toml");
  REQUIRE_MESSAGE(r.has_value(), r.error().describe());
  CHECK_FALSE(r->backtest.address);
  CHECK(r->backtest.inventory.empty());
}

TEST_CASE("config backtest: address and inventory in file order, strings or integers") {
  auto r = parse_keeper_config(kBase + "\n[backtest]\naddress = \"0x5100000000000000000000000000000000005100\"\n"
                                       "inventory = { WETH = \"1.5\", USDC = 250000 }\n",
                               "k.toml");
  REQUIRE_MESSAGE(r.has_value(), r.error().describe());
  REQUIRE(r->backtest.address);
  CHECK(to_checksum(*r->backtest.address) == "0x5100000000000000000000000000000000005100");
  const std::vector<std::pair<std::string, std::string>> expected{{"WETH", "1.5"}, {"USDC", "250000"}};
  CHECK(r->backtest.inventory == expected);
}

TEST_CASE("config backtest: errors name file, line and key") {
  CHECK(error_of(kBase + "\n[backtest]\nadress = \"0x5100000000000000000000000000000000005100\"\n") ==
        "k.toml:15: backtest.adress: unknown key (expected one of: address, inventory)");
  CHECK(error_of(kBase + "\n[backtest]\ninventory = { DAI = \"1\" }\n") ==
        "k.toml:15: backtest.inventory.DAI: no token DAI in [tokens]");
  CHECK(error_of(kBase + "\n[backtest]\ninventory = { USDC = \"1e6\" }\n") ==
        "k.toml:15: backtest.inventory.USDC: '1e6': expected a whole-token amount such as \"250000\" or \"1.5\"");
  CHECK(error_of(kBase + "\n[backtest]\ninventory = { USDC = \"-5\" }\n") ==
        "k.toml:15: backtest.inventory.USDC: '-5': expected a whole-token amount such as \"250000\" or \"1.5\"");
  CHECK(error_of(kBase + "\n[backtest]\ninventory = { USDC = 1.5 }\n") ==
        "k.toml:15: backtest.inventory.USDC: expected a string, got a float");
  CHECK(error_of(kBase + "\n[backtest]\ninventory = \"USDC=1\"\n") ==
        "k.toml:15: backtest.inventory: expected a table, got a string");
  CHECK(error_of(kBase + "\n[backtest]\naddress = \"0x51\"\n") ==
        "k.toml:15: backtest.address: '0x51': address must be 40 hex digits");
}
