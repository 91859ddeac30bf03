// The backtest matcher (strategy/backtest/matcher.hpp) on hand-built streaks: the engine's feeding order is, per
// block b, `actual` for b's on-chain events, then `decided` for the decisions at the end of b. Every expected
// value below is worked out by hand from the header's rules.

#include "strategy/backtest/matcher.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::backtest;

namespace {

Address addr(std::uint8_t tag, std::uint8_t n) {
  Address a;
  a.bytes[0] = tag;
  a.bytes[19] = n;
  return a;
}

const Address kKeeper = addr(0xEE, 1);
const Address kRival = addr(0xCC, 2);

book::PositionKey aave_key(std::uint8_t n) { return {Protocol::aave_v3, addr(0x10, n), {}}; }

book::PositionKey morpho_key(std::uint8_t n) {
  book::PositionKey k{Protocol::morpho_blue, addr(0x20, n), {}};
  k.market.bytes[31] = 7;
  return k;
}

plan::Decision skipped(const book::PositionKey& key, plan::SkipReason why) {
  plan::Decision d;
  d.key = key;
  d.skip = why;
  return d;
}

plan::Decision taken(const book::PositionKey& key) {
  plan::Decision d;
  d.key = key;
  d.order.expected_debt_repaid = U256{500};
  d.order.expected_collateral_seized = U256{600};
  return d;
}

SimulatedLiquidation sim(std::uint64_t block, const book::PositionKey& key, bool reverted = false) {
  SimulatedLiquidation s;
  s.decided_block = block;
  s.key = key;
  s.simulated = true;
  s.reverted = reverted;
  if (reverted) s.revert_reason = "Aave 45 HEALTH_FACTOR_NOT_BELOW_THRESHOLD";
  s.debt_repaid = reverted ? U256{} : U256{1000};
  s.collateral_seized = reverted ? U256{} : U256{1050};
  return s;
}

ActualLiquidation event(std::uint64_t block, const book::PositionKey& key, std::uint32_t log_index = 0,
                        const Address& liquidator = kRival) {
  ActualLiquidation e;
  e.block = block;
  e.log_index = log_index;
  e.key = key;
  e.liquidator = liquidator;
  e.debt_repaid = U256{1000};
  e.collateral_seized = U256{1050};
  return e;
}

void decide_taken(Matcher& m, std::uint64_t block, const book::PositionKey& key, bool reverted = false) {
  const auto s = sim(block, key, reverted);
  m.decided(block, taken(key), &s);
}

}  // namespace

TEST_CASE("backtest: outcome names") {
  CHECK(std::string(outcome_name(Outcome::captured)) == "captured");
  CHECK(std::string(outcome_name(Outcome::missed)) == "missed");
  CHECK(std::string(outcome_name(Outcome::not_applicable)) == "not_applicable");
  CHECK(std::string(outcome_name(Outcome::sluice_only)) == "sluice_only");
}

TEST_CASE("backtest matcher: captured with lead 2, by the first taken decision of the streak") {
  Matcher m(kKeeper);
  m.decided(9, skipped(aave_key(1), plan::SkipReason::unprofitable), nullptr);
  decide_taken(m, 10, aave_key(1));
  m.decided(11, skipped(aave_key(1), plan::SkipReason::in_flight), nullptr);  // pending: the planner skips it
  m.actual(event(12, aave_key(1)), true, std::nullopt, false);
  const auto rows = m.finish();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].outcome == Outcome::captured);
  CHECK(rows[0].reason.empty());
  REQUIRE(rows[0].sluice);
  CHECK(rows[0].sluice->decided_block == 10);
  CHECK(rows[0].lead_blocks == 12 - 10);
  REQUIRE(rows[0].actual);
  CHECK(rows[0].actual->block == 12);
}

