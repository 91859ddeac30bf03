// End to end (issue 7, test (g)): throttled against immediate disposal of seized collateral in a market-coupled
// crash. Two identical devnets (same borrowers and seed) play the same 25% WETH crash over 10 blocks with feeds
// that follow the WETH/USDC pool (--market-coupled: the keeper's own sales move the oracle); one keeper runs with
// [strategy] dispose = "throttled", the other with "immediate". Throttled ends with less price impact on the pool
// (a higher WETH/USDC price once the crash and two more blocks are over); each run's summary states the bad debt
// (realised and left), and the difference is reported: what throttling cost in bad debt, if anything.
#include "tests/integration/keeper_e2e.hpp"

#include <regex>
#include <sstream>

using namespace sluice;
using namespace sluice::test;
using namespace sluice::test::e2e;

namespace {

struct Outcome {
  double pool_price = 0.0;  ///< WETH/USDC after the run
  double bad_debt_realised = 0.0, bad_debt_left = 0.0;
  std::string summary;
};

/// WETH/USDC price from the pair's reserves (getReserves 0x0902f1ac; token0 0x0dfe1681).
double weth_usdc_price(KeeperWorld& w) {
  const std::string pair = w.dev.at("/uniswap_v2/pairs/WETH~1USDC");
  const std::string reserves = w.rpc.call("eth_call", R"([{"to":")" + pair + R"(","data":"0x0902f1ac"},"latest"])");
  const std::string token0 = w.rpc.call("eth_call", R"([{"to":")" + pair + R"(","data":"0x0dfe1681"},"latest"])");
  const double r0 = std::stod(U256::from_hex("0x" + reserves.substr(2, 64)).value().to_dec());
  const double r1 = std::stod(U256::from_hex("0x" + reserves.substr(66, 64)).value().to_dec());
  const bool weth0 = lower("0x" + token0.substr(26)) == lower(w.dev.at("/tokens/WETH"));
  // WETH 18 decimals, USDC 6 (the devnet's tokens).
  return weth0 ? (r1 / 1e6) / (r0 / 1e18) : (r0 / 1e6) / (r1 / 1e18);
}

Outcome run(const char* dispose) {
  KeeperWorld world(300, std::string("min_profit_usd = 0\nmax_in_flight = 200\ndispose = \"") + dispose + "\"\n");
  world.set_automine(false);
  auto keeper = world.start_keeper({}, std::string("keeper-g-") + dispose + ".log");
  const ProcessResult s = world.dev.scenario({"crash:WETH:-25:10", "--market-coupled", "--pace-ms", "1200"});
  REQUIRE_MESSAGE(s.exit_code == 0, s.err);
  const std::uint64_t last_block = world.block_number();
  for (std::uint64_t b = last_block; b < last_block + 2; ++b) {
    REQUIRE(world.wait_processed(*keeper, b, 30000));
    sleep_ms(500);
    world.mine();
  }
  REQUIRE(world.wait_processed(*keeper, last_block + 2, 30000));
  keeper->signal(SIGTERM);
  REQUIRE(keeper->wait(30000).value_or(-1) == 0);
  Outcome o;
  o.pool_price = weth_usdc_price(world);
  const std::string log = keeper->log();
  const auto at = log.find("summary:");
  REQUIRE_MESSAGE(at != std::string::npos, log);
  o.summary = log.substr(at);
  std::smatch m;
  REQUIRE(std::regex_search(o.summary, m, std::regex(R"(\$([0-9.]+) realised during the run \(Morpho\); \$([0-9.]+) left)")));
  o.bad_debt_realised = std::stod(m[1]);
  o.bad_debt_left = std::stod(m[2]);
  CHECK(o.summary.find(" included (expected profit") != std::string::npos);
  return o;
}

}  // namespace

TEST_CASE("keeper run (g): throttled disposal moves the pool less than immediate; the bad debt it cost is reported") {
  const Outcome throttled = run("throttled");
  const Outcome immediate = run("immediate");
  MESSAGE("WETH/USDC after the crash: throttled " << throttled.pool_price << ", immediate " << immediate.pool_price);
  MESSAGE("throttled:\n" << throttled.summary << "immediate:\n" << immediate.summary);
  CHECK(throttled.pool_price > immediate.pool_price);
  const double cost = (throttled.bad_debt_realised + throttled.bad_debt_left) -
                      (immediate.bad_debt_realised + immediate.bad_debt_left);
  // Built as one string first: streamed piecewise into MESSAGE, the ternary's const char* printed as a pointer.
  std::ostringstream cost_text;
  cost_text << "bad debt throttling cost: $" << std::max(cost, 0.0) << (cost > 0 ? "" : " (none)");
  const std::string cost_line = cost_text.str();
  MESSAGE(cost_line);
}
