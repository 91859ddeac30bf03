#include "keeper/exec/nonce_manager.hpp"

#include <doctest/doctest.h>

#include <limits>
#include <random>
#include <set>

using sluice::keeper::NonceManager;

TEST_CASE("nonce_manager: sync takes the node's pending count, the journal's highest + 1 and keeps ahead") {
  NonceManager n;
  CHECK_FALSE(n.synced());
  n.sync(5, std::nullopt);
  CHECK(n.synced());
  CHECK(n.next() == 5);
  n.sync(5, 9);  // a journaled nonce 9 (maybe never seen by the node) is never reused
  CHECK(n.next() == 10);
  n.sync(12, 9);
  CHECK(n.next() == 12);
  CHECK(n.reserve() == 12);
  CHECK(n.reserve() == 13);
  n.sync(12, 13);  // the node lags: keep ahead of what we handed out
  CHECK(n.next() == 14);
  n.sync(3, std::nullopt, /*keep_ahead=*/false);  // a reorg: back to what the node and journal say
  CHECK(n.next() == 3);
  n.sync(3, std::numeric_limits<std::uint64_t>::max(), false);  // saturates rather than wrapping to 0
  CHECK(n.next() == std::numeric_limits<std::uint64_t>::max());
}

TEST_CASE("nonce_manager: only the most recently reserved nonce can be released, and only nonces it handed out") {
  NonceManager n;
  n.sync(7, std::nullopt);
  CHECK_FALSE(n.release(6));  // came from the node, not from reserve
  const auto a = n.reserve();
  const auto b = n.reserve();
  CHECK(a == 7);
  CHECK(b == 8);
  CHECK_FALSE(n.release(a));  // b is above it: a gap would need a cancel
  CHECK(n.release(b));
  CHECK(n.next() == 8);
  CHECK_FALSE(n.release(b));  // not twice
  CHECK(n.release(a));
  CHECK(n.next() == 7);
  CHECK_FALSE(n.release(6));
  CHECK(n.reserve() == 7);
  n.sync(7, 7);  // after a sync the reserved 7 is the journal's: it cannot come back
  CHECK(n.next() == 8);
  CHECK_FALSE(n.release(7));
}

TEST_CASE("nonce_manager: set_confirmed raises next when the node has used more nonces, never lowers it") {
  NonceManager n;
  n.sync(2, std::nullopt);
  CHECK(n.reserve() == 2);
  n.set_confirmed(1);
  CHECK(n.confirmed() == 1);
  CHECK(n.next() == 3);
  n.set_confirmed(6);  // the key was used elsewhere
  CHECK(n.next() == 6);
  CHECK_FALSE(n.release(2));  // 2 is below what the node has mined
  n.set_confirmed(4);         // a reorg lowered the count: taken as is, next unchanged
  CHECK(n.confirmed() == 4);
  CHECK(n.next() == 6);
  n.sync(0, std::nullopt, false);  // never below the confirmed count
  CHECK(n.next() == 4);
}

TEST_CASE("nonce_manager: random operations never hand out a nonce twice without a release in between") {
  // Model: the set of nonces currently reserved and not released; a reserve must return a nonce outside it and
  // at or above every bound sync and set_confirmed gave.
  std::mt19937_64 rng(7);
  NonceManager n;
  std::set<std::uint64_t> outstanding;  // reserved, not released, not yet past a sync
  std::uint64_t journal_highest = 0;
  bool any = false;
  std::uint64_t node_pending = 0;
  for (int step = 0; step < 20000; ++step) {
    switch (rng() % 6) {
      case 0:
      case 1:
      case 2: {
        auto nonce = n.reserve();
        CHECK(outstanding.insert(nonce).second);
        CHECK(nonce >= n.confirmed());
        if (!any || nonce > journal_highest) journal_highest = nonce;
        any = true;
        break;
      }
      case 3:
        if (!outstanding.empty() && rng() % 2) {
          auto last = *outstanding.rbegin();
          if (n.release(last)) {
            outstanding.erase(last);
            if (outstanding.empty()) any = false;  // the model's journal only holds what was kept
            else journal_highest = *outstanding.rbegin();
          }
        } else if (!outstanding.empty()) {
          CHECK_FALSE(n.release(*outstanding.begin() - 1));
        }
        break;
      case 4: {
        node_pending = node_pending + rng() % 3;
        n.sync(node_pending, any ? std::optional(journal_highest) : std::nullopt, rng() % 2);
        CHECK(n.next() >= node_pending);
        if (any) CHECK(n.next() > journal_highest);
        break;
      }
      case 5:
        n.set_confirmed(node_pending);
        CHECK(n.next() >= n.confirmed());
        break;
    }
  }
}
