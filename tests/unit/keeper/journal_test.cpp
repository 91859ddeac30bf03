#include "keeper/exec/journal.hpp"

#include "chain/keccak.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>

using namespace sluice;
using namespace sluice::keeper;
using sluice::test::TempDir;

namespace {

constexpr std::uint64_t kChain = 31337;
// anvil's first two dev accounts (any two distinct addresses would do).
const Address kSigner = *parse_address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
const Address kOther = *parse_address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

Hash hash_of(const std::string& tag) { return keccak256(std::string_view(tag)); }

TxRecord tx(std::uint64_t nonce, const std::string& tag, TxStatus status = TxStatus::signed_,
            TxKind kind = TxKind::liquidation, const std::string& subject = "aave-v3:0xabc") {
  TxRecord r;
  r.kind = kind;
  r.nonce = nonce;
  r.hash = hash_of(tag);
  r.raw = Bytes{0x02, 0xf8, static_cast<std::uint8_t>(nonce), 0x00, 0xff};
  r.subject = subject;
  r.max_fee_per_gas = U256::from_dec("115792089237316195423570985008687907853269984665640564039457584007913129639935").value();
  r.max_priority_fee_per_gas = U256(1'500'000'000);
  r.gas_limit = 450'000;
  r.decided_block = 100 + nonce;
  r.expected_profit_usd = 12.25;
  r.status = status;
  r.note = "n" + tag;
  return r;
}

std::unique_ptr<Journal> open_ok(const std::filesystem::path& path, std::uint64_t chain = kChain,
                                 const Address& signer = kSigner) {
  auto j = Journal::open(path, chain, signer);
  REQUIRE_MESSAGE(j.has_value(), (j ? "" : j.error().message));
  return std::move(*j);
}

void check_same(const TxRecord& a, const TxRecord& b) {
  CHECK(a.id == b.id);
  CHECK(a.kind == b.kind);
  CHECK(a.nonce == b.nonce);
  CHECK(a.hash == b.hash);
  CHECK(a.raw == b.raw);
  CHECK(a.subject == b.subject);
  CHECK(a.max_fee_per_gas == b.max_fee_per_gas);
  CHECK(a.max_priority_fee_per_gas == b.max_priority_fee_per_gas);
  CHECK(a.gas_limit == b.gas_limit);
  CHECK(a.decided_block == b.decided_block);
  CHECK(a.expected_profit_usd == b.expected_profit_usd);
  CHECK(a.status == b.status);
  CHECK(a.included_block == b.included_block);
  CHECK(a.replaced_by == b.replaced_by);
  CHECK(a.note == b.note);
}

std::vector<std::uint64_t> nonces(const std::vector<TxRecord>& txs) {
  std::vector<std::uint64_t> out;
  for (const auto& t : txs) out.push_back(t.nonce);
  return out;
}

}  // namespace

TEST_CASE("journal: names of kinds and statuses, and which statuses are open") {
  CHECK(std::string(tx_kind_name(TxKind::liquidation)) == "liquidation");
  CHECK(std::string(tx_kind_name(TxKind::cancel)) == "cancel");
  CHECK(std::string(tx_status_name(TxStatus::signed_)) == "signed");
  CHECK(std::string(tx_status_name(TxStatus::dry_run)) == "dry_run");
  CHECK(is_open(TxStatus::signed_));
  CHECK(is_open(TxStatus::sent));
  for (auto s : {TxStatus::included, TxStatus::reverted, TxStatus::replaced, TxStatus::dropped, TxStatus::dry_run})
    CHECK_FALSE(is_open(s));
}

TEST_CASE("journal: a record survives insert, close and reopen field for field, in WAL mode") {
  TempDir dir("sluice-journal");
  auto path = dir / "j.sqlite";
  TxRecord a = tx(7, "a");
  a.replaced_by = hash_of("later");
  a.included_block = 99;
  TxRecord b = tx(8, "b", TxStatus::sent, TxKind::approval, "0xtoken");
  b.raw.clear();  // an empty blob comes back empty, not NULL
  {
    auto j = open_ok(path);
    auto id = j->insert_tx(a);
    REQUIRE(id.has_value());
    a.id = *id;
    b.id = j->insert_tx(b).value();
    CHECK(b.id > a.id);
  }
  auto j = open_ok(path);
  auto found = j->find(a.hash).value();
  REQUIRE(found.has_value());
  check_same(*found, a);
  check_same(j->find(b.hash).value().value(), b);
  CHECK_FALSE(j->find(hash_of("nope")).value().has_value());
  CHECK(j->integrity_check().has_value());

  // The file really is in WAL mode (checked with SQLite itself, not through the journal).
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) == "wal");
  sqlite3_finalize(s);
  REQUIRE(sqlite3_prepare_v2(db, "SELECT version FROM schema_version", -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  CHECK(sqlite3_column_int(s, 0) == Journal::kSchemaVersion);
  sqlite3_finalize(s);
  sqlite3_close(db);
}

TEST_CASE("journal: bound to one chain id and signer; a mismatch names both") {
  TempDir dir("sluice-journal");
  auto path = dir / "j.sqlite";
  open_ok(path);
  auto wrong_chain = Journal::open(path, 1, kSigner);
  REQUIRE_FALSE(wrong_chain.has_value());
  const auto& m = wrong_chain.error().message;
  CHECK(m.find(path.string()) != std::string::npos);
  CHECK(m.find("chain id 31337 and signer 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") != std::string::npos);
  CHECK(m.find("chain id 1 and signer 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") != std::string::npos);
  auto wrong_signer = Journal::open(path, kChain, kOther);
  REQUIRE_FALSE(wrong_signer.has_value());
  CHECK(wrong_signer.error().message.find("0x70997970C51812dc3A010C7d01b50e0d17dc79C8") != std::string::npos);
  CHECK(wrong_signer.error().message.find("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") != std::string::npos);
  open_ok(path);  // the right binding still opens
}

TEST_CASE("journal: a file that cannot be opened, or is not a database, gives an error naming the path") {
  TempDir dir("sluice-journal");
  auto missing_dir = dir / "no/such/dir/j.sqlite";
  auto r = Journal::open(missing_dir, kChain, kSigner);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find(missing_dir.string()) != std::string::npos);
  CHECK(r.error().message.find("unable to open") != std::string::npos);

  auto garbage = dir / "garbage.sqlite";
  std::ofstream(garbage) << std::string(4096, 'x');
  auto g = Journal::open(garbage, kChain, kSigner);
  REQUIRE_FALSE(g.has_value());
  CHECK(g.error().message.find(garbage.string()) != std::string::npos);
  CHECK(g.error().message.find("not a database") != std::string::npos);

  CHECK_THROWS_AS(Journal::open(missing_dir, kChain, kSigner).value(), std::runtime_error);
}

