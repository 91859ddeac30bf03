#include "keeper/exec/executor.hpp"

#include "chain/rpc/decode.hpp"
#include "chain/rpc/requests.hpp"
#include "chain/keccak.hpp"
#include "chain/transaction.hpp"
#include "keeper/exec/rivals.hpp"
#include "keeper/exec/send_error.hpp"
#include "keeper/exec/subject.hpp"
#include "strategy/plan/calldata.hpp"
#include "strategy/plan/revert_reason.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace sluice::keeper {

const char* event_kind_name(ExecutorEvent::Kind kind) noexcept {
  switch (kind) {
    case ExecutorEvent::Kind::sent: return "sent";
    case ExecutorEvent::Kind::would_send: return "would_send";
    case ExecutorEvent::Kind::included: return "included";
    case ExecutorEvent::Kind::reverted: return "reverted";
    case ExecutorEvent::Kind::replaced: return "replaced";
    case ExecutorEvent::Kind::cancelled: return "cancelled";
    case ExecutorEvent::Kind::lost_to_rival: return "lost_to_rival";
    case ExecutorEvent::Kind::simulation_failed: return "simulation_failed";
    case ExecutorEvent::Kind::dropped_resent: return "dropped_resent";
    case ExecutorEvent::Kind::waiting: return "waiting";
  }
  return "unknown";
}

namespace {

using Clock = std::chrono::steady_clock;
using boost::asio::awaitable;
using Kind = ExecutorEvent::Kind;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// A change of the seized-collateral ledger: `amount` of `token` seized (liquidation) or sold (sale).
struct SeizedChange {
  Address token;
  U256 amount;
  bool seized = true;
};

/// ERC-20 Transfer(address indexed from, address indexed to, uint256 value).
const Hash& transfer_topic() {
  static const Hash topic = keccak256(std::string_view("Transfer(address,address,uint256)"));
  return topic;
}

/// The address in an indexed topic (the word's low 20 bytes).
Address address_in_word(const Hash& word) {
  Address a;
  std::copy(word.bytes.begin() + 12, word.bytes.end(), a.bytes.begin());
  return a;
}

/// The ledger changes of a mined transaction of ours: tokens transferred to us by a liquidation (the seized
/// collateral: Aave's underlying from the aToken, Morpho's collateral), tokens transferred from us by a sale.
std::vector<SeizedChange> seized_changes(const rpc::Receipt& receipt, TxKind kind, const Address& self) {
  std::vector<SeizedChange> out;
  if (kind != TxKind::liquidation && kind != TxKind::sale) return out;
  for (const auto& log : receipt.logs) {
    if (log.topics.size() != 3 || log.topics[0] != transfer_topic() || log.data.size() != 32) continue;
    const Address from = address_in_word(log.topics[1]);
    const Address to = address_in_word(log.topics[2]);
    const U256 value = U256::from_be(ByteView(log.data.data(), 32)).value_or(U256{});
    if (kind == TxKind::liquidation && to == self && from != self) out.push_back({log.address, value, true});
    if (kind == TxKind::sale && from == self && to != self) out.push_back({log.address, value, false});
  }
  return out;
}

/// Everything sent at one nonce: the current transaction and the ones it replaced (any of them may still be mined).
struct Slot {
  std::uint64_t nonce = 0;
  TxKind kind = TxKind::liquidation;  ///< of the current transaction (cancel once cancelling)
  TxKind original_kind = TxKind::liquidation;
  std::string subject;                ///< of the original transaction
  std::optional<book::PositionKey> key;
  std::vector<std::pair<Hash, TxKind>> hashes;  ///< oldest first
  Eip1559Transaction tx;                        ///< the current transaction's fields
  Hash current;
  Bytes raw;  ///< the current transaction's raw bytes (re-broadcast when the node lost it)
  double profit_usd = 0.0;
  std::uint64_t decided_block = 0;
  std::uint64_t last_sent_block = 0;
  std::uint32_t replacements = 0;
  bool lost = false;
  bool waiting = false;  ///< judged only once our own transactions ahead of it are mined (see awaits_own_earlier)
  Clock::time_point received{};
  std::optional<std::uint64_t> included_block;  ///< mined: watched until final (reorg window)
  Hash mined_hash;
  std::optional<std::pair<Address, Address>> approval;  ///< (token, spender) of an approval
  std::pair<Address, U256> pulls;  ///< token and amount it takes from our balance (liquidations, sales)
  /// What its receipt moved in the keeper's seized-collateral ledger (undone if a reorg takes it out).
  std::vector<SeizedChange> seized_changes;
};

enum class Approval { unknown, pending, approved, assumed };

struct Broadcast {
  bool accepted = false;        ///< at least one endpoint took it (or already knew it)
  bool ambiguous = false;       ///< no endpoint answered with a node error: it may have arrived
  std::optional<SendRefusal> refusal;
  std::string message;
};

/// Blocks of eth_feeHistory the tip policy looks at.
constexpr std::uint64_t kFeeHistoryBlocks = 5;
/// Tips of our own remembered (bumps and replacements pay other tips; a few blocks' worth).
constexpr std::size_t kOwnTipsRemembered = 16;

plan::Fees fees_of(const Eip1559Transaction& tx) { return plan::Fees{tx.max_fee_per_gas, tx.max_priority_fee_per_gas}; }

/// Spender argument of approve(spender, amount) calldata.
std::optional<Address> approve_spender(ByteView data) {
  if (data.size() < 4 + 32) return std::nullopt;
  Address a;
  std::copy(data.begin() + 4 + 12, data.begin() + 4 + 32, a.bytes.begin());
  return a;
}

}  // namespace

using plan::Fees;

struct Executor::Impl {
  rpc::Client& client;
  std::vector<std::unique_ptr<rpc::Client>> broadcast;
  PrivateKey key;
  Address self;
  Journal& journal;
  metrics::KeeperMetrics& metrics;
  ExecutorOptions options;

