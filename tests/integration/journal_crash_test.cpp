// The journal under kill -9: a child process inserts and updates transactions in a loop and is killed with SIGKILL
// at random moments, many times; after each kill the journal is reopened and must hold exactly the operations the
// child had committed (plus, at most, the one it was reporting when it died), with no torn row.
#include "keeper/exec/journal.hpp"

#include "chain/keccak.hpp"
#include "tests/support/diff_seed.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <csignal>
#include <cstdint>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

using namespace sluice;
using namespace sluice::keeper;

namespace {

const Address kSigner = *parse_address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
constexpr std::uint64_t kChain = 31337;

enum class OpKind { insert_new, insert_replacement, mark_replaced, set_status };

struct Op {
  OpKind kind;
  TxRecord tx;              // insert_*: the record (id filled by the model)
  Hash target, other;       // set_status / mark_replaced
  TxStatus status{};        // set_status
  std::optional<std::uint64_t> block;
  std::string note;
};

/// What the journal must contain after a prefix of the operations: every row, in id order.
struct Model {
  std::vector<TxRecord> txs;

  std::vector<const TxRecord*> open() const {
    std::vector<const TxRecord*> out;
    for (const auto& t : txs)
      if (is_open(t.status)) out.push_back(&t);
    return out;
  }
  std::uint64_t next_nonce() const {
    std::uint64_t n = 0;
    for (const auto& t : txs) n = std::max(n, t.nonce + 1);
    return n;
  }
  TxRecord* find(const Hash& h) {
    for (auto& t : txs)
      if (t.hash == h) return &t;
    return nullptr;
  }
};

/// Operation `k`, a pure function of the model state and k (so the parent and every child agree on it).
Op make_op(const Model& m, std::uint64_t k) {
  std::mt19937_64 rng(k * 0x9e3779b97f4a7c15ULL + 1);
  auto open = m.open();
  // Pairs of open transactions with the same nonce can be resolved by mark_replaced.
  const TxRecord* replaced = nullptr;
  const TxRecord* replacement = nullptr;
  for (std::size_t i = 0; i < open.size() && !replaced; ++i)
    for (std::size_t j = i + 1; j < open.size(); ++j)
      if (open[i]->nonce == open[j]->nonce) {
        replaced = open[i];
        replacement = open[j];
        break;
      }
  Op op;
  const auto roll = rng() % 10;
  if (replaced && roll < 4) {
    op.kind = OpKind::mark_replaced;
    op.target = replaced->hash;
    op.other = replacement->hash;
    op.note = fmt::format("bump {}", k);
    return op;
  }
  if (!open.empty() && roll < 7) {
    const TxRecord* t = open[rng() % open.size()];
    if (roll == 6 && !replaced) {
      op.kind = OpKind::insert_replacement;
      op.tx.nonce = t->nonce;
    } else {
      op.kind = OpKind::set_status;
      op.target = t->hash;
      const TxStatus choices[] = {TxStatus::sent, TxStatus::included, TxStatus::reverted, TxStatus::dropped};
      op.status = choices[rng() % 4];
      if (op.status == TxStatus::included || op.status == TxStatus::reverted) op.block = 1000 + k;
      op.note = rng() % 2 ? fmt::format("status at {}", k) : "";
      return op;
    }
  } else {
    op.kind = OpKind::insert_new;
    op.tx.nonce = m.next_nonce();
  }
  TxRecord& t = op.tx;
  t.kind = static_cast<TxKind>(1 + rng() % 4);
  t.hash = keccak256(std::string_view(fmt::format("tx {}", k)));
  // Large, varied raw bytes: rows span pages, so a torn write would show.
  t.raw.resize(200 + rng() % 6000);
  for (auto& b : t.raw) b = static_cast<std::uint8_t>(rng());
  t.subject = fmt::format("aave-v3:0x{:040x}", rng() % 50);
  t.max_fee_per_gas = U256(rng(), rng(), rng(), rng());
  t.max_priority_fee_per_gas = U256(rng() % 10'000'000'000ULL);
  t.gas_limit = 21'000 + rng() % 1'000'000;
  t.decided_block = k;
  t.expected_profit_usd = static_cast<double>(rng() % 1'000'000) / 100.0;
  t.status = TxStatus::signed_;
  t.note = fmt::format("op {}", k);
  return op;
}

void apply(Model& m, Op op) {
  switch (op.kind) {
    case OpKind::insert_new:
    case OpKind::insert_replacement:
      op.tx.id = static_cast<std::int64_t>(m.txs.size()) + 1;
      m.txs.push_back(std::move(op.tx));
      break;
    case OpKind::mark_replaced: {
      TxRecord* t = m.find(op.target);
      t->status = TxStatus::replaced;
      t->replaced_by = op.other;
      t->included_block.reset();
      if (!op.note.empty()) t->note = op.note;
      break;
    }
    case OpKind::set_status: {
      TxRecord* t = m.find(op.target);
      t->status = op.status;
      if (op.status == TxStatus::included || op.status == TxStatus::reverted) {
        if (op.block) t->included_block = op.block;
      } else {
        t->included_block.reset();
      }
      if (!op.note.empty()) t->note = op.note;
      break;
    }
  }
}

JournalResult<void> apply(Journal& j, const Op& op) {
  switch (op.kind) {
    case OpKind::insert_new:
    case OpKind::insert_replacement: {
      auto r = j.insert_tx(op.tx);
      if (!r) return r.error();
      return {};
    }
    case OpKind::mark_replaced: return j.mark_replaced(op.target, op.other, op.note);
    case OpKind::set_status: return j.set_status(op.target, op.status, op.block, op.note);
  }
  return {};
}

Model model_after(std::uint64_t ops) {
  Model m;
  for (std::uint64_t k = 0; k < ops; ++k) apply(m, make_op(m, k));
  return m;
}

std::string show(const TxRecord& t) {
  return fmt::format("id={} kind={} nonce={} hash={} raw={} subject={} fee={}/{} gas={} decided={} profit={} "
                     "status={} included={} replaced_by={} note={}",
                     t.id, tx_kind_name(t.kind), t.nonce, t.hash.hex(), keccak256(t.raw).hex(), t.subject,
                     t.max_fee_per_gas.to_dec(), t.max_priority_fee_per_gas.to_dec(), t.gas_limit, t.decided_block,
                     t.expected_profit_usd, tx_status_name(t.status),
                     t.included_block ? std::to_string(*t.included_block) : "-",
                     t.replaced_by ? t.replaced_by->hex() : "-", t.note);
}

/// Everything the journal holds, as text in id order, read through its own API.
std::vector<std::string> journal_rows(const Journal& j) {
  std::vector<TxRecord> all;
  auto highest = j.highest_nonce().value();
  if (highest)
    for (std::uint64_t n = 0; n <= *highest; ++n)
      for (auto& t : j.transactions_with_nonce(n).value()) all.push_back(std::move(t));
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::vector<std::string> out;
  for (const auto& t : all) out.push_back(show(t));
  return out;
}

std::vector<std::string> model_rows(const Model& m) {
  std::vector<std::string> out;
  for (const auto& t : m.txs) out.push_back(show(t));
  return out;
}

std::vector<std::string> open_rows(const std::vector<TxRecord>& txs) {
  std::vector<std::string> out;
  for (const auto& t : txs) out.push_back(show(t));
  return out;
}

std::vector<std::string> model_open_rows(const Model& m) {
  auto open = m.open();
  std::sort(open.begin(), open.end(), [](auto* a, auto* b) { return std::pair(a->nonce, a->id) < std::pair(b->nonce, b->id); });
  std::vector<std::string> out;
  for (auto* t : open) out.push_back(show(*t));
  return out;
}

/// The child: replays the model to `start`, then applies operations from `start` on, reporting each committed
/// one on `fd` (its index, 8 bytes) until killed.
[[noreturn]] void child(const std::filesystem::path& path, std::uint64_t start, int fd) {
  Model m = model_after(start);
  auto j = Journal::open(path, kChain, kSigner);
  if (!j) _exit(3);
  for (std::uint64_t k = start;; ++k) {
    Op op = make_op(m, k);
    if (!apply(**j, op)) _exit(4);
    apply(m, std::move(op));
    if (::write(fd, &k, sizeof k) != sizeof k) _exit(5);
  }
}

}  // namespace

TEST_CASE("journal crash: kill -9 at random points, 50 times: every committed operation survives, nothing torn") {
  sluice::test::TempDir dir("sluice-journal-crash");
  const auto path = dir / "journal.sqlite";
  const auto seed = sluice::test::diff_seed(20240107);
  std::mt19937_64 rng(seed);
  std::uint64_t applied = 0;  // operations known to be in the journal
  std::uint64_t last_highest = 0;
  int kills_mid_run = 0;
  for (int round = 0; round < 50; ++round) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      child(path, applied, fds[1]);
    }
    ::close(fds[1]);
    INFO("round ", round, " seed ", seed, " start ", applied);
    std::uint64_t reported = applied;
    std::uint64_t k = 0;
    // Four rounds in five wait for the child's first commit (a kill in the middle of the work); the fifth may kill
    // it anywhere, opening and creating the journal included.
    if (round % 5 != 0) {
      REQUIRE(::read(fds[0], &k, sizeof k) == sizeof k);
      CHECK(k == reported);
      reported = k + 1;
    }
    ::usleep(static_cast<useconds_t>(rng() % 30'000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    // The child must have died by the signal, not exited on a journal error.
    REQUIRE(WIFSIGNALED(status));
    while (::read(fds[0], &k, sizeof k) == sizeof k) {
      CHECK(k == reported);
      reported = k + 1;
    }
    ::close(fds[0]);
    if (reported > applied) ++kills_mid_run;

    auto opened = Journal::open(path, kChain, kSigner);
    REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
    Journal& j = **opened;
    REQUIRE(j.integrity_check().has_value());
    const auto rows = journal_rows(j);
    // Committed but not yet reported when the kill came: at most one operation more than reported.
    const Model reported_model = model_after(reported);
    Model next_model = reported_model;
    apply(next_model, make_op(next_model, reported));
    const bool is_reported = rows == model_rows(reported_model);
    const bool is_next = !is_reported && rows == model_rows(next_model);
    if (!is_reported && !is_next) {
      const auto expect = model_rows(reported_model);
      for (std::size_t i = 0; i < std::max(rows.size(), expect.size()); ++i)
        if (i >= rows.size() || i >= expect.size() || rows[i] != expect[i]) {
          FAIL_CHECK("first difference at row ", i, "\n journal: ", (i < rows.size() ? rows[i] : "(none)"),
                     "\n   model: ", (i < expect.size() ? expect[i] : "(none)"));
          break;
        }
      FAIL("the journal is neither the reported state nor one operation past it");
    }
    const Model& state = is_reported ? reported_model : next_model;
    applied = is_reported ? reported : reported + 1;
    CHECK(open_rows(j.open_transactions().value()) == model_open_rows(state));
    auto highest = j.highest_nonce().value();
    const std::uint64_t h = highest ? *highest + 1 : 0;
    CHECK(h == state.next_nonce());
    CHECK(h >= last_highest);  // monotonic across crashes
    last_highest = h;
  }
  MESSAGE("operations committed across 50 kills: ", applied, "; kills after at least one commit: ", kills_mid_run);
  CHECK(applied > 50);         // the children made progress
  CHECK(kills_mid_run >= 40);  // and were killed mid-run, not only while opening
}
