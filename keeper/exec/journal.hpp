#pragma once
/// The keeper's journal: every decision and every transaction, in SQLite (WAL mode, synchronous=FULL for the
/// transaction table), so that after kill -9 a restart resumes tracking of in-flight transactions, never reuses a
/// nonce for a different transaction and never sends a liquidation twice.
///
/// Write-ahead rule (the executor keeps it): a transaction is inserted (status `signed`, with its raw bytes) and
/// committed BEFORE it is broadcast; so whatever the node may have received is in the journal, and on restart
/// it is re-broadcast (same bytes, same hash: harmless if already known) and tracked to its end.
/// The journal is bound to one chain id and one signer address (stored at creation; a mismatch is refused).
/// Private keys are never written (raw transactions carry only signatures).
#include "chain/address.hpp"
#include "chain/bytes.hpp"
#include "chain/hash.hpp"
#include "chain/u256.hpp"

#include <boost/system/result.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::keeper {

/// A journal failure: what was attempted and SQLite's message ("open /x/j.sqlite: unable to open database file").
struct JournalError {
  std::string message;
};
template <class T>
using JournalResult = boost::system::result<T, JournalError>;
[[noreturn]] void throw_exception_from_error(const JournalError& error, const boost::source_location& location);

enum class TxKind { liquidation = 1, approval, sale, cancel };
enum class TxStatus {
  signed_ = 1,  ///< journaled, maybe broadcast (unknown until the node answers): tracked
  sent,         ///< at least one endpoint accepted it: tracked
  included,     ///< mined with status 1 (final once deeper than the reorg window)
  reverted,     ///< mined with status 0
  replaced,     ///< another transaction with the same nonce (its `replaced_by`) superseded it
  dropped,      ///< the nonce was used by another transaction of ours that got mined, or the node lost it
  dry_run,      ///< signed in --dry-run; never broadcast, its nonce never counts
};
const char* tx_kind_name(TxKind kind) noexcept;
const char* tx_status_name(TxStatus status) noexcept;
/// Signed or sent: still needs tracking.
bool is_open(TxStatus status) noexcept;

struct TxRecord {
  std::int64_t id = 0;  ///< assigned by insert
  TxKind kind = TxKind::liquidation;
  std::uint64_t nonce = 0;
  Hash hash;
  Bytes raw;                ///< the signed raw transaction (EIP-2718 envelope)
  std::string subject;      ///< position key text for liquidations ("aave-v3:0x..", "morpho-blue:0x<market>:0x.."),
                            ///< token for approvals and sales, "" for cancels
  U256 max_fee_per_gas;     ///< wei per gas
  U256 max_priority_fee_per_gas;
  std::uint64_t gas_limit = 0;
  std::uint64_t decided_block = 0;
  double expected_profit_usd = 0.0;
  TxStatus status = TxStatus::signed_;
  std::optional<std::uint64_t> included_block;
  std::optional<Hash> replaced_by;
  std::string note;  ///< revert reason, why replaced or cancelled
};

/// One decision of the strategy (taken or skipped), for audits and the backtest's comparison.
struct DecisionRecord {
  std::uint64_t block = 0;
  std::string subject;  ///< position key text
  std::string outcome;  ///< "taken" or a plan::skip_reason_name
  std::string detail;
};

class Journal {
 public:
  /// Opens or creates the journal at `path` (WAL mode). A journal created for another chain id or signer address
  /// is refused with a message naming both.
  static JournalResult<std::unique_ptr<Journal>> open(const std::filesystem::path& path, std::uint64_t chain_id,
                                                       const Address& signer);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  JournalResult<void> record_decisions(const std::vector<DecisionRecord>& decisions);
  /// Inserts and commits (durable before the caller broadcasts). Returns the row id. A hash already journaled (other
  /// than as dry_run) is an error: re-broadcasting uses the existing row. Nonces, gas and blocks must fit in int64.
  JournalResult<std::int64_t> insert_tx(const TxRecord& tx);
  /// `block`: the inclusion block, for `included` and `reverted` (kept when not given); any other status clears it
  /// (a reorg that undid the inclusion). An empty `note` keeps the previous one. Unknown hash: an error.
  JournalResult<void> set_status(const Hash& hash, TxStatus status, std::optional<std::uint64_t> block = std::nullopt,
                                 std::string_view note = {});
  /// `old_hash` becomes `replaced`, pointing at `new_hash` (which must already be inserted).
  JournalResult<void> mark_replaced(const Hash& old_hash, const Hash& new_hash, std::string_view note);

  /// Transactions still to track (signed or sent), by nonce then id.
  JournalResult<std::vector<TxRecord>> open_transactions() const;
  /// All transactions with this nonce (not dry_run), oldest first.
  JournalResult<std::vector<TxRecord>> transactions_with_nonce(std::uint64_t nonce) const;
  JournalResult<std::optional<TxRecord>> find(const Hash& hash) const;
  /// Highest nonce of any non-dry-run transaction ever journaled.
  JournalResult<std::optional<std::uint64_t>> highest_nonce() const;
  /// True when a liquidation of `subject` is open, or was included at or after `since_block` (never send twice).
  JournalResult<bool> liquidation_active(std::string_view subject, std::uint64_t since_block) const;
  /// The seized collateral not sold yet, per token (the only tokens disposal sells; kept across restarts).
  /// set_for_sale writes one token's amount (autocommit; zero removes it from for_sale()).
  JournalResult<void> set_for_sale(const Address& token, const U256& amount);
  JournalResult<std::vector<std::pair<Address, U256>>> for_sale() const;
  /// Counts by status (reports, /health), by status.
  JournalResult<std::vector<std::pair<TxStatus, std::uint64_t>>> status_counts() const;
  /// SQLite's `PRAGMA integrity_check`: an error naming the first problems if the file is damaged.
  JournalResult<void> integrity_check() const;
  /// The schema version this build writes (table `schema_version`); a newer journal is refused at open.
  static constexpr int kSchemaVersion = 1;

 private:
  struct Impl;
  explicit Journal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::keeper
