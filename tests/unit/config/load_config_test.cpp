// The keeper config loader: a full valid file, config/mainnet.example.toml, and one test per error kind with the
// exact message (file, line, dotted key). The expected messages are the loader's documented formats
// (config/config_error.hpp, config/toml_reader.cpp); EIP-55 texts come from chain/address.cpp.

#include "config/load_config.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace sluice;
using namespace sluice::config;

namespace {

// Addresses: the real mainnet Aave v3 Pool and Morpho Blue (see config/mainnet.example.toml for the sources),
// the devnet's deterministic anvil deployments for the rest.
constexpr const char* kMinimal = R"(# a comment
[chain]
rpc_http = "http://127.0.0.1:8545"
chain_id = 31337

[aave]
pool = "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2"
pool_addresses_provider = "0x2f39d218133AFaB8F2B819B1066c7E434Ad94E9e"
start_block = 100
)";

std::string error_of(std::string_view text, const char* file = "k.toml") {
  auto r = parse_keeper_config(text, file);
  REQUIRE_FALSE(r.has_value());
  return r.error().describe();
}

Address addr(std::string_view text) { return parse_address(text).value(); }

}  // namespace

TEST_CASE("config: a minimal file loads with the documented defaults") {
  auto r = parse_keeper_config(kMinimal, "/etc/sluice/k.toml");
  REQUIRE_MESSAGE(r.has_value(), r.error().describe());
  const KeeperConfig& c = *r;
  CHECK(c.chain.rpc_http == std::vector<std::string>{"http://127.0.0.1:8545"});
  CHECK(c.chain.rpc_ws.empty());
  CHECK(c.chain.chain_id == 31337);
  REQUIRE(c.aave);
  CHECK(c.aave->pool == addr("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2"));
  CHECK_FALSE(c.aave->oracle);
  CHECK(c.aave->start_block == 100);
  CHECK_FALSE(c.morpho);
  CHECK_FALSE(c.signer);
  CHECK(c.tokens.empty());
  CHECK(c.strategy.min_profit_usd == 10.0);
  CHECK(c.strategy.max_price_impact_bps == 100);
  CHECK(c.strategy.max_in_flight == 4);
  CHECK(c.strategy.dispose == DisposeMode::throttled);  // the default
  CHECK(c.journal_path == std::filesystem::path("/etc/sluice/sluice-journal.sqlite"));
  CHECK(c.metrics_address == "127.0.0.1:9464");
  CHECK(c.log_format == LogFormat::text);
  CHECK(c.log_level == LogLevel::info);
}

