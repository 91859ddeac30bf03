// Integration: `scripts/devnet up` builds a world (Node + ethers, independent of Sluice's chain library) that
// Sluice's ABI code and a plain JSON-RPC client read back: every manifest address has code, Aave's reserve list
// and Morpho's markets match the manifest, and every borrower's on-chain health factor is where the seed put it
// (within the seeded spread). Then `down` stops anvil.

#include "chain/abi.hpp"
#include "chain/address.hpp"
#include "chain/keccak.hpp"
#include "chain/private_key.hpp"
#include "chain/u256.hpp"
#include "tests/support/anvil.hpp"
#include "tests/support/process.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace sluice;
using namespace sluice::test;

namespace {

constexpr int kBorrowers = 60;
// The seeded spread of target health factors (scripts/devnet.d/borrowers.js, hfSpread): [1.005, 4.0].
constexpr double kMinHf = 1.005;
constexpr double kMaxHf = 4.0;
// Interest accrues between seeding and this check, and debt amounts are rounded down: allow 0.1%.
constexpr double kTolerance = 1e-3;

U256 wad() { return U256::from_dec("1000000000000000000").value(); }
/// Morpho's ORACLE_PRICE_SCALE (ConstantsLib.sol).
U256 price_scale() { return wad() * wad(); }

std::string devnet_script() { return std::string(SLUICE_SOURCE_DIR) + "/scripts/devnet"; }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A temp dir holding a running world; `down` on destruction so no anvil outlives the test.
struct World {
  std::filesystem::path dir;
  ProcessResult up;

