#pragma once
/// Classifies every on-chain liquidation against what Sluice decided (pure). The engine feeds it block by
/// block, in this order for each block b: `actual` for every LiquidationCall / Liquidate of b (they happened
/// during b), then `decided` for every decision at the end of b (`plan::plan_block` on the book at b). A
/// decision at b can therefore only capture events of b + 1 or later.
///
/// Streaks: an on-chain liquidation of a position ends that position's streak; decisions before it do not count
/// for the position's later events. Within a streak, the first taken decision whose simulation did not revert
/// captures the next event (lead = event block - decision block); a streak with no taken decision is a miss whose
/// reason is the last decision's skip reason ("not_seen" when the book never flagged it, "reverted_in_simulation"
/// when every taken decision reverted). Taken streaks no event ends are `sluice_only` rows at `finish`.
///
/// Edge cases (the choices):
/// - Every on-chain event ends its position's streak, whatever its class (not_followed and own included).
/// - An event for a position with no streak (never decided, or its streak ended by an earlier event, e.g. a second
///   liquidation of the same position in the same block) is missed, "not_seen": the state it ran on was never in
///   the book at the end of a block.
/// - Decisions at block b fed after the events of b belong to the next streak (they can only capture b + 1 on).
///   A taken decision at or after the event's block never captures it, even if fed out of order.
/// - A missed "reverted_in_simulation" row carries the last reverted simulation in `sluice` (for its revert reason);
///   `lead_blocks` stays empty.
/// - A taken decision fed without a simulation counts as not simulated, with its order's expected amounts.
/// - amounts_compared counts rows with `same_state` and a `sluice_at_event`; amounts_equal needs that simulation
///   not reverted and its repaid and seized equal to the event's.

#include "strategy/backtest/report.hpp"
#include "strategy/plan/planner.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace sluice::backtest {

class Matcher {
 public:
  /// `keeper`: the address the backtest simulates from (its own on-chain liquidations are not_applicable/"own").
  explicit Matcher(Address keeper) : keeper_(keeper) {}

  /// An on-chain liquidation; `followed`: the position is in what the config follows (else not_applicable,
  /// "not_followed"). `at_event`: Sluice's order for the position sized and simulated at event.block - 1, with
  /// `same_state` (see LiquidationRow).
  void actual(const ActualLiquidation& event, bool followed, std::optional<SimulatedLiquidation> at_event,
              bool same_state);

  /// One decision at the end of `block`; `simulation` for taken ones (nullptr for skipped ones).
  void decided(std::uint64_t block, const plan::Decision& decision, const SimulatedLiquidation* simulation);

  /// The rows (events by (block, log index), then Sluice-only rows by (decided block, position)) and the
  /// counts of the summary that come from rows (actual, captured, missed, n.a., sluice-only, capture rate,
  /// reasons, leads, amounts compared/equal). Call once, after the last block.
  std::vector<LiquidationRow> finish();

  /// Fills the row-derived fields of `summary` from `rows`.
  static void summarize(const std::vector<LiquidationRow>& rows, Summary& summary);

  /// Positions the backtest treats as having Sluice's liquidation pending or done (taken in their current streak,
  /// not reverted): the planner sees them as in flight until an on-chain event ends the streak. Sorted by
  /// (protocol, market, account).
  std::vector<book::PositionKey> taken_positions() const;

  /// Streaks opened so far: distinct (position, streak) pairs the planner decided on (Summary::opportunities).
  std::uint64_t opportunities() const noexcept { return opportunities_; }

 private:
  struct Streak {
    std::optional<SimulatedLiquidation> first_taken;  ///< first taken and not reverted
    std::optional<SimulatedLiquidation> reverted;     ///< last taken that reverted
    std::optional<plan::SkipReason> last_skip;
    std::uint64_t decisions = 0;
  };
  struct KeyLess {
    bool operator()(const book::PositionKey& a, const book::PositionKey& b) const noexcept;
  };
  Address keeper_;
  std::map<book::PositionKey, Streak, KeyLess> streaks_;
  std::vector<LiquidationRow> rows_;
  std::uint64_t opportunities_ = 0;
};

}  // namespace sluice::backtest