  NonceManager nonces;
  std::map<std::uint64_t, Slot> slots;
  std::map<std::pair<Address, Address>, Approval> approvals;
  std::map<std::string, std::uint64_t> cooling;  ///< subject -> first block it may be tried again
  std::map<Address, U256> balances;
  std::vector<std::pair<book::AssetId, U256>> balance_ids;
  /// Seized collateral not sold yet, per token (only this is ever sold; journaled, reloaded by start()).
  std::map<Address, U256> seized;
  std::vector<std::pair<book::AssetId, U256>> for_sale_ids;

  void apply(const std::vector<SeizedChange>& changes, bool undo) {
    for (const auto& c : changes) {
      U256& held = seized[c.token];
      if (c.seized != undo)
        held = held + c.amount;
      else
        held = held > c.amount ? held - c.amount : U256{};
      (void)journal.set_for_sale(c.token, held);  // durable: a restart sells what was seized before it
    }
  }
  U256 next_base_fee;
  /// options.fees with this block's tip (plan::policy_tip over the last blocks' eth_feeHistory rewards).
  plan::FeePolicy fee_policy;
  std::vector<U256> own_tips;  ///< tips bid lately (not outbid again: plan::policy_tip)

  void remember_tip(const U256& tip) {
    if (std::find(own_tips.begin(), own_tips.end(), tip) != own_tips.end()) return;
    own_tips.push_back(tip);
    if (own_tips.size() > kOwnTipsRemembered) own_tips.erase(own_tips.begin());
  }
  std::uint64_t head = 0;
  bool stopped = false;

  Impl(rpc::Client& c, std::vector<std::unique_ptr<rpc::Client>> b, PrivateKey k, Journal& j,
       metrics::KeeperMetrics& m, ExecutorOptions o)
      : client(c), broadcast(std::move(b)), key(std::move(k)), self(address_of(key)), journal(j), metrics(m),
        options(std::move(o)) {
    fee_policy = options.fees;
  }

  ExecutorEvent event(Kind kind, const Slot& slot, const Hash& hash, std::string detail = {}) const {
    ExecutorEvent e;
    e.kind = kind;
    e.tx_kind = slot.original_kind;
    e.subject = slot.subject;
    e.hash = hash;
    e.nonce = slot.nonce;
    e.block = head;
    e.profit_usd = slot.profit_usd;
    e.detail = std::move(detail);
    return e;
  }

  std::pair<Bytes, Hash> sign_tx(const Eip1559Transaction& tx) const {
    const SignedTransaction s = sign(tx, key);
    return {encode_raw(s), transaction_hash(s)};
  }

  Eip1559Transaction make_tx(std::uint64_t nonce, const Address& to, Bytes data, std::uint64_t gas,
                             const Fees& fees) const {
    Eip1559Transaction tx;
    tx.chain_id = options.chain_id;
    tx.nonce = nonce;
    tx.max_priority_fee_per_gas = fees.max_priority_fee_per_gas;
    tx.max_fee_per_gas = fees.max_fee_per_gas;
    tx.gas_limit = gas;
    tx.to = to;
    tx.data = std::move(data);
    return tx;
  }