TEST_CASE("backtest matcher: missed reasons are the streak's last skip") {
  Matcher m(kKeeper);
  // Unprofitable throughout.
  m.decided(10, skipped(aave_key(1), plan::SkipReason::unprofitable), nullptr);
  m.decided(11, skipped(aave_key(1), plan::SkipReason::unprofitable), nullptr);
  // Unprofitable, then throttled: the last reason counts.
  m.decided(10, skipped(aave_key(2), plan::SkipReason::unprofitable), nullptr);
  m.decided(11, skipped(aave_key(2), plan::SkipReason::max_in_flight), nullptr);
  m.actual(event(12, aave_key(1), 0), true, std::nullopt, false);
  m.actual(event(12, aave_key(2), 1), true, std::nullopt, false);
  // Never decided on: not seen.
  m.actual(event(12, aave_key(3), 2), true, std::nullopt, false);
  const auto rows = m.finish();
  REQUIRE(rows.size() == 3);
  for (const auto& r : rows) {
    CHECK(r.outcome == Outcome::missed);
    CHECK_FALSE(r.lead_blocks);
    CHECK_FALSE(r.sluice);
  }
  CHECK(rows[0].reason == "unprofitable");
  CHECK(rows[1].reason == "max_in_flight");
  CHECK(rows[2].reason == "not_seen");
}

TEST_CASE("backtest matcher: reverted in simulation wins over the cooldown that followed") {
  Matcher m(kKeeper);
  decide_taken(m, 10, aave_key(1), /*reverted=*/true);
  m.decided(11, skipped(aave_key(1), plan::SkipReason::cooling_down), nullptr);
  CHECK(m.taken_positions().empty());  // a reverted decision is not pending
  m.actual(event(12, aave_key(1)), true, std::nullopt, false);
  const auto rows = m.finish();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].outcome == Outcome::missed);
  CHECK(rows[0].reason == "reverted_in_simulation");
  REQUIRE(rows[0].sluice);  // the reverted simulation, for its reason
  CHECK(rows[0].sluice->reverted);
  CHECK(rows[0].sluice->revert_reason == "Aave 45 HEALTH_FACTOR_NOT_BELOW_THRESHOLD");
  CHECK_FALSE(rows[0].lead_blocks);
}

TEST_CASE("backtest matcher: a reverted decision then a good one captures with the good one's lead") {
  Matcher m(kKeeper);
  decide_taken(m, 10, aave_key(1), true);
  decide_taken(m, 11, aave_key(1));
  m.actual(event(14, aave_key(1)), true, std::nullopt, false);
  const auto rows = m.finish();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].outcome == Outcome::captured);
  CHECK(rows[0].lead_blocks == 3);
  CHECK_FALSE(rows[0].sluice->reverted);
}

TEST_CASE("backtest matcher: own and not followed liquidations are not applicable and end the streak") {
  Matcher m(kKeeper);
  decide_taken(m, 10, aave_key(1));
  decide_taken(m, 10, morpho_key(1));
  m.actual(event(11, aave_key(1), 0, kKeeper), true, std::nullopt, false);
  m.actual(event(11, morpho_key(1), 1), false, std::nullopt, false);
  m.actual(event(11, morpho_key(2), 2, kKeeper), false, std::nullopt, false);  // not followed comes first
  CHECK(m.taken_positions().empty());
  const auto rows = m.finish();
  REQUIRE(rows.size() == 3);  // no sluice_only rows: both streaks ended
  CHECK(rows[0].outcome == Outcome::not_applicable);
  CHECK(rows[0].reason == "own");
  CHECK(rows[1].outcome == Outcome::not_applicable);
  CHECK(rows[1].reason == "not_followed");
  CHECK(rows[2].reason == "not_followed");
  for (const auto& r : rows) CHECK_FALSE(r.sluice);
}

