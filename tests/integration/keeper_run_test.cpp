// End to end: `sluice run` on a devnet (issue 7, tests (a) and (b)).
// (a) The keeper follows the devnet; scripts/scenario plays a 15% WETH step (the feeds post it in the step block S);
//     every position `sluice scan --block S` reports liquidatable is liquidated by the keeper's address within two
//     blocks (S+1, S+2: the test mines them after giving the keeper time), for exactly the amounts the book
//     predicts at S (the scan's best liquidation: Aave debtToCover and liquidatedCollateralAmount of the
//     LiquidationCall event, Morpho repaidAssets and seizedAssets of Liquidate), up to the interest the protocol
//     accrues over the one block between the decision and the inclusion (relative 1e-6, never less). Positions the keeper cannot take
//     are excepted only for the reason its journal gives (no inventory of the debt asset: the devnet's liquidator
//     holds USDC, DAI and WETH, no WBTC).
// (b) The same with --dry-run: the keeper's events report a would-be liquidation of exactly that set, and anvil's
//     transaction pool stays empty throughout (txpool_status polled while it runs).
// Mining is manual (automine off) so that blocks come only when the test says; scripts/scenario keeps it off.
#include "tests/integration/keeper_e2e.hpp"

#include <atomic>
#include <set>
#include <thread>

using namespace sluice;
using namespace sluice::test;
using namespace sluice::test::e2e;

namespace {

constexpr int kBorrowers = 300;

/// The step block: the last block the scenario journal records.
std::uint64_t last_scenario_block(const Devnet& dev) {
  std::ifstream in(dev.dir() + "/scenario.jsonl");
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  simdjson::dom::parser parser;
  return parser.parse(last)["block"].get_uint64().value();
}

/// The chain's amount against the book's at S: the liquidation is mined one block (12 s) later, when the protocol
/// has accrued that block's interest (the debt and, with it, the close factor's amount and the collateral it buys
/// only grow), so the chain's may exceed the prediction by at most 1e-6 (relative), never fall short of it.
bool within_one_block_of_interest(const U256& chain, const U256& predicted) {
  if (chain < predicted) return false;
  const double a = std::stod(chain.to_dec()), b = std::stod(predicted.to_dec());
  return a - b <= 1e-6 * b;
}

/// Positions the keeper could not take for want of the debt asset (its log names them "no_inventory").
bool skipped_for_inventory(const Predicted& p) { return p.debt == "WBTC"; }

}  // namespace