  World() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sluice-devnet-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
    up = run_process({devnet_script(), "up", "--borrowers", std::to_string(kBorrowers), "--seed", "7", "--port",
                      std::to_string(free_port()), "--dir", dir.string()});
  }
  ~World() {
    run_process({devnet_script(), "down", "--dir", dir.string()});
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

/// eth_call of `signature` (with outputs) on `to`, decoded with Sluice's ABI code.
std::vector<abi::Value> call(RpcClient& rpc, const Address& to, const std::string& signature,
                             const std::vector<abi::Value>& args = {}) {
  const abi::Function f = abi::Function::parse(signature).value();
  const Bytes data = abi::encode_call(f, args).value();
  const std::string result =
      rpc.call("eth_call", R"([{"to":")" + to.hex() + R"(","data":")" + to_hex(data) + R"("},"latest"])");
  auto decoded = abi::decode_output(f, from_hex(result).value());
  REQUIRE_MESSAGE(decoded.has_value(), signature << " returned " << result);
  return decoded.value();
}

std::string_view sv(simdjson::dom::element e) { return std::string_view(e); }
const U256& as_u256(const abi::Value& v) { return *v.get_if<U256>(); }
const Address& as_address(const abi::Value& v) { return *v.get_if<Address>(); }
Address address(std::string_view text) { return parse_address(text).value(); }
double to_double(const U256& wad) { return std::stod(wad.to_dec()) / 1e18; }

bool has_code(RpcClient& rpc, const Address& a) {
  return rpc.call("eth_getCode", R"([")" + a.hex() + R"(","latest"])") != "0x";
}

}  // namespace

TEST_CASE("integration: scripts/devnet up builds the world the manifest describes; down stops it") {
  World world;
  REQUIRE_MESSAGE(world.up.exit_code == 0, world.up.err);
  const std::filesystem::path manifest_path = world.dir / "manifest.json";
  CHECK(world.up.out == manifest_path.string() + "\n");
  REQUIRE(std::filesystem::exists(world.dir / "sluice.toml"));
  REQUIRE(std::filesystem::exists(world.dir / "anvil.pid"));
  const int pid = std::stoi(read_file(world.dir / "anvil.pid"));

  simdjson::dom::parser parser;
  simdjson::dom::parser plan_parser;
  const simdjson::dom::element m = parser.parse(read_file(manifest_path));
  const simdjson::dom::element plan = plan_parser.parse(read_file(world.dir / "borrowers.json"));
  RpcClient rpc{std::string(sv(m["rpc_http"]))};
  CHECK(rpc.call("eth_chainId", "[]") == "0x7a69");
  CHECK(int64_t(m["chain_id"]) == 31337);
  CHECK(U256::from_hex(rpc.call("eth_blockNumber", "[]")).value() == U256{uint64_t(int64_t(m["start_block"]))});

  // Every contract the manifest names has code.
  std::vector<std::string_view> contracts;
  const auto aave = m["aave"];
  for (const char* key : {"pool_addresses_provider", "pool", "oracle", "data_provider"}) contracts.push_back(aave[key]);
  for (auto [symbol, r] : simdjson::dom::object(aave["reserves"])) {
    for (const char* key : {"asset", "feed", "a_token", "variable_debt_token"}) contracts.push_back(r[key]);
  }
  contracts.push_back(m["morpho"]["morpho"]);
  for (auto market : m["morpho"]["markets"]) {
    for (const char* key : {"loan_token", "collateral_token", "oracle", "irm"}) contracts.push_back(market[key]);
  }
  contracts.push_back(m["uniswap_v2"]["factory"]);
  contracts.push_back(m["uniswap_v2"]["router"]);
  for (auto [name, pair] : simdjson::dom::object(m["uniswap_v2"]["pairs"])) contracts.push_back(pair);
  for (auto [symbol, token] : simdjson::dom::object(m["tokens"])) contracts.push_back(token);
  for (auto [symbol, feed] : simdjson::dom::object(m["feeds"])) contracts.push_back(feed);
  CHECK(contracts.size() == 4 + 4 * 4 + 1 + 3 * 4 + 2 + 3 + 4 + 4);
  for (std::string_view c : contracts) {
    CAPTURE(c);
    CHECK(has_code(rpc, address(c)));
  }

  // The liquidator: its key (checked with Sluice's own key code) controls its address; funded with ETH and
  // stablecoins.
  const Address liquidator = address(sv(m["liquidator"]["address"]));
  CHECK(address_of(PrivateKey::from_hex(sv(m["liquidator"]["private_key"])).value()) == liquidator);
  CHECK(U256::from_hex(rpc.call("eth_getBalance", R"([")" + liquidator.hex() + R"(","latest"])")).value() >
        wad());
  for (const char* symbol : {"USDC", "DAI"}) {
    CHECK(as_u256(call(rpc, address(sv(m["tokens"][symbol])), "balanceOf(address)(uint256)",
                       {liquidator})[0]) > U256{0});
  }

  // Aave: the Pool's reserve list is the manifest's assets; tokens and oracle sources agree.
  const Address pool = address(sv(aave["pool"]));
  CHECK(as_address(call(rpc, address(sv(aave["pool_addresses_provider"])), "getPool()(address)")[0]) ==
        pool);
  const auto list = *call(rpc, pool, "getReservesList()(address[])")[0].get_if<abi::Value::List>();
  std::set<Address> listed;
  for (const auto& a : list) listed.insert(as_address(a));
  std::set<Address> expected_reserves;
  for (auto [symbol, r] : simdjson::dom::object(aave["reserves"])) {
    CAPTURE(std::string_view(symbol));
    const Address asset = address(sv(r["asset"]));
    expected_reserves.insert(asset);
    CHECK(asset == address(sv(m["tokens"][symbol])));
    CHECK(address(sv(r["feed"])) == address(sv(m["feeds"][symbol])));
    const auto tokens = call(rpc, address(sv(aave["data_provider"])),
                             "getReserveTokensAddresses(address)(address,address,address)", {asset});
    CHECK(as_address(tokens[0]) == address(sv(r["a_token"])));
    CHECK(as_address(tokens[2]) == address(sv(r["variable_debt_token"])));
    CHECK(as_address(call(rpc, address(sv(aave["oracle"])), "getSourceOfAsset(address)(address)",
                          {asset})[0]) == address(sv(r["feed"])));
    CHECK(as_u256(call(rpc, asset, "decimals()(uint8)")[0]) == U256{uint64_t(int64_t(r["decimals"]))});
  }
  CHECK(list.size() == 4);
  CHECK(listed == expected_reserves);

  // Morpho: market(id) exists and idToMarketParams(id) is the manifest's; the id is keccak256(abi.encode(params)).
  const Address morpho = address(sv(m["morpho"]["morpho"]));
  std::vector<std::string> market_ids;
  for (auto market : m["morpho"]["markets"]) {
    const Hash id = Hash::from_hex(sv(market["id"])).value();
    market_ids.emplace_back(sv(market["id"]));
    const auto p = call(rpc, morpho, "idToMarketParams(bytes32)(address,address,address,address,uint256)",
                        {Bytes(id.bytes.begin(), id.bytes.end())});
    CHECK(as_address(p[0]) == address(sv(market["loan_token"])));
    CHECK(as_address(p[1]) == address(sv(market["collateral_token"])));
    CHECK(as_address(p[2]) == address(sv(market["oracle"])));
    CHECK(as_address(p[3]) == address(sv(market["irm"])));
    CHECK(as_u256(p[4]) == U256::from_dec(sv(market["lltv"])).value());
    std::vector<abi::Type> param_types = {abi::Type::address(), abi::Type::address(), abi::Type::address(),
                                          abi::Type::address(), abi::Type::uint()};
    CHECK(keccak256(abi::encode(param_types, p).value()) == id);
    const auto state = call(rpc, morpho, "market(bytes32)(uint128,uint128,uint128,uint128,uint128,uint128)",
                            {Bytes(id.bytes.begin(), id.bytes.end())});
    CHECK(as_u256(state[4]) > U256{0});  // lastUpdate: the market was created
    CHECK(as_u256(state[2]) > U256{0});  // someone borrows there
  }
  std::set<std::string> lltvs;
  for (auto market : m["morpho"]["markets"]) lltvs.insert(std::string(sv(market["lltv"])));
  CHECK(lltvs == std::set<std::string>{"860000000000000000", "915000000000000000"});

  // Borrowers: distinct EOAs (no code left), each with a real position whose health factor is its seeded target.
  const auto borrowers = simdjson::dom::array(m["borrowers"]);
  REQUIRE(borrowers.size() == kBorrowers);
  REQUIRE(simdjson::dom::array(plan).size() == kBorrowers);
  std::set<Address> distinct;
  std::map<std::string, int> kinds;
  double lowest = 10;
  std::size_t index = 0;
  for (auto b : plan) {
    const Address who = address(sv(b["address"]));
    CHECK(who == address(sv(borrowers.at(index++))));
    distinct.insert(who);
    CHECK_FALSE(has_code(rpc, who));
    const double target = double(b["target_hf"]);
    CHECK(target >= kMinHf);
    CHECK(target <= kMaxHf);
    const std::string_view protocol = b["protocol"];
    double hf = 0;
    if (protocol == "aave") {
      const auto data = call(rpc, pool, "getUserAccountData(address)(uint256,uint256,uint256,uint256,uint256,uint256)",
                             {who});
      CHECK(as_u256(data[1]) > U256{0});  // totalDebtBase
      hf = to_double(as_u256(data[5]));
      const bool emode = bool(b["emode"]);
      CHECK(as_u256(call(rpc, pool, "getUserEMode(address)(uint256)", {who})[0]) == U256{emode ? 1u : 0u});
      ++kinds[emode ? "aave-emode" : "aave"];
    } else {
      // Morpho's health: maxBorrow = collateral * price / 1e36 * lltv; borrowed = shares to assets, rounded up.
      auto market = m["morpho"]["markets"].at(uint64_t(b["market"]));
      const Hash id_hash = Hash::from_hex(sv(market["id"])).value();
      const abi::Value id = Bytes(id_hash.bytes.begin(), id_hash.bytes.end());
      const auto position = call(rpc, morpho, "position(bytes32,address)(uint256,uint128,uint128)", {id, who});
      const auto state = call(rpc, morpho, "market(bytes32)(uint128,uint128,uint128,uint128,uint128,uint128)", {id});
      const U256 price = as_u256(call(rpc, address(sv(market["oracle"])), "price()(uint256)")[0]);
      const U256 lltv = U256::from_dec(sv(market["lltv"])).value();
      const U256 borrowed = *mul_div_up(as_u256(position[1]), as_u256(state[2]) + U256{1},
                                        as_u256(state[3]) + U256{1'000'000});
      const U256 max_borrow = *mul_div_down(*mul_div_down(as_u256(position[2]), price, price_scale()), lltv,
                                            wad());
      REQUIRE(borrowed > U256{0});
      hf = to_double(*mul_div_down(max_borrow, wad(), borrowed));
      ++kinds["morpho"];
    }
    CAPTURE(to_checksum(who));
    CAPTURE(target);
    CHECK(hf >= 1.0);
    CHECK(hf <= kMaxHf * (1 + kTolerance));
    CHECK(std::abs(hf - target) <= target * kTolerance);
    lowest = std::min(lowest, hf);
  }
  CHECK(distinct.size() == kBorrowers);
  CHECK(kinds["aave"] > 0);
  CHECK(kinds["aave-emode"] > 0);
  CHECK(kinds["morpho"] > 0);
  CHECK(lowest < 1.05);  // the tail close to 1 is there

  // status sees it; down stops it.
  CHECK(run_process({devnet_script(), "status", "--dir", world.dir.string()}).exit_code == 0);
  CHECK(run_process({devnet_script(), "down", "--dir", world.dir.string()}).exit_code == 0);
  CHECK(kill(pid, 0) != 0);
  CHECK(run_process({devnet_script(), "status", "--dir", world.dir.string()}).exit_code == 1);
}

TEST_CASE("integration: scripts/devnet rejects unknown commands and options") {
  CHECK(run_process({devnet_script(), "sideways"}).exit_code == 2);
  CHECK(run_process({devnet_script(), "up", "--borrowers", "many"}).exit_code == 2);
  CHECK(run_process({devnet_script(), "up", "--borrowers", "100001"}).exit_code == 2);
  CHECK(run_process({devnet_script(), "down", "--seed", "1"}).exit_code == 2);
}