TEST_CASE("config: a full file loads every section") {
  const std::string text = R"([chain]
rpc_http = ["https://a.example/v2/KEY", "http://127.0.0.1:8545"]
rpc_ws = "wss://a.example/ws"
chain_id = 1

[signer]
keystore = "keys/k.json"
password_file = "/run/secrets/pw"
address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

[aave]
pool = "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2"
pool_addresses_provider = "0x2f39d218133AFaB8F2B819B1066c7E434Ad94E9e"
oracle = "0x54586bE62E3c3580375aE3723C145253060Ca0C2"
data_provider = "0x0a16f2FCC0D44FaE41cc54e079281D84A363bECD"
start_block = 16291127

[morpho]
morpho = "0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb"
markets = ["0xceedfe348d852a2f253851d53f9c9a498449993928c98a33f8b29f5e5ab396c3"]
start_block = 18883124

[tokens]
WETH = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"

[feeds]
WETH = "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"

[uniswap_v2]
factory = "0x5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6f"
router = "0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D"
pools = { "WETH/USDC" = "0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc" }

[strategy]
min_profit_usd = 25
max_collateral_sold_usd_per_block = 1e6
max_price_impact_bps = 50
max_in_flight = 8
priority_fee_gwei = 2.5
max_fee_share_of_profit = 0.25
dispose = "immediate"

[journal]
path = "data/j.sqlite"

[metrics]
address = "0.0.0.0:9100"

[log]
format = "json"
level = "debug"
)";
  auto r = parse_keeper_config(text, "/srv/k.toml");
  REQUIRE_MESSAGE(r.has_value(), r.error().describe());
  const KeeperConfig& c = *r;
  CHECK(c.chain.rpc_http.size() == 2);
  CHECK(c.chain.rpc_ws == std::vector<std::string>{"wss://a.example/ws"});
  REQUIRE(c.signer);
  CHECK_FALSE(c.signer->private_key_env);
  CHECK(c.signer->keystore == std::filesystem::path("/srv/keys/k.json"));
  CHECK(c.signer->password_file == std::filesystem::path("/run/secrets/pw"));
  CHECK(c.signer->address == addr("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
  REQUIRE(c.aave);
  CHECK(c.aave->oracle == addr("0x54586bE62E3c3580375aE3723C145253060Ca0C2"));
  REQUIRE(c.aave->data_provider);
  REQUIRE(c.morpho);
  REQUIRE(c.morpho->markets.size() == 1);
  CHECK(c.morpho->markets[0].hex() == "0xceedfe348d852a2f253851d53f9c9a498449993928c98a33f8b29f5e5ab396c3");
  CHECK(c.morpho->start_block == 18883124);
  REQUIRE(c.tokens.size() == 2);
  CHECK(c.tokens[0].symbol == "WETH");  // file order
  CHECK(c.tokens[0].usd_feed == addr("0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"));
  CHECK(c.tokens[1].symbol == "USDC");
  CHECK_FALSE(c.tokens[1].usd_feed);
  REQUIRE(c.token("USDC"));
  CHECK(c.token("DAI") == nullptr);
  REQUIRE(c.uniswap_v2);
  REQUIRE(c.uniswap_v2->pools.size() == 1);
  CHECK(c.uniswap_v2->pools[0].name == "WETH/USDC");
  CHECK(c.strategy.min_profit_usd == 25.0);
  CHECK(c.strategy.max_collateral_sold_usd_per_block == 1e6);
  CHECK(c.strategy.max_price_impact_bps == 50);
  CHECK(c.strategy.max_in_flight == 8);
  CHECK(c.strategy.priority_fee_gwei == 2.5);
  CHECK(c.strategy.max_fee_share_of_profit == 0.25);
  CHECK(c.strategy.dispose == DisposeMode::immediate);
  CHECK(c.journal_path == std::filesystem::path("/srv/data/j.sqlite"));
  CHECK(c.metrics_address == "0.0.0.0:9100");
  CHECK(c.log_format == LogFormat::json);
  CHECK(c.log_level == LogLevel::debug);
}

TEST_CASE("config: config/mainnet.example.toml loads") {
  const std::filesystem::path path = std::filesystem::path(SLUICE_SOURCE_DIR) / "config/mainnet.example.toml";
  auto r = load_keeper_config(path);
  REQUIRE_MESSAGE(r.has_value(), r.error().describe());
  CHECK(r->chain.chain_id == 1);
  REQUIRE(r->aave);
  CHECK(r->aave->pool == addr("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2"));
  CHECK(r->aave->pool_addresses_provider == addr("0x2f39d218133AFaB8F2B819B1066c7E434Ad94E9e"));
  CHECK(r->aave->oracle == addr("0x54586bE62E3c3580375aE3723C145253060Ca0C2"));
  REQUIRE(r->morpho);
  CHECK(r->morpho->morpho == addr("0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb"));
  CHECK(r->morpho->markets.empty());
  REQUIRE(r->signer);
  CHECK(r->signer->private_key_env == "SLUICE_PRIVATE_KEY");
  CHECK(r->tokens.size() == 4);
  for (const auto& t : r->tokens) CHECK_MESSAGE(t.usd_feed.has_value(), t.symbol);
}

TEST_CASE("config: syntax errors name file and line") {
  CHECK(error_of("[chain]\nrpc_http = \"x\nchain_id = 1\n") ==
        "k.toml:2: TOML syntax: Error while parsing string: unescaped control characters other than TAB (U+0009) are "
        "explicitly prohibited");
}

TEST_CASE("config: an unknown key is an error naming the known ones") {
  CHECK(error_of("[chain]\nrpc_http = \"http://a\"\nchainid = 1\n") ==
        "k.toml:3: chain.chainid: unknown key (expected one of: rpc_http, rpc_ws, chain_id)");
  CHECK(error_of(std::string(kMinimal) + "[strategie]\n") ==
        "k.toml:10: strategie: unknown key (expected one of: chain, signer, aave, morpho, tokens, feeds, uniswap_v2, "
        "strategy, journal, metrics, log, backtest)");
}

TEST_CASE("config: a wrong type is an error") {
  CHECK(error_of("[chain]\nrpc_http = \"http://a\"\nchain_id = \"1\"\n") ==
        "k.toml:3: chain.chain_id: expected an integer, got a string");
  CHECK(error_of("[chain]\nrpc_http = 5\nchain_id = 1\n") ==
        "k.toml:2: chain.rpc_http: expected a string or an array of strings, got an integer");
  CHECK(error_of("[chain]\nrpc_http = [\"http://a\",\n  7]\nchain_id = 1\n") ==
        "k.toml:3: chain.rpc_http: expected an array of strings, got an integer in it");
  CHECK(error_of("chain = 3\n") == "k.toml:1: chain: expected a table, got an integer");
  CHECK(error_of(std::string(kMinimal) + "[strategy]\nmin_profit_usd = \"ten\"\n") ==
        "k.toml:11: strategy.min_profit_usd: expected a number, got a string");
  CHECK(error_of(std::string(kMinimal) + "[log]\nlevel = \"verbose\"\n") ==
        "k.toml:11: log.level: 'verbose': expected one of \"trace\", \"debug\", \"info\", \"warn\", \"error\"");
  CHECK(error_of(std::string(kMinimal) + "[strategy]\ndispose = \"sell\"\n") ==
        "k.toml:11: strategy.dispose: 'sell': expected one of \"throttled\", \"immediate\", \"keep\"");
}

TEST_CASE("config: a missing required value names the key and its table's line") {
  CHECK(error_of("[chain]\nrpc_http = \"http://a\"\n") == "k.toml:1: chain.chain_id: missing required value");
  CHECK(error_of("[chain]\nrpc_http = \"http://a\"\nchain_id = 1\n\n[morpho]\nstart_block = 1\n") ==
        "k.toml:5: morpho.morpho: missing required value");
  CHECK(error_of("# nothing\n") == "k.toml:1: chain: missing required value");
  CHECK(error_of("[chain]\nrpc_http = \"http://a\"\nchain_id = 1\n") ==
        "k.toml:1: aave: missing required value: configure [aave] or [morpho] (or both)");
}

TEST_CASE("config: bad addresses, including EIP-55 checksum errors") {
  std::string text = kMinimal;
  // Last letter's case flipped: 0x...4fA4E2 -> 0x...4fA4e2 (no longer the EIP-55 checksum).
  text.replace(text.find("4fA4E2"), 6, "4fA4e2");
  CHECK(error_of(text) ==
        "k.toml:7: aave.pool: '0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4e2': address has an invalid EIP-55 checksum");
  text = kMinimal;
  text.replace(text.find("4fA4E2"), 6, "4fA4");
  CHECK(error_of(text) == "k.toml:7: aave.pool: '0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4': address must be 40 "
                          "hex digits");
  CHECK(error_of(std::string(kMinimal) + "[tokens]\nWETH = \"0xzz\"\n") ==
        "k.toml:11: tokens.WETH: '0xzz': address must be 40 hex digits");
}

TEST_CASE("config: values out of range") {
  CHECK(error_of("[chain]\nrpc_http = \"http://a\"\nchain_id = -1\n") ==
        "k.toml:3: chain.chain_id: expected a non-negative integer, got -1");
  CHECK(error_of("[chain]\nrpc_http = \"http://a\"\nchain_id = 0\n") ==
        "k.toml:3: chain.chain_id: expected a positive chain id, got 0");
  CHECK(error_of("[chain]\nrpc_http = \"ws://h/KEY\"\nchain_id = 1\n") ==
        "k.toml:2: chain.rpc_http: 'ws://h': expected an http:// or https:// URL");
  CHECK(error_of(std::string(kMinimal) + "[strategy]\nmax_price_impact_bps = 20000\n") ==
        "k.toml:11: strategy.max_price_impact_bps: expected at most 10000 (100%), got 20000");
  CHECK(error_of(std::string(kMinimal) + "[metrics]\naddress = \"localhost\"\n") ==
        "k.toml:11: metrics.address: 'localhost': expected host:port");
  CHECK(error_of(std::string(kMinimal) + "[morpho]\nmorpho = \"0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb\"\n"
                                         "start_block = 1\nmarkets = [\"0x12\"]\n") ==
        "k.toml:13: morpho.markets: '0x12': expected 0x and 64 hex digits");
}

TEST_CASE("config: feeds and pools must name configured tokens") {
  CHECK(error_of(std::string(kMinimal) + "[feeds]\nWETH = \"0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419\"\n") ==
        "k.toml:11: feeds.WETH: no token WETH in [tokens]");
  CHECK(error_of(std::string(kMinimal) +
                 "[tokens]\nWETH = \"0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\"\n[uniswap_v2]\n"
                 "factory = \"0x5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6f\"\n"
                 "router = \"0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D\"\n"
                 "pools = { \"WETH/DAI\" = \"0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc\" }\n") ==
        "k.toml:15: uniswap_v2.pools.\"WETH/DAI\": expected a pair named BASE/QUOTE by two symbols of [tokens]");
}

TEST_CASE("config: the signer never takes a key, and needs exactly one source") {
  const std::string key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";  // anvil dev key 0
  std::string e = error_of(std::string(kMinimal) + "[signer]\nprivate_key = \"" + key + "\"\n");
  CHECK(e ==
        "k.toml:11: signer.private_key: a private key never goes in the config file: name an environment variable "
        "with private_key_env, or use keystore and password_file");
  e = error_of(std::string(kMinimal) + "[signer]\nprivate_key_env = \"" + key + "\"\n");
  CHECK(e == "k.toml:11: signer.private_key_env: expected the name of an environment variable "
             "([A-Za-z_][A-Za-z0-9_]*)");
  CHECK(e.find("ac0974") == std::string::npos);
  CHECK(error_of(std::string(kMinimal) + "[signer]\naddress = \"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\"\n") ==
        "k.toml:10: signer.private_key_env: missing required value (or keystore with password_file)");
  CHECK(error_of(std::string(kMinimal) + "[signer]\nprivate_key_env = \"K\"\nkeystore = \"k.json\"\n") ==
        "k.toml:12: signer.keystore: give either private_key_env or keystore, not both");
  CHECK(error_of(std::string(kMinimal) + "[signer]\nkeystore = \"k.json\"\n") ==
        "k.toml:10: signer.password_file: missing required value (keystore needs it)");
  CHECK(error_of(std::string(kMinimal) + "[signer]\nprivate_key_env = \"K\"\npassword_file = \"p\"\n") ==
        "k.toml:12: signer.password_file: only valid with keystore");
}

TEST_CASE("config: an unreadable file is an error naming it") {
  auto r = load_keeper_config("/nonexistent/sluice.toml");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().describe() == "/nonexistent/sluice.toml: cannot read: no such file");
  CHECK_THROWS_AS((void)r.value(), ConfigException);
}