TEST_CASE("backtest matcher: sluice-only rows for taken streaks no event ended, after the events") {
  Matcher m(kKeeper);
  decide_taken(m, 12, aave_key(2));
  decide_taken(m, 10, morpho_key(1));
  decide_taken(m, 10, aave_key(5));
  decide_taken(m, 11, aave_key(5));  // same streak: the first (10) counts
  decide_taken(m, 10, aave_key(3), true);  // reverted only: no row
  m.decided(10, skipped(aave_key(4), plan::SkipReason::unprofitable), nullptr);  // never taken: no row
  decide_taken(m, 10, aave_key(6));
  m.actual(event(13, aave_key(6)), true, std::nullopt, false);
  const auto taken = m.taken_positions();
  REQUIRE(taken.size() == 3);  // sorted by (protocol, market, account): Aave first
  CHECK(taken[0] == aave_key(2));
  CHECK(taken[1] == aave_key(5));
  CHECK(taken[2] == morpho_key(1));
  CHECK(m.opportunities() == 6);
  const auto rows = m.finish();
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].outcome == Outcome::captured);
  CHECK(rows[0].lead_blocks == 3);
  // Then by (decided block, position): aave_key(5)@10, morpho_key(1)@10, aave_key(2)@12.
  CHECK(rows[1].outcome == Outcome::sluice_only);
  CHECK(rows[1].sluice->key == aave_key(5));
  CHECK(rows[1].sluice->decided_block == 10);
  CHECK(rows[2].sluice->key == morpho_key(1));
  CHECK(rows[3].sluice->key == aave_key(2));
  CHECK(rows[3].sluice->decided_block == 12);
  for (std::size_t i = 1; i < 4; ++i) {
    CHECK_FALSE(rows[i].actual);
    CHECK_FALSE(rows[i].lead_blocks);
  }
}

TEST_CASE("backtest matcher: an event resets the streak; same-block events and decisions") {
  Matcher m(kKeeper);
  decide_taken(m, 10, aave_key(1));
  m.actual(event(12, aave_key(1), 3), true, std::nullopt, false);  // captured by 10
  m.actual(event(12, aave_key(1), 5), true, std::nullopt, false);  // same block, after the first: nothing left
  // Decided at the end of 12, after 12's events: the next streak.
  m.decided(12, skipped(aave_key(1), plan::SkipReason::unprofitable), nullptr);
  m.actual(event(14, aave_key(1), 0), true, std::nullopt, false);  // not captured by 10's decision
  decide_taken(m, 14, aave_key(1));
  m.actual(event(15, aave_key(1), 0), true, std::nullopt, false);  // captured by 14, lead 1
  const auto rows = m.finish();
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].outcome == Outcome::captured);
  CHECK(rows[0].lead_blocks == 2);
  CHECK(rows[1].outcome == Outcome::missed);
  CHECK(rows[1].reason == "not_seen");
  CHECK(rows[2].outcome == Outcome::missed);
  CHECK(rows[2].reason == "unprofitable");
  CHECK(rows[3].outcome == Outcome::captured);
  CHECK(rows[3].lead_blocks == 1);
  CHECK(rows[3].sluice->decided_block == 14);
}

TEST_CASE("backtest matcher: a taken decision at the event's own block never captures it") {
  // Out of the documented order (decided before actual for the same block): the decision at 12 is the state after
  // 12, so its transaction could only land in 13.
  Matcher m(kKeeper);
  decide_taken(m, 12, aave_key(1));
  m.actual(event(12, aave_key(1)), true, std::nullopt, false);
  const auto rows = m.finish();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].outcome == Outcome::missed);
  CHECK(rows[0].reason == "not_seen");
}

TEST_CASE("backtest matcher: a taken decision without a simulation counts with its order's amounts") {
  Matcher m(kKeeper);
  m.decided(10, taken(aave_key(1)), nullptr);
  const auto rows = m.finish();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].outcome == Outcome::sluice_only);
  CHECK_FALSE(rows[0].sluice->simulated);
  CHECK(rows[0].sluice->debt_repaid == U256{500});
  CHECK(rows[0].sluice->collateral_seized == U256{600});
}

TEST_CASE("backtest matcher: amounts compared at the event's state") {
  Matcher m(kKeeper);
  m.actual(event(12, aave_key(1), 0), true, sim(11, aave_key(1)), true);  // 1000 / 1050 both sides
  auto off = sim(11, aave_key(2));
  off.collateral_seized = U256{1049};
  m.actual(event(12, aave_key(2), 1), true, off, true);
  m.actual(event(12, aave_key(3), 2), true, sim(11, aave_key(3)), false);  // other state: not compared
  m.actual(event(12, aave_key(4), 3), true, sim(11, aave_key(4), true), true);  // reverted: compared, not equal
  const auto rows = m.finish();
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].amounts_equal);
  CHECK_FALSE(rows[1].amounts_equal);
  CHECK_FALSE(rows[2].amounts_equal);
  CHECK_FALSE(rows[3].amounts_equal);
  Summary s;
  Matcher::summarize(rows, s);
  CHECK(s.amounts_compared == 3);
  CHECK(s.amounts_equal == 1);
}

