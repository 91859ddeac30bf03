// End to end (issue 7, test (f)): a reorg drops a block holding the keeper's liquidations. After a 15% WETH step
// the keeper's liquidations are mined in block S+1; anvil_reorg(1) replaces S+1 with a block without them. The
// keeper (its follower walks back, the removed logs re-read the touched accounts, its executor finds its
// transactions unknown to the node) re-evaluates each position and, as each is still liquidatable, sends the
// liquidation again: within a few further blocks every position of the dropped block is liquidated by us on the
// canonical chain. (The executor's handling of a dropped transaction that depends on another dropped one:
// executor_reorg_test.cpp.)
#include "tests/integration/keeper_e2e.hpp"

#include <algorithm>
#include <set>

using namespace sluice;
using namespace sluice::test;
using namespace sluice::test::e2e;

namespace {

/// The subjects of our liquidations mined in blocks [from, to].
std::set<std::string> ours_in(KeeperWorld& world, std::uint64_t from, std::uint64_t to) {
  std::set<std::string> out;
  for (const auto& l : liquidations_in(world.rpc, world.dev, from, to))
    if (l.liquidator == world.address) out.insert(subject_of(l));
  return out;
}

/// Mines blocks `first`, `first` + 1, ... (at most `blocks`, fewer once all are back; then one more) and checks that
/// every subject of `dropped` is liquidated by us again in them.
void check_liquidated_again(KeeperWorld& world, BackgroundProcess& keeper, std::uint64_t first, int blocks,
                            const std::set<std::string>& dropped) {
  std::set<std::string> again;
  const auto all_back = [&] {
    return std::all_of(dropped.begin(), dropped.end(), [&](const std::string& d) { return again.contains(d); });
  };
  const std::uint64_t last = first + static_cast<std::uint64_t>(blocks) - 1;
  for (std::uint64_t b = first; b <= last && !all_back(); ++b) {
    world.mine();  // block b: the follower sees the new branch
    REQUIRE_MESSAGE(world.wait_processed(keeper, b, 30000), keeper.log());
    sleep_ms(500);
    again = ours_in(world, first, b);
  }
  world.mine();
  for (const auto& subject : ours_in(world, first, world.block_number())) again.insert(subject);
  for (const auto& subject : dropped)
    CHECK_MESSAGE(again.contains(subject), subject << " not liquidated again\n" << keeper.log());
}

}  // namespace

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
  const std::set<std::string> dropped = ours_in(world, step + 1, step + 1);
  REQUIRE_MESSAGE(!dropped.empty(), "no liquidation of ours in block S+1:\n" << keeper->log());
  REQUIRE(world.wait_processed(*keeper, step + 1, 30000));

  // anvil_reorg(depth, transactions): the last `depth` blocks replaced by new ones holding only the given
  // transactions (none here).
  world.rpc.call_raw("anvil_reorg", "[1,[]]");
  REQUIRE(world.block_number() == step + 1);
  CHECK_MESSAGE(ours_in(world, step + 1, step + 1).empty(), "the reorg kept a liquidation of ours");
  // A node may put the dropped transactions back in its pool; ours must not count on it. Clear it (the keeper may
  // have seen the new branch before or after: both are fine).
  world.rpc.call_raw("anvil_dropAllTransactions", "[]");
  // Up to 5 blocks: a transaction decided after another of ours that the reorg dropped waits for it (a block), and
  // one that reverts by a race inside its block (Morpho shares moved by our own liquidation ahead of it in the same
  // market, at the new branch's later time) is decided again at the next block.
  check_liquidated_again(world, *keeper, step + 2, 5, dropped);

  bool resent = false;
  for (const KeeperEvent& e : read_events(events)) resent = resent || e.event == "dropped_resent";
  CHECK(resent);

  keeper->signal(SIGTERM);
  CHECK(keeper->wait(30000).value_or(-1) == 0);
}
