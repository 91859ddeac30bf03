// Integration: the keeper config the devnet writes (scripts/devnet.d/manifest.js, run alone on a manifest, as
// `scripts/devnet up` runs it) loads with the keeper's config loader and says what the manifest says.
// The manifest below has the fields the writer reads, with the addresses of a real `scripts/devnet up` world
// (anvil's deterministic deployments, seed 1).

#include "config/load_config.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace sluice;
using namespace sluice::test;

namespace {

constexpr const char* kManifest = R"({
  "rpc_http": "http://127.0.0.1:37719",
  "rpc_ws": "ws://127.0.0.1:37719",
  "chain_id": 31337,
  "start_block": 101,
  "aave": {
    "pool_addresses_provider": "0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6",
    "pool": "0x94099942864EA81cCF197E9D71ac53310b1468D8",
    "oracle": "0x09635F643e140090A9A8Dcd712eD6285858ceBef",
    "data_provider": "0x67d269191c92Caf3cD7723F116c85e6E9bf55933"
  },
  "morpho": {
    "morpho": "0x2bdCC0de6bE1f7D2ee689a0342D76F52E8EFABa3",
    "markets": [{"id": "0xceedfe348d852a2f253851d53f9c9a498449993928c98a33f8b29f5e5ab396c3"},
                {"id": "0xea62821acd72c658b7cb250135b7485a1e41a79eaf25943bb6cf250c46cae669"}]
  },
  "uniswap_v2": {
    "factory": "0x1fA02b2d6A771842690194Cf62D91bdd92BfE28d",
    "router": "0xdbC43Ba45381e02825b14322cDdd15eC4B3164E6",
    "pairs": {"WETH/USDC": "0x2BBab3c60709D7a3021Fc200D5972d53a623dE7B"}
  },
  "tokens": {"WETH": "0x5FbDB2315678afecb367f032d93F642f64180aa3", "USDC": "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9"},
  "feeds": {"WETH": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", "USDC": "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707"},
  "liquidator": {"address": "0x30475Ca6Fd193384a0730E6D3eF3B0c805b9Fe50",
                 "private_key": "0x0000000000000000000000000000000000000000000000000000000000000001"}
})";

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sluice-devnet-config-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

}  // namespace

TEST_CASE("integration: the devnet's generated sluice.toml loads with the keeper config loader") {
  TempDir dir;
  const auto manifest = dir.path / "manifest.json";
  std::ofstream(manifest) << kManifest;
  const auto written = run_process(
      {"node", std::string(SLUICE_SOURCE_DIR) + "/scripts/devnet.d/manifest.js", "toml", manifest.string()});
  REQUIRE_MESSAGE(written.exit_code == 0, written.err);
  CHECK(written.out.find("0x0000000000000000000000000000000000000000000000000000000000000001") == std::string::npos);
  const auto toml = dir.path / "sluice.toml";
  std::ofstream(toml) << written.out;

  auto loaded = config::load_keeper_config(toml);
  REQUIRE_MESSAGE(loaded.has_value(), loaded.error().describe());
  const config::KeeperConfig& c = *loaded;
  CHECK(c.chain.rpc_http == std::vector<std::string>{"http://127.0.0.1:37719"});
  CHECK(c.chain.rpc_ws == std::vector<std::string>{"ws://127.0.0.1:37719"});
  CHECK(c.chain.chain_id == 31337);
  REQUIRE(c.signer);
  CHECK(c.signer->private_key_env == "SLUICE_DEVNET_LIQUIDATOR_KEY");
  CHECK(c.signer->address == parse_address("0x30475Ca6Fd193384a0730E6D3eF3B0c805b9Fe50").value());
  REQUIRE(c.aave);
  CHECK(c.aave->pool == parse_address("0x94099942864EA81cCF197E9D71ac53310b1468D8").value());
  CHECK(c.aave->oracle == parse_address("0x09635F643e140090A9A8Dcd712eD6285858ceBef").value());
  CHECK(c.aave->start_block == 0);  // the devnet deploys from genesis
  REQUIRE(c.morpho);
  CHECK(c.morpho->markets.size() == 2);
  CHECK(c.morpho->start_block == 0);
  REQUIRE(c.tokens.size() == 2);
  CHECK(c.tokens[0].symbol == "WETH");
  CHECK(c.tokens[0].usd_feed == parse_address("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512").value());
  REQUIRE(c.uniswap_v2);
  REQUIRE(c.uniswap_v2->pools.size() == 1);
  CHECK(c.uniswap_v2->pools[0].name == "WETH/USDC");
  CHECK(c.journal_path == dir.path / "sluice-journal.sqlite");
}