TEST_CASE("backtest matcher: rows sorted by (block, log index)") {
  Matcher m(kKeeper);
  m.actual(event(13, aave_key(1), 0), true, std::nullopt, false);
  m.actual(event(12, aave_key(2), 7), true, std::nullopt, false);
  m.actual(event(12, aave_key(3), 2), true, std::nullopt, false);
  const auto rows = m.finish();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].actual->key == aave_key(3));
  CHECK(rows[1].actual->key == aave_key(2));
  CHECK(rows[2].actual->key == aave_key(1));
}

TEST_CASE("backtest matcher: summarize counts, capture rate and leads") {
  Matcher m(kKeeper);
  // Captured with leads 5, 1, 3, 2 (by key 1..4), missed twice unprofitable and once not seen, one own, one
  // sluice-only.
  const std::uint64_t leads[] = {5, 1, 3, 2};
  for (std::uint8_t i = 0; i < 4; ++i) decide_taken(m, 100 - leads[i], aave_key(i + 1));
  m.decided(98, skipped(aave_key(5), plan::SkipReason::unprofitable), nullptr);
  m.decided(98, skipped(aave_key(6), plan::SkipReason::unprofitable), nullptr);
  decide_taken(m, 98, aave_key(7));
  decide_taken(m, 97, aave_key(9));
  for (std::uint8_t i = 0; i < 4; ++i) m.actual(event(100, aave_key(i + 1), i), true, std::nullopt, false);
  m.actual(event(100, aave_key(5), 4), true, std::nullopt, false);
  m.actual(event(100, aave_key(6), 5), true, std::nullopt, false);
  m.actual(event(100, aave_key(8), 6), true, std::nullopt, false);
  m.actual(event(100, aave_key(7), 7, kKeeper), true, std::nullopt, false);
  const auto rows = m.finish();
  REQUIRE(rows.size() == 9);
  Summary s;
  s.missed_by_reason["stale"] = 9;  // overwritten, not added to
  Matcher::summarize(rows, s);
  CHECK(s.actual_liquidations == 8);
  CHECK(s.captured == 4);
  CHECK(s.missed == 3);
  CHECK(s.not_applicable == 1);
  CHECK(s.sluice_only == 1);
  CHECK(s.capture_rate == doctest::Approx(4.0 / 7.0));
  CHECK(s.missed_by_reason == std::map<std::string, std::uint64_t>{{"not_seen", 1}, {"unprofitable", 2}});
  // Leads {1, 2, 3, 5}: lower median 2.
  CHECK(s.lead_min == 1);
  CHECK(s.lead_median == 2);
  CHECK(s.lead_max == 5);
  CHECK(s.amounts_compared == 0);

  // Odd count {1, 3, 5}: median 3.
  std::vector<LiquidationRow> odd;
  for (std::int64_t lead : {5, 1, 3}) {
    LiquidationRow r;
    r.outcome = Outcome::captured;
    r.actual = event(10, aave_key(1));
    r.lead_blocks = lead;
    odd.push_back(r);
  }
  Matcher::summarize(odd, s);
  CHECK(s.lead_median == 3);
  CHECK(s.missed_by_reason.empty());
  CHECK(s.capture_rate == doctest::Approx(1.0));
}

TEST_CASE("backtest matcher: summarize with no rows") {
  Summary s;
  s.lead_min = 4;
  s.capture_rate = 0.5;
  Matcher::summarize({}, s);
  CHECK(s.actual_liquidations == 0);
  CHECK(s.capture_rate == 0.0);
  CHECK_FALSE(s.lead_min);
  CHECK_FALSE(s.lead_median);
  CHECK_FALSE(s.lead_max);
}
