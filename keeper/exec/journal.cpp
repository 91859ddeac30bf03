#include "keeper/exec/journal.hpp"

#include "chain/address.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

#include <limits>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace sluice::keeper {

void throw_exception_from_error(const JournalError& error, const boost::source_location&) {
  throw std::runtime_error(error.message);
}

const char* tx_kind_name(TxKind kind) noexcept {
  switch (kind) {
    case TxKind::liquidation: return "liquidation";
    case TxKind::approval: return "approval";
    case TxKind::sale: return "sale";
    case TxKind::cancel: return "cancel";
  }
  return "unknown";
}

const char* tx_status_name(TxStatus status) noexcept {
  switch (status) {
    case TxStatus::signed_: return "signed";
    case TxStatus::sent: return "sent";
    case TxStatus::included: return "included";
    case TxStatus::reverted: return "reverted";
    case TxStatus::replaced: return "replaced";
    case TxStatus::dropped: return "dropped";
    case TxStatus::dry_run: return "dry_run";
  }
  return "unknown";
}

bool is_open(TxStatus status) noexcept { return status == TxStatus::signed_ || status == TxStatus::sent; }

namespace {

// Statuses as stored (the enum values): the SQL below spells them as numbers, so they are pinned here.
static_assert(static_cast<int>(TxStatus::signed_) == 1 && static_cast<int>(TxStatus::sent) == 2 &&
              static_cast<int>(TxStatus::included) == 3 && static_cast<int>(TxStatus::reverted) == 4 &&
              static_cast<int>(TxStatus::dry_run) == 7 && static_cast<int>(TxKind::liquidation) == 1);

// One transaction per statement group; every write is inside BEGIN IMMEDIATE ... COMMIT so that a crash leaves
// either all of it or none (SQLite's WAL guarantees the rest). Amounts in wei are decimal text (exact and readable
// with the sqlite3 shell); hashes and raw bytes are blobs.
constexpr const char* kSchema = R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE binding (
  chain_id INTEGER NOT NULL,
  signer TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE transactions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind INTEGER NOT NULL,
  nonce INTEGER NOT NULL CHECK (nonce >= 0),
  hash BLOB NOT NULL CHECK (length(hash) = 32),
  raw BLOB NOT NULL,
  subject TEXT NOT NULL,
  max_fee_per_gas TEXT NOT NULL,
  max_priority_fee_per_gas TEXT NOT NULL,
  gas_limit INTEGER NOT NULL,
  decided_block INTEGER NOT NULL,
  expected_profit_usd REAL NOT NULL,
  status INTEGER NOT NULL,
  included_block INTEGER,
  replaced_by BLOB CHECK (replaced_by IS NULL OR length(replaced_by) = 32),
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- A dry-run transaction may be signed again with identical bytes; every other hash is journaled once.
CREATE UNIQUE INDEX transactions_hash ON transactions (hash) WHERE status <> 7;
CREATE INDEX transactions_nonce ON transactions (nonce);
CREATE INDEX transactions_open ON transactions (status) WHERE status IN (1, 2);
CREATE INDEX transactions_subject ON transactions (subject, kind);
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  block INTEGER NOT NULL,
  subject TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX decisions_block ON decisions (block);
)sql";

constexpr const char* kTxColumns =
    "id, kind, nonce, hash, raw, subject, max_fee_per_gas, max_priority_fee_per_gas, gas_limit, decided_block, "
    "expected_profit_usd, status, included_block, replaced_by, note";

/// A prepared statement, reset after each use.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }
  sqlite3_stmt*& slot() noexcept { return stmt_; }
  sqlite3_stmt* get() const noexcept { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

/// Resets and clears bindings when a use of a statement ends, whatever the outcome.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {}
  ~StatementUse() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  sqlite3_stmt* operator*() const noexcept { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

std::optional<std::int64_t> to_int64(std::uint64_t v) noexcept {
  if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

}  // namespace

struct Journal::Impl {
  sqlite3* db = nullptr;
  std::string path;
  mutable std::mutex mutex;
  Statement begin, commit, rollback, sync_full, sync_normal;
  Statement insert_tx, insert_decision, set_status, mark_replaced, exists_hash;
  Statement open_txs, with_nonce, find, highest_nonce, liquidation_active, status_counts;
  Statement put_for_sale, get_for_sale;

  ~Impl() {
    // Statements must be finalized before the connection closes: destroy them first by hand.
    for (Statement* s : {&begin, &commit, &rollback, &sync_full, &sync_normal, &insert_tx, &insert_decision,
                         &set_status, &mark_replaced, &exists_hash, &open_txs, &with_nonce, &find, &highest_nonce,
                         &liquidation_active, &status_counts}) {
      sqlite3_finalize(s->slot());
      s->slot() = nullptr;
    }
    sqlite3_close_v2(db);
  }

  JournalError error(std::string_view what) const {
    return {fmt::format("journal {}: {}: {}", path, what, db ? sqlite3_errmsg(db) : "out of memory")};
  }
  JournalError error_text(std::string_view what) const { return {fmt::format("journal {}: {}", path, what)}; }

  JournalResult<void> exec(const char* sql, std::string_view what) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      JournalError e{fmt::format("journal {}: {}: {}", path, what, message ? message : sqlite3_errmsg(db))};
      sqlite3_free(message);
      return e;
    }
    return {};
  }

  JournalResult<void> prepare(Statement& stmt, const std::string& sql) {
    if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()) + 1, SQLITE_PREPARE_PERSISTENT,
                           &stmt.slot(), nullptr) != SQLITE_OK)
      return error("prepare");
    return {};
  }

  /// Runs a statement that returns no rows.
  JournalResult<void> run(const Statement& stmt, std::string_view what) {
    StatementUse use(stmt.get());
    if (sqlite3_step(*use) != SQLITE_DONE) return error(what);
    return {};
  }

  /// BEGIN IMMEDIATE, `body`, COMMIT; ROLLBACK if `body` or COMMIT fails.
  template <class F>
  auto transaction(std::string_view what, F&& body) -> decltype(body()) {
    if (auto r = run(begin, what); !r) return r.error();
    auto result = body();
    if (result) {
      if (auto r = run(commit, what); r) return result;
      else result = r.error();
    }
    (void)run(rollback, what);
    return result;
  }

  static void bind_text(sqlite3_stmt* s, int i, std::string_view text) {
    // A null pointer would bind NULL: an empty view (possibly null) binds the empty string.
    sqlite3_bind_text(s, i, text.empty() ? "" : text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  static void bind_blob(sqlite3_stmt* s, int i, ByteView bytes) {
    // A zero-length blob still binds as a blob (not NULL) when the pointer is non-null.
    static const std::uint8_t kEmpty = 0;
    sqlite3_bind_blob(s, i, bytes.empty() ? &kEmpty : bytes.data(), static_cast<int>(bytes.size()),
                      SQLITE_TRANSIENT);
  }

  JournalResult<TxRecord> read_tx(sqlite3_stmt* s) const {
    TxRecord tx;
    tx.id = sqlite3_column_int64(s, 0);
    tx.kind = static_cast<TxKind>(sqlite3_column_int(s, 1));
    tx.nonce = static_cast<std::uint64_t>(sqlite3_column_int64(s, 2));
    auto blob = [&](int col) {
      const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s, col));
      return ByteView{p, static_cast<std::size_t>(sqlite3_column_bytes(s, col))};
    };
    auto text = [&](int col) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
      return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
    };
    auto hash = Hash::from_view(blob(3));
    if (!hash) return error_text(fmt::format("transaction {}: hash is not 32 bytes", tx.id));
    tx.hash = *hash;
    ByteView raw = blob(4);
    tx.raw.assign(raw.begin(), raw.end());
    tx.subject = text(5);
    auto max_fee = U256::from_dec(text(6));
    auto priority = U256::from_dec(text(7));
    if (!max_fee || !priority) return error_text(fmt::format("transaction {}: fee is not a decimal number", tx.id));
    tx.max_fee_per_gas = *max_fee;
    tx.max_priority_fee_per_gas = *priority;
    tx.gas_limit = static_cast<std::uint64_t>(sqlite3_column_int64(s, 8));
    tx.decided_block = static_cast<std::uint64_t>(sqlite3_column_int64(s, 9));
    tx.expected_profit_usd = sqlite3_column_double(s, 10);
    tx.status = static_cast<TxStatus>(sqlite3_column_int(s, 11));
    if (sqlite3_column_type(s, 12) != SQLITE_NULL)
      tx.included_block = static_cast<std::uint64_t>(sqlite3_column_int64(s, 12));
    if (sqlite3_column_type(s, 13) != SQLITE_NULL) {
      auto by = Hash::from_view(blob(13));
      if (!by) return error_text(fmt::format("transaction {}: replaced_by is not 32 bytes", tx.id));
      tx.replaced_by = *by;
    }
    tx.note = text(14);
    return tx;
  }

  /// Every row of a transaction query.
  JournalResult<std::vector<TxRecord>> read_txs(sqlite3_stmt* s, std::string_view what) const {
    std::vector<TxRecord> out;
    for (;;) {
      int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return out;
      if (rc != SQLITE_ROW) return error(what);
      auto tx = read_tx(s);
      if (!tx) return tx.error();
      out.push_back(std::move(*tx));
    }
  }

  JournalResult<void> create_or_check(std::uint64_t chain_id, const Address& signer);
  JournalResult<void> prepare_all();
};