TEST_CASE("keeper run (a): every liquidatable position after a 15% WETH drop is liquidated by us within 2 blocks") {
  KeeperWorld world(kBorrowers);
  world.set_automine(false);
  const std::string events = world.dev.dir() + "/events-a.jsonl";
  auto keeper = world.start_keeper({"--events", events}, "keeper-a.log");

  const ProcessResult s = world.dev.scenario({"step:WETH:-15", "--pace-ms", "1500"});
  REQUIRE_MESSAGE(s.exit_code == 0, s.err);
  const std::uint64_t step = last_scenario_block(world.dev);
  const auto predicted = scan_liquidatable(world.config, step);
  REQUIRE_MESSAGE(predicted.size() >= 5, "the drop should make several positions liquidatable");

  // Two blocks, each mined once the keeper has reacted to the one before.
  for (std::uint64_t b = step; b < step + 2; ++b) {
    REQUIRE_MESSAGE(world.wait_processed(*keeper, b, 30000), "block " << b << " not processed:\n" << keeper->log());
    sleep_ms(500);  // the keeper's transactions reach the pool
    world.mine();
  }
  const auto chain = liquidations_in(world.rpc, world.dev, step + 1, step + 2);

  std::map<std::string, ChainLiquidation> ours;
  for (const auto& l : chain) {
    CHECK_MESSAGE(l.liquidator == world.address, "a liquidation by someone else: " << l.tx);
    CHECK_MESSAGE(!ours.contains(subject_of(l)), "liquidated twice: " << subject_of(l));
    ours[subject_of(l)] = l;
  }
  std::size_t taken = 0, excepted = 0;
  for (const auto& [subject, p] : predicted) {
    if (skipped_for_inventory(p)) {
      ++excepted;
      CHECK_FALSE(ours.contains(subject));
      continue;
    }
    ++taken;
    INFO(subject, " ", p.collateral, "/", p.debt);
    REQUIRE_MESSAGE(ours.contains(subject), "not liquidated within 2 blocks; keeper log:\n" << keeper->log());
    const ChainLiquidation& l = ours.at(subject);
    INFO("repaid ", l.debt_repaid.to_dec(), " predicted ", p.debt_repaid.to_dec(), "; seized ",
         l.collateral_seized.to_dec(), " predicted ", p.collateral_seized.to_dec());
    CHECK(within_one_block_of_interest(l.debt_repaid, p.debt_repaid));
    CHECK(within_one_block_of_interest(l.collateral_seized, p.collateral_seized));
  }
  CHECK(ours.size() == taken);  // nothing we did not predict
  MESSAGE(taken << " liquidated by the keeper, " << excepted << " without inventory of the debt asset");
  CHECK(taken > 0);

  keeper->signal(SIGTERM);
  const auto code = keeper->wait(20000);
  REQUIRE_MESSAGE(code.has_value(), "no exit after SIGTERM:\n" << keeper->log());
  CHECK(*code == 0);
}

TEST_CASE("keeper run (b): --dry-run reports the same set and the node's pool stays empty") {
  KeeperWorld world(kBorrowers);
  world.set_automine(false);
  const std::string events = world.dev.dir() + "/events-b.jsonl";
  auto keeper = world.start_keeper({"--dry-run", "--events", events}, "keeper-b.log");

  // The pool is watched from a thread for the whole run: any transaction from the keeper would show up there
  // (the scenario's own transactions are mined by it before it returns, so only between its blocks).
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> seen_from_keeper{0};
  std::thread watcher([&] {
    RpcClient rpc(world.dev.at("/rpc_http"));
    while (!done) {
      const std::string content = lower(rpc.call_raw("txpool_content", "[]"));
      if (content.find(world.address.substr(2)) != std::string::npos) ++seen_from_keeper;
      sleep_ms(20);
    }
  });

  const ProcessResult s = world.dev.scenario({"step:WETH:-15", "--pace-ms", "1500"});
  REQUIRE_MESSAGE(s.exit_code == 0, s.err);
  const std::uint64_t step = last_scenario_block(world.dev);
  const auto predicted = scan_liquidatable(world.config, step);
  REQUIRE(world.wait_processed(*keeper, step, 30000));
  sleep_ms(1000);
  for (int i = 0; i < 2; ++i) {
    world.mine();
    REQUIRE(world.wait_processed(*keeper, step + 1 + static_cast<std::uint64_t>(i), 30000));
  }
  done = true;
  watcher.join();
  CHECK(seen_from_keeper == 0);
  const auto [pending, queued] = world.txpool();
  CHECK(pending == 0);
  CHECK(queued == 0);
  CHECK(liquidations_in(world.rpc, world.dev, step + 1, step + 2).empty());

  std::set<std::string> would;
  for (const KeeperEvent& e : read_events(events)) {
    CHECK_MESSAGE(e.event != "sent", "a transaction was broadcast in --dry-run: " << e.hash);
    if (e.event == "would_send" && e.tx_kind == "liquidation") would.insert(lower(e.subject));
  }
  std::set<std::string> expected;
  for (const auto& [subject, p] : predicted)
    if (!skipped_for_inventory(p)) expected.insert(subject);
  CHECK(would == expected);

  keeper->signal(SIGTERM);
  const auto code = keeper->wait(20000);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
}
