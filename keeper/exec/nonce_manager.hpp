#pragma once
/// The signer's nonces, managed by the keeper rather than asked of the node per transaction: one is reserved per
/// transaction just before signing; the manager is re-synchronised from the node's pending count and the journal
/// on start, after a "nonce too low" / "already known" error, and after a reorg. Pure (no I/O): the executor feeds
/// it what the node and the journal say.
///
/// Invariants: a nonce handed out is never handed out again for a different transaction unless `release` gave it
/// back (it was never broadcast and nothing above it was reserved); after `sync`, next() is at least the node's
/// pending count and above every nonce the journal holds (so a nonce journaled before a crash is never reused
/// for something else; such a transaction is re-broadcast or replaced with the same nonce instead).
#include <cstdint>
#include <optional>

namespace sluice::keeper {

class NonceManager {
 public:
  /// next = max(node_pending, journal_highest + 1, current next if `keep_ahead`).
  /// `node_pending`: eth_getTransactionCount(signer, "pending").
  void sync(std::uint64_t node_pending, std::optional<std::uint64_t> journal_highest, bool keep_ahead = true);
  /// The nonce the next reserve() returns.
  std::uint64_t next() const noexcept { return next_; }
  /// Reserves the next nonce.
  std::uint64_t reserve() noexcept { return next_++; }
  /// Gives back a reserved nonce that was never broadcast (dry run, signing refused, every endpoint rejected it
  /// as invalid). Only the most recently reserved nonce can come back; otherwise false (the gap must be filled,
  /// by the caller, with a cancel transaction at that nonce).
  bool release(std::uint64_t nonce) noexcept;
  /// Nonces below this are mined (the node's latest count): tracking of lower ones can end. The node's word is
  /// taken as is (a reorg may lower it); next() is raised to it if behind (someone else used the key), never lowered.
  std::uint64_t confirmed() const noexcept { return confirmed_; }
  void set_confirmed(std::uint64_t latest_count) noexcept;
  /// True once sync() has run: before that, reserve() hands out guesses.
  bool synced() const noexcept { return synced_; }

 private:
  std::uint64_t next_ = 0;
  std::uint64_t confirmed_ = 0;
  /// Nonces below this were not handed out by reserve() since the last sync: they cannot be released.
  std::uint64_t floor_ = 0;
  bool synced_ = false;
};

}  // namespace sluice::keeper
