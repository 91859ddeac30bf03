// End to end (issue 7, test (c)): kill -9 of `sluice run` during a burst of liquidations, then a restart on the
// same journal. A 30% WETH crash over 8 blocks (scripts/scenario in the background, paced so the keeper reacts
// every block) makes positions liquidatable block after block; once the keeper has sent its first
// transactions it is killed with SIGKILL (no chance to flush anything but what the journal committed), and
// started again at once. After the crash and two more blocks:
// - no nonce used twice for different transactions: every hash the keeper ever sent (both runs' --events) with
//   the same nonce is either the one mined at that nonce or one marked replaced/cancelled/dropped; the keeper's
//   mined transactions have consecutive nonces (no gap the restart skipped);
// - no position liquidated twice by us in the same state: never two of our liquidations of one position in one
//   block, and a mined transaction of ours reverts only as a race with the state of its block (the scenario's
//   next price step or swaps mined before it), never as a repeat of a liquidation already done: see below;
// - every journaled in-flight transaction ends final: after a clean stop the journal has no open transaction.
#include "chain/address.hpp"
#include "keeper/exec/journal.hpp"
#include "tests/integration/keeper_e2e.hpp"

#include <set>

using namespace sluice;
using namespace sluice::test;
using namespace sluice::test::e2e;