TEST_CASE("journal: a journal of a newer schema version is refused") {
  TempDir dir("sluice-journal");
  auto path = dir / "j.sqlite";
  open_ok(path);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "UPDATE schema_version SET version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  auto r = Journal::open(path, kChain, kSigner);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find("schema version 99") != std::string::npos);
}

TEST_CASE("journal: a hash is journaled once; dry-run signatures may repeat and never count") {
  TempDir dir("sluice-journal");
  auto j = open_ok(dir / "j.sqlite");
  REQUIRE(j->insert_tx(tx(1, "a")).has_value());
  auto again = j->insert_tx(tx(1, "a"));
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().message.find("already journaled") != std::string::npos);

  REQUIRE(j->insert_tx(tx(5, "dry", TxStatus::dry_run)).has_value());
  REQUIRE(j->insert_tx(tx(5, "dry", TxStatus::dry_run)).has_value());
  CHECK(j->highest_nonce().value() == std::optional<std::uint64_t>(1));
  CHECK(j->transactions_with_nonce(5).value().empty());
  CHECK(j->open_transactions().value().size() == 1);
  CHECK(j->find(hash_of("dry")).value()->status == TxStatus::dry_run);
  CHECK(j->liquidation_active("aave-v3:0xabc", 0).value());  // the signed one at nonce 1 is active
  // Out-of-range integers are refused, not wrapped.
  CHECK_FALSE(j->insert_tx(tx(std::uint64_t{1} << 63, "huge")).has_value());
}

