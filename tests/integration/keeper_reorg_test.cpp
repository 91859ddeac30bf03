// End to end (issue 7, test (f)): a reorg drops a block holding the keeper's liquidations. After a 15% WETH step
// the keeper's liquidations are mined in block S+1; anvil_reorg(1) replaces S+1 with a block without them. The
// keeper (its follower walks back, the removed logs re-read the touched accounts, its executor finds its
// transactions unknown to the node) re-evaluates each position and, as each is still liquidatable, sends the
// liquidation again: within two further blocks every position of the dropped block is liquidated by us on the
// canonical chain.
#include "tests/integration/keeper_e2e.hpp"

#include <set>

using namespace sluice;
using namespace sluice::test;
using namespace sluice::test::e2e;

TEST_CASE("keeper run (f): a liquidation dropped by a reorg is re-evaluated and sent again") {
  KeeperWorld world(300);
  world.set_automine(false);
  const std::string events = world.dev.dir() + "/events-f.jsonl";
  auto keeper = world.start_keeper({"--events", events}, "keeper-f.log");
  const ProcessResult s = world.dev.scenario({"step:WETH:-15", "--pace-ms", "1500"});
  REQUIRE_MESSAGE(s.exit_code == 0, s.err);
  const std::uint64_t step = world.block_number();

  REQUIRE(world.wait_processed(*keeper, step, 30000));
  sleep_ms(500);
  world.mine();
  std::set<std::string> dropped;
  for (const auto& l : liquidations_in(world.rpc, world.dev, step + 1, step + 1))
    if (l.liquidator == world.address) dropped.insert(subject_of(l));
  REQUIRE_MESSAGE(!dropped.empty(), "no liquidation of ours in block S+1:\n" << keeper->log());
  REQUIRE(world.wait_processed(*keeper, step + 1, 30000));

  // anvil_reorg(depth, transactions): the last `depth` blocks replaced by new ones holding only the given
  // transactions (none here).
  world.rpc.call_raw("anvil_reorg", "[1,[]]");
  REQUIRE(world.block_number() == step + 1);
  for (const auto& l : liquidations_in(world.rpc, world.dev, step + 1, step + 1))
    CHECK_MESSAGE(l.liquidator != world.address, "the reorg kept our liquidation " << l.tx);
  // A node may put the dropped transactions back in its pool; ours must not count on it. Clear it.
  world.rpc.call_raw("anvil_dropAllTransactions", "[]");

  std::set<std::string> again;
  for (std::uint64_t b = step + 2; b <= step + 4 && again.size() < dropped.size(); ++b) {
    world.mine();  // block b: the follower sees the new branch
    REQUIRE_MESSAGE(world.wait_processed(*keeper, b, 30000), keeper->log());
    sleep_ms(500);
    for (const auto& l : liquidations_in(world.rpc, world.dev, step + 2, b))
      if (l.liquidator == world.address) again.insert(subject_of(l));
  }
  world.mine();
  for (const auto& l : liquidations_in(world.rpc, world.dev, step + 2, world.block_number()))
    if (l.liquidator == world.address) again.insert(subject_of(l));
  for (const auto& subject : dropped) CHECK_MESSAGE(again.contains(subject), subject << " not liquidated again");

  bool resent = false;
  for (const KeeperEvent& e : read_events(events)) resent = resent || e.event == "dropped_resent";
  MESSAGE("dropped_resent event seen: " << resent);

  keeper->signal(SIGTERM);
  CHECK(keeper->wait(30000).value_or(-1) == 0);
}