  /// Profit in wei at the wrapped native token's book price (zero: unknown, no cap).
  U256 profit_wei(double profit_usd, const book::PositionBook& book) const {
    if (profit_usd <= 0.0 || options.wrapped_native == Address{}) return U256{};
    const auto id = book.find_asset(options.wrapped_native);
    if (!id) return U256{};
    const U256& price8 = book.asset(*id).usd_price;
    if (price8.is_zero()) return U256{};
    const double price = std::stod(price8.to_dec()) / 1e8;
    const double gwei = std::floor(profit_usd / price * 1e9);
    if (!(gwei > 0.0) || gwei > 1e18) return U256{};
    return U256(static_cast<std::uint64_t>(gwei)) * U256(1'000'000'000);
  }

  /// The fees for a transaction expected to earn `profit` (wei): the competitive tip of this block's policy, or,
  /// when the profit cap cannot pay it, the configured tip before giving up.
  Result<Fees> choose_fees(std::uint64_t gas, const U256& profit) const {
    auto fees = plan::choose_fees(next_base_fee, gas, profit, fee_policy);
    if (!fees && fee_policy.priority_fee > options.fees.priority_fee)
      fees = plan::choose_fees(next_base_fee, gas, profit, options.fees);
    return fees;
  }

  /// The fees policy would pick now (no profit cap).
  Fees floor_fees(std::uint64_t gas) const {
    auto f = plan::choose_fees(next_base_fee, gas, U256{}, fee_policy);
    if (f) return *f;
    return Fees{next_base_fee + fee_policy.priority_fee, fee_policy.priority_fee};
  }

  awaitable<Broadcast> send_raw(const Bytes& raw) {
    Broadcast out;
    out.ambiguous = true;
    auto one = [&](rpc::Client& c) -> awaitable<void> {
      auto r = co_await c.send_raw_transaction(raw);
      if (r) {
        out.accepted = true;
        co_return;
      }
      if (r.error().kind != rpc::ErrorKind::node_error) {
        if (out.message.empty()) out.message = r.error().describe();
        co_return;
      }
      out.ambiguous = false;
      const SendRefusal refusal = classify_send_error(r.error().message);
      if (refusal == SendRefusal::already_known) {
        out.accepted = true;
        co_return;
      }
      if (!out.refusal || refusal == SendRefusal::nonce_too_low) {
        out.refusal = refusal;
        out.message = r.error().message;
      }
    };
    if (broadcast.empty()) {
      co_await one(client);
    } else {
      for (auto& c : broadcast) co_await one(*c);
    }
    if (out.accepted) out.ambiguous = false;
    co_return out;
  }

  awaitable<void> resync_nonces() {
    auto pending = co_await client.get_transaction_count(self, rpc::BlockTag::pending());
    auto highest = journal.highest_nonce();
    if (pending && highest) nonces.sync(*pending, *highest);
  }

  /// eth_call of `to.data` from the signer on the latest state: nullopt when it succeeds.
  awaitable<std::optional<plan::RevertReason>> simulate(const Address& to, const Bytes& data) {
    rpc::CallRequest request;
    request.from = self;
    request.to = to;
    request.data = data;
    auto r = co_await client.call(request, rpc::BlockTag::latest());
    if (r) co_return std::nullopt;
    co_return plan::classify_revert(r.error().data, r.error().message);
  }

  /// True when `failure` of `slot` may be owed to one of our own transactions still open at a lower nonce, which
  /// it was decided after: a liquidation whose seized collateral pays for it (or for a sale), or one that moved the
  /// same Morpho market's shares. A reorg that drops both leaves it failing alone on the head's state. Failures that
  /// our own earlier transactions cannot cause (the position healthy, the reserve paused, ...) do not count. Such a
  /// transaction is neither re-sent nor cancelled yet: it is judged again once those ahead of it are mined.
  bool awaits_own_earlier(const Slot& slot, const plan::RevertReason& failure) const {
    using plan::RevertKind;
    const bool dependent = failure.kind == RevertKind::insufficient_allowance ||
                           failure.kind == RevertKind::insufficient_inventory ||
                           failure.kind == RevertKind::arithmetic ||  // Panic(0x11): shares, balances
                           failure.kind == RevertKind::nothing_to_liquidate || failure.kind == RevertKind::unknown;
    if (!dependent || slot.original_kind == TxKind::approval) return false;
    for (const auto& [nonce, earlier] : slots) {
      if (nonce >= slot.nonce) break;
      if (!earlier.included_block && earlier.kind != TxKind::cancel) return true;
    }
    return false;
  }

  /// Marks `slot` as waiting for our earlier transactions (one event per wait).
  void wait_for_earlier(Slot& slot, const plan::RevertReason& failure, std::vector<ExecutorEvent>& events) {
    if (slot.waiting) return;
    slot.waiting = true;
    events.push_back(event(Kind::waiting, slot, slot.current,
                           "fails alone (" + failure.text + "): judged again once our earlier transactions are mined"));
  }

  void cool(const std::string& subject, plan::RevertKind kind) {
    cooling[subject] = head + std::max<std::uint32_t>(1, plan::cooldown_blocks(kind));
  }

  // ---- sending ----

  /// Signs, journals (write-ahead), broadcasts a new transaction at a fresh nonce. In dry-run: journaled as
  /// dry_run, nonce released.
  awaitable<void> submit_new(TxKind kind, const std::string& subject, std::optional<book::PositionKey> pos,
                             const Address& to, Bytes data, std::uint64_t gas_limit, const Fees& fees,
                             double profit_usd, Clock::time_point received, std::vector<ExecutorEvent>& events,
                             std::string note = {}, std::pair<Address, U256> pulls = {}) {
    Slot slot;
    slot.pulls = std::move(pulls);
    slot.nonce = nonces.reserve();
    slot.kind = slot.original_kind = kind;
    slot.subject = subject;
    slot.key = pos;
    slot.tx = make_tx(slot.nonce, to, std::move(data), gas_limit, fees);
    auto [raw, hash] = sign_tx(slot.tx);
    metrics.stage(metrics::Stage::signed_, seconds_since(received));
    slot.current = hash;
    slot.raw = raw;
    slot.hashes.push_back({hash, kind});
    slot.profit_usd = profit_usd;
    slot.decided_block = head;
    slot.last_sent_block = head;
    slot.received = received;
    if (kind == TxKind::approval) slot.approval = std::pair{to, approve_spender(slot.tx.data).value_or(Address{})};

    TxRecord record;
    record.kind = kind;
    record.nonce = slot.nonce;
    record.hash = hash;
    record.raw = raw;
    record.subject = subject;
    record.max_fee_per_gas = fees.max_fee_per_gas;
    record.max_priority_fee_per_gas = fees.max_priority_fee_per_gas;
    record.gas_limit = gas_limit;
    record.decided_block = head;
    record.expected_profit_usd = profit_usd;
    record.note = note;

    if (options.dry_run) {
      record.status = TxStatus::dry_run;
      (void)journal.insert_tx(record);
      nonces.release(slot.nonce);
      metrics.would_send.inc();
      events.push_back(event(Kind::would_send, slot, hash, note));
      co_return;
    }
    record.status = TxStatus::signed_;
    if (auto inserted = journal.insert_tx(record); !inserted) {
      // Never broadcast what the journal does not hold.
      nonces.release(slot.nonce);
      events.push_back(event(Kind::simulation_failed, slot, hash, "journal: " + inserted.error().message));
      co_return;
    }
    const Broadcast b = co_await send_raw(raw);
    if (b.accepted || b.ambiguous) {
      if (b.accepted) {
        (void)journal.set_status(hash, TxStatus::sent);
        metrics.stage(metrics::Stage::sent, seconds_since(received));
        if (kind == TxKind::liquidation) metrics.liquidations_sent.inc();
      }
      events.push_back(event(Kind::sent, slot, hash, b.accepted ? note : "no endpoint answered: " + b.message));
      slots[slot.nonce] = std::move(slot);
      co_return;
    }
    // Every endpoint refused it: never broadcast, the nonce is free again.
    (void)journal.set_status(hash, TxStatus::dropped, std::nullopt,
                             std::string("refused: ") + send_refusal_name(*b.refusal) + ": " + b.message);
    events.push_back(event(Kind::simulation_failed, slot, hash, "refused by the node: " + b.message));
    if (b.refusal == SendRefusal::nonce_too_low) {
      co_await resync_nonces();
    } else if (!nonces.release(slot.nonce)) {
      co_await fill_gap(slot.nonce, received, events);
    }
  }

  /// A cancel at a nonce nothing of ours holds (a gap would block every later transaction).
  awaitable<void> fill_gap(std::uint64_t nonce, Clock::time_point received, std::vector<ExecutorEvent>& events) {
    Slot slot;
    slot.nonce = nonce;
    slot.kind = slot.original_kind = TxKind::cancel;
    slot.tx = make_tx(nonce, self, {}, options.cancel_gas, floor_fees(options.cancel_gas));
    auto [raw, hash] = sign_tx(slot.tx);
    slot.current = hash;
    slot.raw = raw;
    slot.hashes.push_back({hash, TxKind::cancel});
    slot.last_sent_block = head;
    slot.received = received;
    TxRecord record;
    record.kind = TxKind::cancel;
    record.nonce = nonce;
    record.hash = hash;
    record.raw = raw;
    record.max_fee_per_gas = slot.tx.max_fee_per_gas;
    record.max_priority_fee_per_gas = slot.tx.max_priority_fee_per_gas;
    record.gas_limit = slot.tx.gas_limit;
    record.decided_block = head;
    record.note = "fills a nonce gap";
    if (!journal.insert_tx(record)) co_return;
    const Broadcast b = co_await send_raw(raw);
    if (b.accepted) (void)journal.set_status(hash, TxStatus::sent);
    metrics.cancels.inc();
    events.push_back(event(Kind::cancelled, slot, hash, "fills a nonce gap"));
    slots[nonce] = std::move(slot);
  }

  /// Same nonce, new transaction `tx` (a fee bump or a cancel): journaled first, the old one marked replaced once
  /// a node accepted the new one.
  awaitable<bool> resend(Slot& slot, Eip1559Transaction tx, TxKind kind, const std::string& note) {
    auto [raw, hash] = sign_tx(tx);
    TxRecord record;
    record.kind = kind;
    record.nonce = slot.nonce;
    record.hash = hash;
    record.raw = raw;
    record.subject = kind == TxKind::cancel ? std::string() : slot.subject;
    record.max_fee_per_gas = tx.max_fee_per_gas;
    record.max_priority_fee_per_gas = tx.max_priority_fee_per_gas;
    record.gas_limit = tx.gas_limit;
    record.decided_block = head;
    record.expected_profit_usd = kind == TxKind::cancel ? 0.0 : slot.profit_usd;
    record.note = note;
    if (!journal.insert_tx(record)) co_return false;
    const Broadcast b = co_await send_raw(raw);
    if (!b.accepted) {
      (void)journal.set_status(hash, TxStatus::dropped, std::nullopt,
                               "replacement refused: " + (b.message.empty() ? std::string("no answer") : b.message));
      co_return false;
    }
    (void)journal.set_status(hash, TxStatus::sent);
    (void)journal.mark_replaced(slot.current, hash, note);
    slot.hashes.push_back({hash, kind});
    slot.current = hash;
    slot.raw = raw;
    slot.tx = std::move(tx);
    slot.kind = kind;
    slot.last_sent_block = head;
    ++slot.replacements;
    co_return true;
  }

  awaitable<void> replace(Slot& slot, const book::PositionBook& book, std::vector<ExecutorEvent>& events) {
    Fees floor = floor_fees(slot.tx.gas_limit);
    const U256 profit = slot.kind == TxKind::liquidation ? profit_wei(slot.profit_usd, book) : U256{};
    if (!profit.is_zero()) {
      auto capped = choose_fees(slot.tx.gas_limit, profit);
      if (!capped) {
        co_await cancel(slot, "no longer affordable at the current base fee", events);
        co_return;
      }
      floor = *capped;
    }
    const Fees bumped = plan::bump(fees_of(slot.tx), floor);
    remember_tip(bumped.max_priority_fee_per_gas);
    if (!profit.is_zero()) {
      const double share = fee_policy.max_fee_share_of_profit;
      const U256 cap = U256(static_cast<std::uint64_t>(std::floor(share * 1e6))) * profit / U256(1'000'000);
      if (cap < plan::max_cost(bumped, slot.tx.gas_limit)) {
        co_await cancel(slot, "a fee bump would exceed the profit cap", events);
        co_return;
      }
    }
    Eip1559Transaction tx = slot.tx;
    tx.max_fee_per_gas = bumped.max_fee_per_gas;
    tx.max_priority_fee_per_gas = bumped.max_priority_fee_per_gas;
    const Hash old = slot.current;
    if (co_await resend(slot, std::move(tx), slot.kind, "fee bump after " + std::to_string(head - slot.last_sent_block) +
                                                              " blocks without inclusion")) {
      metrics.replacements.inc();
      events.push_back(event(Kind::replaced, slot, slot.current, "replaces " + old.hex()));
    }
  }

  awaitable<void> cancel(Slot& slot, const std::string& why, std::vector<ExecutorEvent>& events) {
    if (slot.kind == TxKind::cancel) co_return;
    const Fees bumped = plan::bump(fees_of(slot.tx), floor_fees(options.cancel_gas));
    Eip1559Transaction tx = make_tx(slot.nonce, self, {}, options.cancel_gas, bumped);
    const Hash old = slot.current;
    if (co_await resend(slot, std::move(tx), TxKind::cancel, "cancel: " + why)) {
      metrics.cancels.inc();
      events.push_back(event(Kind::cancelled, slot, slot.current, why + "; replaces " + old.hex()));
    }
  }

  // ---- tracking ----

  awaitable<void> on_mined(Slot& slot, const Hash& hash, TxKind kind, const rpc::Receipt& receipt,
                           const std::vector<book::PositionKey>& rivals, std::vector<ExecutorEvent>& events) {
    for (const auto& [h, k] : slot.hashes)
      if (h != hash && h == slot.current)
        (void)journal.set_status(h, TxStatus::dropped, std::nullopt, "an earlier transaction at this nonce was mined");
    slot.included_block = receipt.block_number;
    slot.mined_hash = hash;
    const bool ok = receipt.status.value_or(1) == 1;
    if (ok) {
      (void)journal.set_status(hash, TxStatus::included, receipt.block_number);
      slot.seized_changes = seized_changes(receipt, kind, self);
      apply(slot.seized_changes, false);
      if (kind == TxKind::liquidation) {
        metrics.wins.inc();
        metrics.profit_usd.inc(slot.profit_usd);
        metrics.stage(metrics::Stage::included, seconds_since(slot.received));
      }
      if (kind == TxKind::approval && slot.approval) approvals[*slot.approval] = Approval::approved;
      ExecutorEvent e = event(Kind::included, slot, hash, kind == TxKind::cancel ? "cancel landed" : "");
      e.tx_kind = kind;
      e.block = receipt.block_number;
      events.push_back(std::move(e));
      co_return;
    }
    // Reverted: replay at the parent block for the reason (a state change inside the block leaves it empty).
    std::string text = "reverted";
    plan::RevertKind revert_kind = plan::RevertKind::unknown;
    bool raced = false;
    if (kind != TxKind::cancel && receipt.block_number > 0) {
      rpc::CallRequest request;
      request.from = self;
      request.to = slot.tx.to;
      request.data = slot.tx.data;
      request.gas = slot.tx.gas_limit;
      auto replay = co_await client.call(request, rpc::BlockTag(receipt.block_number - 1));
      if (!replay) {
        const auto reason = plan::classify_revert(replay.error().data, replay.error().message);
        revert_kind = reason.kind;
        text = reason.text;
      } else {
        text = "reverted in block " + std::to_string(receipt.block_number) + " (succeeds at the parent block)";
        raced = true;
      }
    }
    (void)journal.set_status(hash, TxStatus::reverted, receipt.block_number, text);
    metrics.reverts(plan::revert_kind_name(revert_kind)).inc();
    if (kind == TxKind::approval && slot.approval) approvals[*slot.approval] = Approval::unknown;
    // A revert the parent block does not reproduce was a race inside the block (a rival, or our own transaction
    // ahead of it in the same market): the book reads this block's state, so the next block decides again.
    if (slot.key && raced)
      cooling[slot.subject] = head + 1;
    else if (slot.key)
      cool(slot.subject, revert_kind);
    const bool rival = slot.key && std::find(rivals.begin(), rivals.end(), *slot.key) != rivals.end();
    if (rival && !slot.lost && kind == TxKind::liquidation) {
      slot.lost = true;
      metrics.losses_to_rivals.inc();
      events.push_back(event(Kind::lost_to_rival, slot, hash, "a rival liquidated it first in this block"));
    }
    ExecutorEvent e = event(Kind::reverted, slot, hash, text);
    e.tx_kind = kind;
    e.block = receipt.block_number;
    events.push_back(std::move(e));
  }

  awaitable<void> track(const book::PositionBook& book, const std::vector<rpc::Log>& logs,
                        std::vector<ExecutorEvent>& events) {
    auto latest = co_await client.get_transaction_count(self, rpc::BlockTag(head));
    if (latest) nonces.set_confirmed(*latest);
    const auto rivals = rival_liquidations(logs, options.aave_pool, options.morpho, self);

    std::vector<std::uint64_t> keys;
    for (const auto& [n, s] : slots) keys.push_back(n);
    for (const std::uint64_t n : keys) {
      Slot& slot = slots.at(n);
      if (slot.included_block) {
        // Mined: watch for a reorg until final.
        if (head >= *slot.included_block + options.reorg_window) {
          slots.erase(n);
          continue;
        }
        auto r = co_await client.get_transaction_receipt(slot.mined_hash);
        if (r && !*r) {
          // A reorg took it out: open again and re-send below.
          (void)journal.set_status(slot.mined_hash, TxStatus::sent, std::nullopt, "reorged out");
          slot.included_block.reset();
          slot.current = slot.mined_hash;
          apply(slot.seized_changes, true);
          slot.seized_changes.clear();
        } else {
          continue;
        }
      }
      bool mined = false;
      for (auto it = slot.hashes.rbegin(); it != slot.hashes.rend() && !mined; ++it) {
        auto r = co_await client.get_transaction_receipt(it->first);
        if (r && *r) {
          mined = true;
          co_await on_mined(slot, it->first, it->second, **r, rivals, events);
        }
      }
      if (mined) continue;
      if (latest && slot.nonce < *latest) {
        // The nonce went to a transaction we do not know (another process with this key?).
        for (const auto& [h, k] : slot.hashes)
          (void)journal.set_status(h, TxStatus::dropped, std::nullopt, "nonce used by another transaction");
        slots.erase(n);
        continue;
      }
      // Still pending.
      const bool rival = slot.key && std::find(rivals.begin(), rivals.end(), *slot.key) != rivals.end();
      if (rival && !slot.lost && slot.original_kind == TxKind::liquidation) {
        slot.lost = true;
        metrics.losses_to_rivals.inc();
        events.push_back(event(Kind::lost_to_rival, slot, slot.current, "a rival liquidated it"));
        if (slot.key) cooling[slot.subject] = head + 1;
        co_await cancel(slot, "lost to a rival", events);
        continue;
      }
      auto known = co_await client.get_transaction_by_hash(slot.current);
      if (known && !*known) {
        // The node lost it (reorg, eviction): re-send if still valid, else fill the nonce with a cancel.
        bool valid = slot.kind == TxKind::cancel;
        std::string why = "the node lost it and it is no longer valid";
        if (!valid) {
          const auto failure = co_await simulate(*slot.tx.to, slot.tx.data);
          if (failure && awaits_own_earlier(slot, *failure)) {
            wait_for_earlier(slot, *failure, events);
            continue;
          }
          valid = !failure;
          if (failure) why += " (" + failure->text + ")";
        }
        slot.waiting = false;
        if (valid) {
          const Broadcast b = co_await send_raw(slot.raw);
          if (b.accepted) {
            slot.last_sent_block = head;
            (void)journal.set_status(slot.current, TxStatus::sent, std::nullopt, "re-sent after the node lost it");
            events.push_back(event(Kind::dropped_resent, slot, slot.current, "re-sent the same transaction"));
            continue;
          }
          // Refused as it is (the base fee rose past its max fee, typically): the same, with bumped fees.
          if (slot.replacements < options.max_replacements) {
            co_await replace(slot, book, events);
            continue;
          }
        }
        co_await cancel(slot, why, events);
        continue;
      }
      if (head < slot.last_sent_block + options.replace_after_blocks) continue;
      if (slot.kind == TxKind::liquidation || slot.kind == TxKind::sale) {
        const auto failure = co_await simulate(*slot.tx.to, slot.tx.data);
        if (failure && awaits_own_earlier(slot, *failure)) {
          wait_for_earlier(slot, *failure, events);
          continue;
        }
        slot.waiting = false;
        if (failure) {
          metrics.reverts(plan::revert_kind_name(failure->kind)).inc();
          if (slot.key) cool(slot.subject, failure->kind);
          co_await cancel(slot, "would now revert: " + failure->text, events);
          continue;
        }
      }
      if (slot.replacements >= options.max_replacements) {
        if (slot.kind != TxKind::cancel) co_await cancel(slot, "too many replacements", events);
        continue;
      }
      co_await replace(slot, book, events);
    }
    metrics.in_flight.set(static_cast<double>(open_count()));
  }

  std::uint32_t open_count() const {
    std::uint32_t n = 0;
    for (const auto& [k, s] : slots)
      if (!s.included_block) ++n;
    return n;
  }

  bool liquidation_pending(const std::string& subject) const {
    for (const auto& [k, s] : slots)
      if (!s.included_block && s.original_kind == TxKind::liquidation && s.subject == subject) return true;
    return false;
  }

  // ---- executing ----

  /// True when `spender` may pull `amount` of `token` (an approval is sent, or assumed in dry-run, otherwise).
  awaitable<std::pair<bool, bool>> ensure_approval(const Address& token, const Address& spender, const U256& amount,
                                                   Clock::time_point received, std::vector<ExecutorEvent>& events) {
    auto& state = approvals[{token, spender}];
    if (state == Approval::approved) co_return std::pair{true, false};
    if (state == Approval::assumed) co_return std::pair{true, true};
    if (state == Approval::pending) co_return std::pair{false, false};
    rpc::CallRequest request;
    request.to = token;
    request.data = plan::erc20_allowance(self, spender);
    auto r = co_await client.call(request, rpc::BlockTag::latest());
    if (r && r->size() == 32 && U256::from_be(ByteView(r->data(), 32)).value_or(U256{}) >= amount) {
      state = Approval::approved;
      co_return std::pair{true, false};
    }
    Bytes data = plan::erc20_approve(spender, U256::max());
    rpc::CallRequest est;
    est.from = self;
    est.to = token;
    est.data = data;
    auto gas = co_await client.estimate_gas(est);
    const std::uint64_t limit = plan::gas_limit_with_margin(gas ? *gas : 60'000, options.gas_margin_bps);
    co_await submit_new(TxKind::approval, to_checksum(token), std::nullopt, token, std::move(data), limit,
                        floor_fees(limit), 0.0, received, events, "approve " + to_checksum(spender));
    state = options.dry_run ? Approval::assumed : Approval::pending;
    co_return std::pair{options.dry_run, options.dry_run};
  }

  /// Simulates, estimates, prices and submits one liquidation or sale.
  awaitable<U256> balance_of(const Address& token) {
    rpc::CallRequest request;
    request.to = token;
    request.data = plan::erc20_balance_of(self);
    auto r = co_await client.call(request, rpc::BlockTag::latest());
    if (!r || r->size() != 32) co_return U256{};
    co_return U256::from_be(ByteView(r->data(), 32)).value_or(U256{});
  }

  awaitable<bool> balance_covers(const Address& token, const U256& amount) {
    co_return (co_await balance_of(token)) >= amount;
  }

  /// What pending transactions of ours will still take of `token` (each simulation sees only the chain's state).
  U256 committed(const Address& token) const {
    U256 sum;
    for (const auto& [n, s] : slots)
      if (!s.included_block && s.kind != TxKind::cancel && s.pulls.first == token) sum = sum + s.pulls.second;
    return sum;
  }

  /// `pulls`: the token and amount the call transfers from us (what a missing allowance would block).
  awaitable<void> execute_one(TxKind kind, const std::string& subject, std::optional<book::PositionKey> pos,
                              const Address& to, Bytes data, double profit_usd, std::uint64_t gas_hint,
                              bool allowance_assumed, std::pair<Address, U256> pulls, const book::PositionBook& book,
                              Clock::time_point received, std::vector<ExecutorEvent>& events) {
    Slot probe;
    probe.subject = subject;
    probe.original_kind = kind;
    probe.profit_usd = profit_usd;
    std::string note;
    if (!pulls.second.is_zero() && !committed(pulls.first).is_zero()) {
      const U256 balance = co_await balance_of(pulls.first);
      if (balance < committed(pulls.first) + pulls.second) {
        events.push_back(event(Kind::simulation_failed, probe, Hash{},
                               "inventory: the balance is committed to pending transactions"));
        co_return;
      }
    }
    if (auto failure = co_await simulate(to, data)) {
      // Dry run without the approval on chain: a failed pull (the token's own "allowance" message, or Morpho's
      // "transferFrom reverted") is put down to the missing allowance only when the balance covers the amount.
      const bool pull_failed = failure->kind == plan::RevertKind::insufficient_allowance ||
                               failure->kind == plan::RevertKind::insufficient_inventory ||
                               failure->text.find("allowance") != std::string::npos;
      if (!(allowance_assumed && pull_failed && co_await balance_covers(pulls.first, pulls.second))) {
        metrics.reverts(plan::revert_kind_name(failure->kind)).inc();
        if (pos) cool(subject, failure->kind);
        events.push_back(event(Kind::simulation_failed, probe, Hash{}, failure->text));
        (void)journal.record_decisions({DecisionRecord{head, subject, "simulation_failed", failure->text}});
        co_return;
      }
      note = "simulated without the allowance (dry run: the approval is not broadcast)";
    }
    metrics.stage(metrics::Stage::simulated, seconds_since(received));
    rpc::CallRequest request;
    request.from = self;
    request.to = to;
    request.data = data;
    std::uint64_t estimate = gas_hint;
    if (note.empty()) {
      auto gas = co_await client.estimate_gas(request);
      if (!gas) {
        events.push_back(event(Kind::simulation_failed, probe, Hash{}, "estimateGas: " + gas.error().message));
        co_return;
      }
      estimate = *gas;
    }
    const std::uint64_t limit = plan::gas_limit_with_margin(estimate, options.gas_margin_bps);
    auto fees = choose_fees(limit, profit_wei(profit_usd, book));
    if (!fees) {
      events.push_back(event(Kind::simulation_failed, probe, Hash{}, "fees: " + fees.error().message()));
      co_return;
    }
    co_await submit_new(kind, subject, pos, to, std::move(data), limit, *fees, profit_usd, received, events, note,
                        pulls);
  }

  awaitable<void> execute(const rpc::BlockHeader& block, const book::PositionBook& book, const plan::Plan& plan,
                          Clock::time_point received, std::vector<ExecutorEvent>& events) {
    // The caller journals the plan's decisions (after sending: off the hot path).
    if (stopped) co_return;
    // Approve once, ahead of need: every token held, for each protocol, so that the first liquidation after a
    // price move does not wait a block for its approval.
    for (const auto& [token, amount] : balances) {
      if (amount.is_zero()) continue;
      for (const Address& spender : {options.aave_pool, options.morpho})
        if (spender != Address{}) co_await ensure_approval(token, spender, amount, received, events);
    }

    const std::uint64_t since = block.number > options.reorg_window ? block.number - options.reorg_window : 0;
    for (const auto& d : plan.decisions) {
      if (d.skip != plan::SkipReason::none || stopped) continue;
      const std::string subject = subject_of(d.key);
      if (liquidation_pending(subject)) continue;
      if (auto c = cooling.find(subject); c != cooling.end() && c->second > block.number) continue;
      if (auto active = journal.liquidation_active(subject, since); !active || *active) continue;
      const auto& o = d.order;
      Address to;
      Bytes data;
      if (d.key.protocol == Protocol::aave_v3) {
        to = options.aave_pool;
        data = plan::aave_liquidation_call(book.asset(o.collateral).address, book.asset(o.debt).address,
                                           d.key.account, o.debt_to_cover);
      } else {
        const morpho::Market* market = book.morpho_market(d.key.market);
        if (market == nullptr) continue;
        to = options.morpho;
        data = plan::morpho_liquidate(market->params, d.key.account, o.morpho_seized_assets, o.morpho_repaid_shares);
      }
      if (to == Address{}) continue;
      // The allowance needed: what is expected to be repaid (debtToCover may be U256 max, "up to the cap").
      const U256 needed = o.expected_debt_repaid.is_zero() ? o.debt_to_cover : o.expected_debt_repaid;
      const auto [ready, assumed] = co_await ensure_approval(book.asset(o.debt).address, to, needed, received, events);
      if (!ready) continue;  // the approval lands first; the liquidation goes next block
      co_await execute_one(TxKind::liquidation, subject, d.key, to, std::move(data), o.profit_usd, o.gas_units,
                           assumed, {book.asset(o.debt).address, needed}, book, received, events);
    }
    if (options.router == Address{}) co_return;
    for (const auto& sale : plan.sales) {
      if (stopped || sale.path.size() < 2 || sale.amount.is_zero()) continue;
      const std::string subject = to_checksum(sale.path.front());
      bool pending = false;
      for (const auto& [n, s] : slots)
        if (!s.included_block && s.original_kind == TxKind::sale && s.subject == subject) pending = true;
      if (pending) continue;
      const auto [ready, assumed] = co_await ensure_approval(sale.path.front(), options.router, sale.amount, received,
                                                             events);
      if (!ready) continue;
      Bytes data = plan::uniswap_v2_swap_exact_tokens_for_tokens(sale.amount, sale.min_out, sale.path, self,
                                                                  U256(block.timestamp + options.sale_deadline_seconds));
      co_await execute_one(TxKind::sale, subject, std::nullopt, options.router, std::move(data), 0.0, 200'000, assumed,
                           {sale.path.front(), sale.amount}, book, received, events);
    }
  }

  awaitable<rpc::RpcResult<void>> start() {
    if (auto held = journal.for_sale())
      for (const auto& [token, amount] : *held) seized[token] = amount;
    auto latest = co_await client.get_transaction_count(self, rpc::BlockTag::latest());
    if (!latest) co_return latest.error();
    auto pending = co_await client.get_transaction_count(self, rpc::BlockTag::pending());
    if (!pending) co_return pending.error();
    auto header = co_await client.get_block_by_number(rpc::BlockTag::latest());
    if (!header) co_return header.error();
    if (*header) {
      head = (*header)->number;
      const auto& h = **header;
      next_base_fee = h.base_fee_per_gas ? plan::next_base_fee(*h.base_fee_per_gas, h.gas_used, h.gas_limit) : U256{};
    }
    auto highest = journal.highest_nonce();
    if (!highest) co_return rpc::make_error(rpc::ErrorKind::invalid_argument, "journal", highest.error().message);
    nonces.sync(*pending, *highest);
    nonces.set_confirmed(*latest);

    auto open = journal.open_transactions();
    if (!open) co_return rpc::make_error(rpc::ErrorKind::invalid_argument, "journal", open.error().message);
    std::vector<ExecutorEvent> ignored;
    for (const TxRecord& record : *open) {
      auto decoded = decode_raw(record.raw);
      if (!decoded || !std::holds_alternative<SignedEip1559Transaction>(*decoded)) continue;
      Slot& slot = slots[record.nonce];
      const bool fresh = slot.hashes.empty();
      slot.nonce = record.nonce;
      slot.tx = std::get<SignedEip1559Transaction>(*decoded).tx;
      slot.current = record.hash;
      slot.raw = record.raw;
      slot.kind = record.kind;
      slot.last_sent_block = head;
      slot.received = Clock::now();
      if (fresh) {
        // Every transaction ever sent at this nonce may still be mined.
        if (auto all = journal.transactions_with_nonce(record.nonce))
          for (const auto& t : *all) {
            slot.hashes.push_back({t.hash, t.kind});
            if (t.kind != TxKind::cancel && slot.subject.empty()) {
              slot.subject = t.subject;
              slot.original_kind = t.kind;
              slot.profit_usd = t.expected_profit_usd;
              slot.decided_block = t.decided_block;
            }
          }
        if (slot.hashes.empty()) slot.hashes.push_back({record.hash, record.kind});
        if (slot.subject.empty()) slot.original_kind = record.kind;
      }
      if (slot.original_kind == TxKind::liquidation) slot.key = parse_subject(slot.subject);
      if (record.kind == TxKind::approval && slot.tx.to) {
        slot.approval = std::pair{*slot.tx.to, approve_spender(slot.tx.data).value_or(Address{})};
        approvals[*slot.approval] = Approval::pending;
      }
      // Same bytes again: harmless if the node has it, needed if it never got it.
      const Broadcast b = co_await send_raw(record.raw);
      if (b.accepted && record.status == TxStatus::signed_) (void)journal.set_status(record.hash, TxStatus::sent);
    }
    // A nonce journaled but held by nothing open (refused, or dropped) would block every later transaction.
    if (!options.dry_run)
      for (std::uint64_t n = *pending; n < nonces.next(); ++n)
        if (!slots.contains(n)) co_await fill_gap(n, Clock::now(), ignored);
    metrics.in_flight.set(static_cast<double>(open_count()));
    co_return rpc::RpcResult<void>{};
  }

  awaitable<rpc::RpcResult<void>> refresh_balances(const book::PositionBook& book, std::uint64_t block) {
    std::vector<rpc::RawCall> calls;
    std::vector<book::AssetId> ids;
    for (std::size_t i = 0; i < book.asset_count(); ++i) {
      rpc::CallRequest request;
      request.to = book.asset(static_cast<book::AssetId>(i)).address;
      request.data = plan::erc20_balance_of(self);
      calls.push_back(rpc::requests::call(request, rpc::BlockTag(block)));
      ids.push_back(static_cast<book::AssetId>(i));
    }
    if (calls.empty()) co_return rpc::RpcResult<void>{};
    auto results = co_await client.batch(std::move(calls));
    if (!results) co_return results.error();
    balance_ids.clear();
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const auto& r = (*results)[i];
      if (!r) co_return r.error();
      auto bytes = rpc::decode_bytes_result(client.parser(), *r, "eth_call");
      if (!bytes) co_return bytes.error();
      if (bytes->size() != 32) continue;
      const U256 amount = U256::from_be(ByteView(bytes->data(), 32)).value_or(U256{});
      balances[book.asset(ids[i]).address] = amount;
      if (!amount.is_zero()) balance_ids.emplace_back(ids[i], amount);
    }
    for_sale_ids.clear();
    for (const auto& [token, amount] : seized)
      if (const auto id = book.find_asset(token); id && !amount.is_zero())
        for_sale_ids.emplace_back(*id, std::min(amount, balances[token]));
    co_return rpc::RpcResult<void>{};
  }
};

Executor::Executor(rpc::Client& client, std::vector<std::unique_ptr<rpc::Client>> broadcast, PrivateKey key,
                   Journal& journal, metrics::KeeperMetrics& metrics, ExecutorOptions options)
    : impl_(std::make_unique<Impl>(client, std::move(broadcast), std::move(key), journal, metrics,
                                   std::move(options))) {}

Executor::~Executor() = default;

const Address& Executor::address() const noexcept { return impl_->self; }

boost::asio::awaitable<rpc::RpcResult<void>> Executor::start() { return impl_->start(); }

boost::asio::awaitable<rpc::RpcResult<void>> Executor::refresh_balances(const book::PositionBook& book,
                                                                         std::uint64_t block) {
  return impl_->refresh_balances(book, block);
}

plan::KeeperState Executor::state(std::uint64_t block) const {
  plan::KeeperState s;
  s.balances = impl_->balance_ids;
  s.for_sale = impl_->for_sale_ids;
  for (const auto& [n, slot] : impl_->slots)
    if (!slot.included_block && slot.original_kind == TxKind::liquidation && slot.key) {
      s.in_flight.push_back(*slot.key);
      ++s.in_flight_count;
    }
  for (const auto& [subject, until] : impl_->cooling)
    if (until > block)
      if (auto key = parse_subject(subject)) s.cooling.emplace_back(*key, until);
  return s;
}

boost::asio::awaitable<std::vector<ExecutorEvent>> Executor::on_block(const rpc::BlockHeader& head,
                                                                      const std::vector<rpc::Log>& logs,
                                                                      const book::PositionBook& book,
                                                                      const plan::Plan& plan,
                                                                      std::chrono::steady_clock::time_point received) {
  Impl& m = *impl_;
  m.head = head.number;
  m.next_base_fee =
      head.base_fee_per_gas ? plan::next_base_fee(*head.base_fee_per_gas, head.gas_used, head.gas_limit) : U256{};
  m.fee_policy = m.options.fees;
  std::vector<double> percentiles{50.0, 90.0, 100.0};  // 100: the highest tip each block paid
  auto history = co_await m.client.fee_history(kFeeHistoryBlocks, rpc::BlockTag(head.number), std::move(percentiles));
  if (history)
    m.fee_policy.priority_fee = plan::policy_tip(m.options.fees.priority_fee, history->reward, m.own_tips);
  m.remember_tip(m.fee_policy.priority_fee);
  std::vector<ExecutorEvent> events;
  co_await m.track(book, logs, events);
  co_await m.execute(head, book, plan, received, events);
  m.metrics.in_flight.set(static_cast<double>(m.open_count()));
  co_return events;
}

void Executor::stop_new_work() noexcept { impl_->stopped = true; }
bool Executor::idle() const noexcept { return impl_->open_count() == 0; }
std::uint32_t Executor::in_flight() const noexcept { return impl_->open_count(); }

}  // namespace sluice::keeper