TEST_CASE("journal: highest_nonce, open_transactions and transactions_with_nonce") {
  TempDir dir("sluice-journal");
  auto j = open_ok(dir / "j.sqlite");
  CHECK_FALSE(j->highest_nonce().value().has_value());
  CHECK(j->open_transactions().value().empty());
  j->insert_tx(tx(3, "c")).value();
  j->insert_tx(tx(1, "a")).value();
  j->insert_tx(tx(2, "b", TxStatus::sent)).value();
  j->insert_tx(tx(1, "a2")).value();
  CHECK(j->highest_nonce().value() == std::optional<std::uint64_t>(3));
  CHECK(nonces(j->open_transactions().value()) == std::vector<std::uint64_t>{1, 1, 2, 3});
  auto ones = j->transactions_with_nonce(1).value();
  REQUIRE(ones.size() == 2);
  CHECK(ones[0].hash == hash_of("a"));  // oldest first
  CHECK(ones[1].hash == hash_of("a2"));
  j->set_status(hash_of("c"), TxStatus::included, 120).value();
  j->set_status(hash_of("a"), TxStatus::dropped).value();
  CHECK(nonces(j->open_transactions().value()) == std::vector<std::uint64_t>{1, 2});
  // A closed transaction still counts for the highest nonce: its nonce is never reused.
  CHECK(j->highest_nonce().value() == std::optional<std::uint64_t>(3));
}

TEST_CASE("journal: set_status sets and clears the inclusion block and keeps the note unless given") {
  TempDir dir("sluice-journal");
  auto j = open_ok(dir / "j.sqlite");
  j->insert_tx(tx(1, "a")).value();
  j->set_status(hash_of("a"), TxStatus::sent).value();
  auto r = j->find(hash_of("a")).value().value();
  CHECK(r.status == TxStatus::sent);
  CHECK(r.note == "na");
  j->set_status(hash_of("a"), TxStatus::included, 42, "landed").value();
  r = j->find(hash_of("a")).value().value();
  CHECK(r.included_block == std::optional<std::uint64_t>(42));
  CHECK(r.note == "landed");
  j->set_status(hash_of("a"), TxStatus::included).value();  // block kept
  CHECK(j->find(hash_of("a")).value()->included_block == std::optional<std::uint64_t>(42));
  j->set_status(hash_of("a"), TxStatus::sent, std::nullopt, "reorged out").value();  // cleared
  r = j->find(hash_of("a")).value().value();
  CHECK_FALSE(r.included_block.has_value());
  CHECK(r.note == "reorged out");
  auto unknown = j->set_status(hash_of("zzz"), TxStatus::sent);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().message.find(hash_of("zzz").hex()) != std::string::npos);
}

TEST_CASE("journal: mark_replaced links the old transaction to an already journaled new one") {
  TempDir dir("sluice-journal");
  auto j = open_ok(dir / "j.sqlite");
  j->insert_tx(tx(4, "old", TxStatus::sent)).value();
  auto missing = j->mark_replaced(hash_of("old"), hash_of("new"), "fee bump");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message.find("not journaled") != std::string::npos);
  CHECK(j->find(hash_of("old")).value()->status == TxStatus::sent);  // nothing changed

  j->insert_tx(tx(4, "new")).value();
  j->mark_replaced(hash_of("old"), hash_of("new"), "fee bump").value();
  auto old = j->find(hash_of("old")).value().value();
  CHECK(old.status == TxStatus::replaced);
  CHECK(old.replaced_by == std::optional<Hash>(hash_of("new")));
  CHECK(old.note == "fee bump");
  auto open = j->open_transactions().value();
  REQUIRE(open.size() == 1);
  CHECK(open[0].hash == hash_of("new"));
  CHECK_FALSE(j->mark_replaced(hash_of("ghost"), hash_of("new"), "").has_value());
}