namespace {

std::string describe_binding(std::uint64_t chain_id, std::string_view signer) {
  return fmt::format("chain id {} and signer {}", chain_id, signer);
}

}  // namespace

JournalResult<void> Journal::Impl::create_or_check(std::uint64_t chain_id, const Address& signer) {
  auto chain = to_int64(chain_id);
  if (!chain) return error_text(fmt::format("chain id {} does not fit in a signed 64-bit integer", chain_id));
  const std::string signer_text = to_checksum(signer);
  // IMMEDIATE: two processes opening a new journal at once must not both create the schema.
  if (auto r = exec("BEGIN IMMEDIATE", "begin"); !r) return r;
  auto body = [&]() -> JournalResult<void> {
    Statement probe;
    if (auto r = prepare(probe, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'");
        !r)
      return r;
    bool exists = false;
    {
      StatementUse use(probe.get());
      if (sqlite3_step(*use) != SQLITE_ROW) return error("read schema");
      exists = sqlite3_column_int(*use, 0) > 0;
    }
    if (!exists) {
      if (auto r = exec(kSchema, "create schema"); !r) return r;
      Statement put;
      if (auto r = prepare(put, "INSERT INTO schema_version (version) VALUES (?1)"); !r) return r;
      sqlite3_bind_int(put.get(), 1, kSchemaVersion);
      if (auto r = run(put, "write schema version"); !r) return r;
      Statement bind;
      if (auto r = prepare(bind, "INSERT INTO binding (chain_id, signer) VALUES (?1, ?2)"); !r) return r;
      sqlite3_bind_int64(bind.get(), 1, *chain);
      bind_text(bind.get(), 2, signer_text);
      return run(bind, "write binding");
    }
    Statement version;
    if (auto r = prepare(version, "SELECT max(version) FROM schema_version"); !r) return r;
    {
      StatementUse use(version.get());
      if (sqlite3_step(*use) != SQLITE_ROW || sqlite3_column_type(*use, 0) == SQLITE_NULL)
        return error_text("schema_version is empty");
      int v = sqlite3_column_int(*use, 0);
      if (v > kSchemaVersion)
        return error_text(fmt::format("schema version {} is newer than this sluice supports ({})", v, kSchemaVersion));
      // Older versions would be migrated here; version 1 is the first.
    }
    Statement bound;
    if (auto r = prepare(bound, "SELECT chain_id, signer FROM binding LIMIT 1"); !r) return r;
    StatementUse use(bound.get());
    if (sqlite3_step(*use) != SQLITE_ROW) return error_text("the binding (chain id, signer) is missing");
    const auto stored_chain = static_cast<std::uint64_t>(sqlite3_column_int64(*use, 0));
    const auto* stored_signer_text = reinterpret_cast<const char*>(sqlite3_column_text(*use, 1));
    std::string stored_signer = stored_signer_text ? stored_signer_text : "";
    auto stored_address = parse_address(stored_signer);
    if (stored_chain != chain_id || !stored_address || *stored_address != signer)
      return error_text(fmt::format("belongs to {}, not {}", describe_binding(stored_chain, stored_signer),
                                    describe_binding(chain_id, signer_text)));
    return {};
  };
  auto result = body();
  if (result) {
    if (auto r = exec("COMMIT", "commit"); !r) result = r;
    else return result;
  }
  (void)exec("ROLLBACK", "rollback");
  return result;
}

JournalResult<void> Journal::Impl::prepare_all() {
  // Added after schema version 1 shipped; created on open for journals that predate it.
  if (auto r = exec("CREATE TABLE IF NOT EXISTS for_sale (token TEXT PRIMARY KEY, amount TEXT NOT NULL)",
                    "create table for_sale");
      !r)
    return r;
  const std::string cols = kTxColumns;
  const std::pair<Statement*, std::string> all[] = {
      {&begin, "BEGIN IMMEDIATE"},
      {&commit, "COMMIT"},
      {&rollback, "ROLLBACK"},
      {&sync_full, "PRAGMA synchronous = FULL"},
      {&sync_normal, "PRAGMA synchronous = NORMAL"},
      {&insert_tx,
       "INSERT INTO transactions (kind, nonce, hash, raw, subject, max_fee_per_gas, max_priority_fee_per_gas, "
       "gas_limit, decided_block, expected_profit_usd, status, included_block, replaced_by, note) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"},
      {&insert_decision, "INSERT INTO decisions (block, subject, outcome, detail) VALUES (?1, ?2, ?3, ?4)"},
      {&set_status,
       "UPDATE transactions SET status = ?2, "
       "included_block = CASE WHEN ?2 IN (3, 4) THEN coalesce(?3, included_block) ELSE NULL END, "
       "note = CASE WHEN ?4 = '' THEN note ELSE ?4 END, "
       "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE hash = ?1 AND status <> 7"},
      {&mark_replaced,
       "UPDATE transactions SET status = 5, replaced_by = ?2, included_block = NULL, "
       "note = CASE WHEN ?3 = '' THEN note ELSE ?3 END, "
       "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE hash = ?1 AND status <> 7"},
      {&exists_hash, "SELECT 1 FROM transactions WHERE hash = ?1 AND status <> 7"},
      {&open_txs, "SELECT " + cols + " FROM transactions WHERE status IN (1, 2) ORDER BY nonce, id"},
      {&with_nonce, "SELECT " + cols + " FROM transactions WHERE nonce = ?1 AND status <> 7 ORDER BY id"},
      {&find, "SELECT " + cols + " FROM transactions WHERE hash = ?1 ORDER BY status = 7, id DESC LIMIT 1"},
      {&highest_nonce, "SELECT max(nonce) FROM transactions WHERE status <> 7"},
      {&liquidation_active,
       "SELECT EXISTS (SELECT 1 FROM transactions WHERE subject = ?1 AND kind = 1 AND "
       "(status IN (1, 2) OR (status = 3 AND included_block >= ?2)))"},
      {&status_counts, "SELECT status, count(*) FROM transactions GROUP BY status ORDER BY status"},
      {&put_for_sale, "INSERT INTO for_sale (token, amount) VALUES (?1, ?2) "
                      "ON CONFLICT (token) DO UPDATE SET amount = excluded.amount"},
      {&get_for_sale, "SELECT token, amount FROM for_sale WHERE amount <> '0' ORDER BY token"},
  };
  for (const auto& [stmt, sql] : all)
    if (auto r = prepare(*stmt, sql); !r) return r;
  return {};
}

JournalResult<std::unique_ptr<Journal>> Journal::open(const std::filesystem::path& path, std::uint64_t chain_id,
                                                      const Address& signer) {
  auto impl = std::make_unique<Impl>();
  impl->path = path.string();
  auto opened = [&]() -> JournalResult<void> {
    if (sqlite3_open_v2(impl->path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
      return impl->error("open");
    sqlite3_extended_result_codes(impl->db, 1);
    // Another reader (the sqlite3 shell, a report) may hold a lock briefly: wait rather than fail.
    sqlite3_busy_timeout(impl->db, 5000);
    // journal_mode answers with the mode in force: anything but "wal" (e.g. a read-only medium) is an error.
    {
      Statement mode;
      if (auto r = impl->prepare(mode, "PRAGMA journal_mode = WAL"); !r) return r;
      StatementUse use(mode.get());
      if (sqlite3_step(*use) != SQLITE_ROW) return impl->error("set WAL mode");
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(*use, 0));
      if (!text || std::string_view(text) != "wal")
        return impl->error_text(fmt::format("cannot use WAL mode (journal_mode is {})", text ? text : "unknown"));
    }
    if (auto r = impl->exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", "configure"); !r) return r;
    if (auto r = impl->create_or_check(chain_id, signer); !r) return r;
    return impl->prepare_all();
  }();
  // Every message already names the path ("journal /x/j.sqlite: open: unable to open database file").
  if (!opened) return opened.error();
  return std::unique_ptr<Journal>(new Journal(std::move(impl)));
}

Journal::Journal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Journal::~Journal() = default;

JournalResult<void> Journal::record_decisions(const std::vector<DecisionRecord>& decisions) {
  std::lock_guard lock(impl_->mutex);
  if (decisions.empty()) return {};
  for (const auto& d : decisions)
    if (!to_int64(d.block)) return impl_->error_text(fmt::format("decision block {} is out of range", d.block));
  // Decisions are an audit trail, not a safety record: losing the last ones to a power cut is acceptable, so they
  // skip the per-commit fsync (a process crash loses nothing either way in WAL mode).
  if (auto r = impl_->run(impl_->sync_normal, "synchronous"); !r) return r;
  auto result = impl_->transaction("record decisions", [&]() -> JournalResult<void> {
    for (const auto& d : decisions) {
      sqlite3_stmt* s = impl_->insert_decision.get();
      sqlite3_bind_int64(s, 1, static_cast<std::int64_t>(d.block));
      Impl::bind_text(s, 2, d.subject);
      Impl::bind_text(s, 3, d.outcome);
      Impl::bind_text(s, 4, d.detail);
      if (auto r = impl_->run(impl_->insert_decision, "insert decision"); !r) return r;
    }
    return {};
  });
  if (auto r = impl_->run(impl_->sync_full, "synchronous"); !r && result) return r;
  return result;
}

JournalResult<std::int64_t> Journal::insert_tx(const TxRecord& tx) {
  std::lock_guard lock(impl_->mutex);
  auto nonce = to_int64(tx.nonce);
  auto gas = to_int64(tx.gas_limit);
  auto decided = to_int64(tx.decided_block);
  std::optional<std::int64_t> included;
  if (tx.included_block) included = to_int64(*tx.included_block);
  if (!nonce || !gas || !decided || (tx.included_block && !included))
    return impl_->error_text(fmt::format("transaction {}: nonce, gas limit or block out of range", tx.hash.hex()));
  return impl_->transaction("insert transaction", [&]() -> JournalResult<std::int64_t> {
    if (tx.status != TxStatus::dry_run) {
      StatementUse use(impl_->exists_hash.get());
      Impl::bind_blob(*use, 1, tx.hash.view());
      int rc = sqlite3_step(*use);
      if (rc == SQLITE_ROW)
        return impl_->error_text(fmt::format("transaction {} is already journaled", tx.hash.hex()));
      if (rc != SQLITE_DONE) return impl_->error("look up transaction");
    }
    sqlite3_stmt* s = impl_->insert_tx.get();
    sqlite3_bind_int(s, 1, static_cast<int>(tx.kind));
    sqlite3_bind_int64(s, 2, *nonce);
    Impl::bind_blob(s, 3, tx.hash.view());
    Impl::bind_blob(s, 4, tx.raw);
    Impl::bind_text(s, 5, tx.subject);
    Impl::bind_text(s, 6, tx.max_fee_per_gas.to_dec());
    Impl::bind_text(s, 7, tx.max_priority_fee_per_gas.to_dec());
    sqlite3_bind_int64(s, 8, *gas);
    sqlite3_bind_int64(s, 9, *decided);
    sqlite3_bind_double(s, 10, tx.expected_profit_usd);
    sqlite3_bind_int(s, 11, static_cast<int>(tx.status));
    if (included) sqlite3_bind_int64(s, 12, *included);
    if (tx.replaced_by) Impl::bind_blob(s, 13, tx.replaced_by->view());
    Impl::bind_text(s, 14, tx.note);
    if (auto r = impl_->run(impl_->insert_tx, "insert transaction"); !r) return r.error();
    return sqlite3_last_insert_rowid(impl_->db);
  });
}

JournalResult<void> Journal::set_status(const Hash& hash, TxStatus status, std::optional<std::uint64_t> block,
                                        std::string_view note) {
  std::lock_guard lock(impl_->mutex);
  std::optional<std::int64_t> block64;
  if (block && !(block64 = to_int64(*block)))
    return impl_->error_text(fmt::format("block {} is out of range", *block));
  return impl_->transaction("set status", [&]() -> JournalResult<void> {
    sqlite3_stmt* s = impl_->set_status.get();
    Impl::bind_blob(s, 1, hash.view());
    sqlite3_bind_int(s, 2, static_cast<int>(status));
    if (block64) sqlite3_bind_int64(s, 3, *block64);
    Impl::bind_text(s, 4, note);
    if (auto r = impl_->run(impl_->set_status, "set status"); !r) return r;
    if (sqlite3_changes(impl_->db) == 0)
      return impl_->error_text(fmt::format("set status: no transaction {}", hash.hex()));
    return {};
  });
}

JournalResult<void> Journal::mark_replaced(const Hash& old_hash, const Hash& new_hash, std::string_view note) {
  std::lock_guard lock(impl_->mutex);
  return impl_->transaction("mark replaced", [&]() -> JournalResult<void> {
    {
      StatementUse use(impl_->exists_hash.get());
      Impl::bind_blob(*use, 1, new_hash.view());
      int rc = sqlite3_step(*use);
      if (rc == SQLITE_DONE)
        return impl_->error_text(fmt::format("mark replaced: the replacement {} is not journaled", new_hash.hex()));
      if (rc != SQLITE_ROW) return impl_->error("look up transaction");
    }
    sqlite3_stmt* s = impl_->mark_replaced.get();
    Impl::bind_blob(s, 1, old_hash.view());
    Impl::bind_blob(s, 2, new_hash.view());
    Impl::bind_text(s, 3, note);
    if (auto r = impl_->run(impl_->mark_replaced, "mark replaced"); !r) return r;
    if (sqlite3_changes(impl_->db) == 0)
      return impl_->error_text(fmt::format("mark replaced: no transaction {}", old_hash.hex()));
    return {};
  });
}

JournalResult<std::vector<TxRecord>> Journal::open_transactions() const {
  std::lock_guard lock(impl_->mutex);
  StatementUse use(impl_->open_txs.get());
  return impl_->read_txs(*use, "open transactions");
}

JournalResult<std::vector<TxRecord>> Journal::transactions_with_nonce(std::uint64_t nonce) const {
  std::lock_guard lock(impl_->mutex);
  auto n = to_int64(nonce);
  if (!n) return std::vector<TxRecord>{};
  StatementUse use(impl_->with_nonce.get());
  sqlite3_bind_int64(*use, 1, *n);
  return impl_->read_txs(*use, "transactions with nonce");
}

JournalResult<std::optional<TxRecord>> Journal::find(const Hash& hash) const {
  std::lock_guard lock(impl_->mutex);
  StatementUse use(impl_->find.get());
  Impl::bind_blob(*use, 1, hash.view());
  auto rows = impl_->read_txs(*use, "find transaction");
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<TxRecord>{};
  return std::optional<TxRecord>{std::move(rows->front())};
}

JournalResult<std::optional<std::uint64_t>> Journal::highest_nonce() const {
  std::lock_guard lock(impl_->mutex);
  StatementUse use(impl_->highest_nonce.get());
  if (sqlite3_step(*use) != SQLITE_ROW) return impl_->error("highest nonce");
  if (sqlite3_column_type(*use, 0) == SQLITE_NULL) return std::optional<std::uint64_t>{};
  return std::optional<std::uint64_t>{static_cast<std::uint64_t>(sqlite3_column_int64(*use, 0))};
}

JournalResult<bool> Journal::liquidation_active(std::string_view subject, std::uint64_t since_block) const {
  std::lock_guard lock(impl_->mutex);
  StatementUse use(impl_->liquidation_active.get());
  Impl::bind_text(*use, 1, subject);
  // A block past int64 cannot have been reached by any included transaction.
  auto since = to_int64(since_block);
  sqlite3_bind_int64(*use, 2, since ? *since : std::numeric_limits<std::int64_t>::max());
  if (sqlite3_step(*use) != SQLITE_ROW) return impl_->error("liquidation active");
  return sqlite3_column_int(*use, 0) != 0;
}

JournalResult<std::vector<std::pair<TxStatus, std::uint64_t>>> Journal::status_counts() const {
  std::lock_guard lock(impl_->mutex);
  StatementUse use(impl_->status_counts.get());
  std::vector<std::pair<TxStatus, std::uint64_t>> out;
  for (;;) {
    int rc = sqlite3_step(*use);
    if (rc == SQLITE_DONE) return out;
    if (rc != SQLITE_ROW) return impl_->error("status counts");
    out.emplace_back(static_cast<TxStatus>(sqlite3_column_int(*use, 0)),
                     static_cast<std::uint64_t>(sqlite3_column_int64(*use, 1)));
  }
}

JournalResult<void> Journal::integrity_check() const {
  std::lock_guard lock(impl_->mutex);
  Statement check;
  if (auto r = impl_->prepare(check, "PRAGMA integrity_check"); !r) return r;
  std::string problems;
  for (;;) {
    int rc = sqlite3_step(check.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return impl_->error("integrity check");
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(check.get(), 0));
    std::string_view line = text ? text : "";
    if (line == "ok") continue;
    if (!problems.empty()) problems += "; ";
    problems += line;
  }
  if (!problems.empty()) return impl_->error_text("integrity check failed: " + problems);
  return {};
}

JournalResult<void> Journal::set_for_sale(const Address& token, const U256& amount) {
  std::lock_guard lock(impl_->mutex);
  StatementUse use(impl_->put_for_sale.get());
  Impl::bind_text(*use, 1, to_checksum(token));
  Impl::bind_text(*use, 2, amount.to_dec());
  if (sqlite3_step(*use) != SQLITE_DONE) return impl_->error("set for_sale");
  return {};
}

JournalResult<std::vector<std::pair<Address, U256>>> Journal::for_sale() const {
  std::lock_guard lock(impl_->mutex);
  StatementUse use(impl_->get_for_sale.get());
  std::vector<std::pair<Address, U256>> out;
  for (;;) {
    const int rc = sqlite3_step(*use);
    if (rc == SQLITE_DONE) return out;
    if (rc != SQLITE_ROW) return impl_->error("read for_sale");
    const auto* token = reinterpret_cast<const char*>(sqlite3_column_text(*use, 0));
    const auto* amount = reinterpret_cast<const char*>(sqlite3_column_text(*use, 1));
    auto address = parse_address(token ? token : "");
    auto value = U256::from_dec(amount ? amount : "");
    if (!address || !value) return impl_->error_text("for_sale holds a malformed row");
    out.emplace_back(*address, *value);
  }
}

}  // namespace sluice::keeper