TEST_CASE("keeper run (c): kill -9 during a burst, restart: no nonce reused, no duplicate, all tracked to the end") {
  KeeperWorld world(300);
  world.set_automine(false);
  const std::string events = world.dev.dir() + "/events-c.jsonl";
  const std::uint64_t start = world.block_number();
  auto keeper = world.start_keeper({"--events", events}, "keeper-c1.log");

  BackgroundProcess scenario({Devnet::source() + "/scripts/scenario", "--dir", world.dev.dir(), "crash:WETH:-30:8",
                              "--pace-ms", "1200"},
                             world.dev.dir() + "/scenario-c.log");
  // Kill as soon as something was sent (mid-burst: the crash goes on for several more blocks).
  bool killed = false;
  for (int i = 0; i < 600 && !killed; ++i) {
    for (const auto& e : read_events(events))
      if (e.event == "sent") killed = true;
    if (!killed) sleep_ms(50);
  }
  REQUIRE_MESSAGE(killed, "nothing sent during the crash:\n" << keeper->log());
  keeper->signal(SIGKILL);
  REQUIRE(keeper->wait(5000) == 128 + SIGKILL);
  auto restarted = world.start_keeper({"--events", events}, "keeper-c2.log");

  REQUIRE(scenario.wait(180000).value_or(-1) == 0);
  const std::uint64_t last = world.block_number();
  for (std::uint64_t b = last; b < last + 2; ++b) {
    REQUIRE(world.wait_processed(*restarted, b, 30000));
    sleep_ms(500);
    world.mine();
  }
  REQUIRE(world.wait_processed(*restarted, last + 2, 30000));
  restarted->signal(SIGTERM);
  REQUIRE(restarted->wait(30000).value_or(-1) == 0);
  const std::uint64_t end = world.block_number();

  // Our mined transactions, by nonce, from the blocks of the run; the reverted ones are checked below.
  struct Reverted {
    std::string hash, to, input, gas;
    std::uint64_t block = 0;
    bool someone_else_before = false;  ///< a transaction not ours precedes it in its block
  };
  std::map<std::uint64_t, std::string> mined;  // nonce -> hash
  std::vector<Reverted> reverted;
  for (std::uint64_t b = start + 1; b <= end; ++b) {
    const std::string raw = world.rpc.call_raw("eth_getBlockByNumber", "[\"" + hex_quantity(b) + "\",true]");
    simdjson::dom::parser parser;
    simdjson::dom::element block = parser.parse(raw)["result"];
    bool others_so_far = false;
    for (simdjson::dom::element tx : block["transactions"].get_array()) {
      if (lower(std::string(std::string_view(tx["from"].get_string()))) != world.address) {
        others_so_far = true;
        continue;
      }
      const std::uint64_t nonce = std::stoull(std::string(std::string_view(tx["nonce"].get_string())), nullptr, 16);
      const std::string hash(std::string_view(tx["hash"].get_string()));
      CHECK_MESSAGE(!mined.contains(nonce), "nonce " << nonce << " mined twice");
      mined[nonce] = lower(hash);
      const std::string receipt = world.rpc.call_raw("eth_getTransactionReceipt", "[\"" + hash + "\"]");
      if (receipt.find("\"status\":\"0x1\"") == std::string::npos)
        reverted.push_back({lower(hash), std::string(std::string_view(tx["to"].get_string())),
                            std::string(std::string_view(tx["input"].get_string())),
                            std::string(std::string_view(tx["gas"].get_string())), b, others_so_far});
    }
  }
  // A transaction of ours may revert only as a race with the block it landed in, never as a mistake of the
  // keeper's: the scenario's own transactions of each block (the next step of the crash on the feeds, the market's
  // swaps) are mined before ours, and they can make a decision that was right on the state the keeper saw fail
  // (observed: Morpho liquidations repaying all the borrow shares at the old price underflow the borrower's
  // collateral once the feed has posted a lower one, Panic 0x11; swaps fail UniswapV2Router:
  // INSUFFICIENT_OUTPUT_AMOUNT after the market's swaps moved the pool). So each reverted transaction of ours must
  // (1) succeed when simulated on its parent block (the state the keeper decided on), (2) come after someone
  // else's transaction in its block (what changed the state), (3) not repeat a liquidation already done: no
  // liquidation of that position, by anyone, mined before it, and (4) be reported "reverted" by the keeper.
  const auto events_seen = read_events(events);
  const auto all_liquidations = liquidations_in(world.rpc, world.dev, start + 1, end);
  for (const Reverted& r : reverted) {
    const std::string trace =
        world.rpc.call_raw("debug_traceTransaction", "[\"" + r.hash + "\",{\"tracer\":\"callTracer\"}]");
    const auto reason_at = trace.find("\"revertReason\"");
    const std::string reason = reason_at == std::string::npos ? "?" : trace.substr(reason_at + 15, 60);
    std::string subject, kind;
    bool reported = false;
    for (const KeeperEvent& e : events_seen)
      if (lower(e.hash) == r.hash) {
        subject = lower(e.subject);
        kind = e.tx_kind;
        reported = reported || e.event == "reverted";
      }
    INFO("our transaction reverted: ", r.hash, " in block ", r.block, " (", kind, " ", subject, "): ", reason);
    const std::string simulated = world.rpc.call_raw(
        "eth_call", "[{\"from\":\"" + world.address + "\",\"to\":\"" + r.to + "\",\"gas\":\"" + r.gas +
                        "\",\"data\":\"" + r.input + "\"},\"" + hex_quantity(r.block - 1) + "\"]");
    CHECK_MESSAGE(simulated.find("\"error\"") == std::string::npos, "fails on its parent block too: " << simulated);
    CHECK(r.someone_else_before);
    CHECK(reported);
    for (const auto& l : all_liquidations)
      if (lower(subject_of(l)) == subject)
        CHECK_MESSAGE(l.block > r.block, "already liquidated in block " << l.block << " by " << l.liquidator);
  }
  MESSAGE(mined.size() << " transactions of ours mined, " << reverted.size()
                       << " reverted by a race with their block (each checked above)");
  REQUIRE_FALSE(mined.empty());
  std::uint64_t expected_nonce = mined.begin()->first;
  for (const auto& [nonce, hash] : mined) CHECK(nonce == expected_nonce++);  // no gap

  std::map<std::uint64_t, std::set<std::string>> sent_by_nonce;
  std::set<std::string> superseded;
  for (const KeeperEvent& e : read_events(events)) {
    if (e.event == "sent" || e.event == "replaced" || e.event == "dropped_resent")
      sent_by_nonce[e.nonce].insert(lower(e.hash));
    if (e.event == "replaced" || e.event == "cancelled") superseded.insert(lower(e.detail));
  }
  for (const auto& [nonce, hashes] : sent_by_nonce) {
    if (hashes.size() <= 1) continue;
    // Several transactions at one nonce only as replacements (fee bumps, cancels) of each other.
    INFO("nonce ", nonce);
    CHECK_MESSAGE(hashes.size() - 1 <= superseded.size(), "different transactions at one nonce without replacement");
  }

  std::map<std::pair<std::string, std::uint64_t>, int> per_block;
  for (const auto& l : liquidations_in(world.rpc, world.dev, start + 1, end)) {
    if (l.liquidator != world.address) continue;
    const std::pair<std::string, std::uint64_t> key(subject_of(l), l.block);
    CHECK_MESSAGE(++per_block[key] == 1, "liquidated twice by us in block " << l.block << ": " << key.first);
  }

  CHECK_MESSAGE(restarted->log().find("stopped: nothing in flight") != std::string::npos, restarted->log());
  auto journal = keeper::Journal::open(world.dev.dir() + "/sluice-journal.sqlite", 31337,
                                       parse_address(world.dev.at("/liquidator/address")).value());
  REQUIRE_MESSAGE(journal.has_value(), (journal ? "" : journal.error().message));
  auto open = (*journal)->open_transactions();
  REQUIRE(open.has_value());
  CHECK_MESSAGE(open->empty(), open->size() << " transaction(s) still open in the journal");
  for (const auto& tx : *open) MESSAGE("open: nonce " << tx.nonce << " " << tx.hash.hex() << " " << tx.subject);
}