TEST_CASE("journal: liquidation_active is true while open or included since the block, for liquidations only") {
  TempDir dir("sluice-journal");
  auto j = open_ok(dir / "j.sqlite");
  const std::string pos = "morpho-blue:0xmarket:0xuser";
  CHECK_FALSE(j->liquidation_active(pos, 0).value());
  j->insert_tx(tx(1, "approve", TxStatus::signed_, TxKind::approval, pos)).value();
  CHECK_FALSE(j->liquidation_active(pos, 0).value());  // not a liquidation
  j->insert_tx(tx(2, "liq", TxStatus::signed_, TxKind::liquidation, pos)).value();
  CHECK(j->liquidation_active(pos, 1000).value());
  CHECK_FALSE(j->liquidation_active("aave-v3:0xsomeone", 0).value());
  j->set_status(hash_of("liq"), TxStatus::sent).value();
  CHECK(j->liquidation_active(pos, 1000).value());
  j->set_status(hash_of("liq"), TxStatus::included, 500).value();
  CHECK(j->liquidation_active(pos, 500).value());
  CHECK(j->liquidation_active(pos, 400).value());
  CHECK_FALSE(j->liquidation_active(pos, 501).value());
  j->set_status(hash_of("liq"), TxStatus::reverted, 500).value();
  CHECK_FALSE(j->liquidation_active(pos, 0).value());
  CHECK_FALSE(j->liquidation_active(pos, std::uint64_t{1} << 63).value());
}

TEST_CASE("journal: status_counts and record_decisions") {
  TempDir dir("sluice-journal");
  auto path = dir / "j.sqlite";
  {
    auto j = open_ok(path);
    CHECK(j->status_counts().value().empty());
    j->insert_tx(tx(1, "a")).value();
    j->insert_tx(tx(2, "b")).value();
    j->insert_tx(tx(3, "c", TxStatus::dry_run)).value();
    j->set_status(hash_of("b"), TxStatus::included, 9).value();
    auto counts = j->status_counts().value();
    using P = std::pair<TxStatus, std::uint64_t>;
    CHECK(counts == std::vector<P>{{TxStatus::signed_, 1}, {TxStatus::included, 1}, {TxStatus::dry_run, 1}});

    CHECK(j->record_decisions({}).has_value());
    j->record_decisions({{10, "aave-v3:0x1", "taken", ""}, {10, "aave-v3:0x2", "unprofitable", "gas > bonus"}})
        .value();
    CHECK_FALSE(j->record_decisions({{std::uint64_t{1} << 63, "x", "taken", ""}}).has_value());
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT block, subject, outcome, detail FROM decisions ORDER BY id", -1, &s,
                             nullptr) == SQLITE_OK);
  std::vector<std::string> rows;
  while (sqlite3_step(s) == SQLITE_ROW)
    rows.push_back(std::to_string(sqlite3_column_int64(s, 0)) + "|" +
                   reinterpret_cast<const char*>(sqlite3_column_text(s, 1)) + "|" +
                   reinterpret_cast<const char*>(sqlite3_column_text(s, 2)) + "|" +
                   reinterpret_cast<const char*>(sqlite3_column_text(s, 3)));
  sqlite3_finalize(s);
  sqlite3_close(db);
  CHECK(rows == std::vector<std::string>{"10|aave-v3:0x1|taken|", "10|aave-v3:0x2|unprofitable|gas > bonus"});
}

TEST_CASE("journal: the seized collateral for sale survives a reopen; zero removes a token") {
  TempDir dir("sluice-journal");
  auto path = dir / "j.sqlite";
  const U256 big = U256::from_dec("123456789012345678901234567890").value();
  {
    auto j = open_ok(path);
    CHECK(j->for_sale().value().empty());
    j->set_for_sale(kOther, U256{5}).value();
    j->set_for_sale(kSigner, big).value();
    j->set_for_sale(kOther, U256{7}).value();  // replaces, never adds a row
  }
  {
    auto j = open_ok(path);
    using P = std::pair<Address, U256>;
    auto held = j->for_sale().value();
    // Ordered by the checksummed token text.
    std::vector<P> expected{{kOther, U256{7}}, {kSigner, big}};
    if (to_checksum(kSigner) < to_checksum(kOther)) std::swap(expected[0], expected[1]);
    CHECK(held == expected);
    j->set_for_sale(kOther, U256{}).value();
    CHECK(j->for_sale().value() == std::vector<P>{{kSigner, big}});
  }
}
