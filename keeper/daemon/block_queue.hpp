#pragma once
/// The watcher's queue between the block follower and the strategy: it never drops a head or a log. When the
/// strategy is busy, the blocks that arrive meanwhile wait here and are taken together as one batch: every log in
/// delivery order (removed ones of a reorg included), every head, and one decision at the newest head.
/// Pure (no I/O, no clock: the caller passes arrival times).

#include "chain/rpc/block_follower.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace sluice::keeper {

using SteadyTime = std::chrono::steady_clock::time_point;

/// Blocks waiting together: the strategy applies all `logs`, refreshes and decides once at `newest()`.
struct BlockBatch {
  std::vector<rpc::BlockHeader> heads;  ///< in delivery order (after a reorg a number may come twice)
  std::vector<rpc::Log> logs;           ///< in delivery order
  SteadyTime received{};                ///< when the newest head arrived (stage latencies start here)
  SteadyTime first_received{};          ///< when the oldest head of the batch arrived
  const rpc::BlockHeader& newest() const { return heads.back(); }
};

class BlockQueue {
 public:
  /// A follower item, in the follower's order. A log belongs with the head delivered before it; logs delivered
  /// before any head (removed logs of a reorg after a batch was taken) wait for the next head.
  void push(const rpc::FollowerItem& item, SteadyTime now);
  /// True when at least one head waits.
  bool ready() const noexcept { return !heads_.empty(); }
  /// Everything waiting as one batch (nullopt when no head waits; logs without a head stay).
  std::optional<BlockBatch> take();

  std::size_t waiting_heads() const noexcept { return heads_.size(); }
  /// Heads taken in a batch behind a newer one (decided only at the newer one): coalescing count.
  std::uint64_t coalesced() const noexcept { return coalesced_; }

 private:
  std::vector<rpc::BlockHeader> heads_;
  std::vector<rpc::Log> logs_;
  SteadyTime first_{};
  SteadyTime last_{};
  std::uint64_t coalesced_ = 0;
};

}  // namespace sluice::keeper
