#pragma once
// The executor's integration harness (executor_test.cpp, executor_reorg_test.cpp): a devnet (anvil with the real
// Aave v3, Morpho Blue and Uniswap v2 bytecode) driven block by block with automine off, the executor on it, books
// pinned to the next block's clock, hand-made plans, and readers of the node's view (a plain JSON-RPC client,
// independent of Sluice's code).

#include "chain/keccak.hpp"
#include "chain/rpc/http_transport.hpp"
#include "chain/rpc/sync_client.hpp"
#include "chain/transaction.hpp"
#include "keeper/cli/book_at_block.hpp"
#include "keeper/exec/executor.hpp"
#include "keeper/exec/subject.hpp"
#include "keeper/metrics/registry.hpp"
#include "strategy/aave/events.hpp"
#include "strategy/morpho/events.hpp"
#include "strategy/plan/calldata.hpp"
#include "strategy/plan/planner.hpp"
#include "tests/support/devnet.hpp"
#include "tests/support/json_rpc.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>

namespace sluice::test::executor_world {

using keeper::ExecutorEvent;
using keeper::TxKind;
using keeper::TxStatus;

inline std::string quantity(std::uint64_t n) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "\"0x%llx\"", static_cast<unsigned long long>(n));
  return buffer;
}
inline std::uint64_t parse_quantity(const std::string& hex) { return std::stoull(hex, nullptr, 16); }

/// The liquidations of a book as the planner would take them (every liquidatable position with something to seize,
/// sized by the book's best liquidation: Aave debtToCover "max" (the close factor's cap), Morpho the branch
/// liquidate_max chose).
inline plan::Plan hand_plan(const book::PositionBook& book) {
  plan::Plan p;
  for (const auto& v : book.view()) {
    if (!v.liquidatable || !v.best_liquidation || v.bad_debt) continue;
    const auto& b = *v.best_liquidation;
    plan::Decision d;
    d.key = v.key;
    auto& o = d.order;
    o.key = v.key;
    o.collateral = b.collateral;
    o.debt = b.debt;
    o.expected_debt_repaid = b.debt_repaid;
    o.expected_collateral_seized = b.collateral_seized;
    o.profit_usd = b.gross_profit_usd;
    o.gas_units = 400'000;
    if (v.key.protocol == Protocol::aave_v3) {
      o.debt_to_cover = U256::max();
    } else {
      const morpho::Position* position = book.morpho_position(v.key.market, v.key.account);
      REQUIRE(position != nullptr);
      if (b.collateral_seized == position->collateral)
        o.morpho_seized_assets = position->collateral;
      else
        o.morpho_repaid_shares = position->borrow_shares;
      o.debt_to_cover = b.debt_repaid;
    }
    p.decisions.push_back(std::move(d));
  }
  return p;
}

inline plan::Plan only(const plan::Decision& d) {
  plan::Plan p;
  p.decisions.push_back(d);
  return p;
}

/// The decision for `key` in a plan of `book` (asset ids are the book's own).
inline plan::Plan only(const book::PositionBook& book, const book::PositionKey& key) {
  for (const auto& d : hand_plan(book).decisions)
    if (d.key == key) return only(d);
  FAIL("position no longer liquidatable: ", keeper::subject_of(key));
  return {};
}

/// ERC20.transfer(to, amount) calldata (selector a9059cbb: `cast sig "transfer(address,uint256)"`).
inline Bytes erc20_transfer(const Address& to, const U256& amount) {
  Bytes out = from_hex("0xa9059cbb").value();
  out.insert(out.end(), 12, 0);
  out.insert(out.end(), to.bytes.begin(), to.bytes.end());
  const auto be = amount.to_be();
  out.insert(out.end(), be.begin(), be.end());
  return out;
}

struct Pinned {
  book::PositionBook book;
  std::uint64_t timestamp = 0;  ///< of the next block (the book's clock)
};

struct World {
  Devnet devnet;
  std::string url = devnet.at("/rpc_http");
  RpcClient rpc{url};
  config::KeeperConfig cfg = cli::load_config_or_fail(devnet.dir() + "/sluice.toml");
  rpc::SyncClient sync{std::make_shared<rpc::HttpTransport>(url)};
  keeper::metrics::Registry registry;
  keeper::metrics::KeeperMetrics metrics{registry};
  Address liquidator = parse_address(devnet.at("/liquidator/address")).value();

  explicit World(int borrowers) : devnet(borrowers, 7) {}

  PrivateKey key() const { return PrivateKey::from_hex(devnet.at("/liquidator/private_key")).value(); }

  std::unique_ptr<keeper::Journal> journal(const std::string& name) {
    auto j = keeper::Journal::open(devnet.dir() + "/" + name, cfg.chain.chain_id, liquidator);
    REQUIRE_MESSAGE(j.has_value(), (j ? std::string() : j.error().message));
    return std::move(*j);
  }

  keeper::ExecutorOptions options(bool dry_run) const {
    keeper::ExecutorOptions o;
    o.dry_run = dry_run;
    o.chain_id = cfg.chain.chain_id;
    o.aave_pool = cfg.aave->pool;
    o.morpho = cfg.morpho->morpho;
    o.wrapped_native = cfg.token("WETH")->address;
    o.fees.priority_fee = U256(1'000'000'000);  // 1 gwei
    o.fees.max_fee_share_of_profit = 1.0;
    o.replace_after_blocks = 1;
    return o;
  }

  std::unique_ptr<keeper::Executor> executor(keeper::Journal& j, keeper::ExecutorOptions o) {
    // Two broadcast endpoints (the same node twice): the second answers "already imported", still accepted.
    std::vector<std::unique_ptr<rpc::Client>> broadcast;
    for (int i = 0; i < 2; ++i)
      broadcast.push_back(std::make_unique<rpc::Client>(std::make_shared<rpc::HttpTransport>(url)));
    auto e = std::make_unique<keeper::Executor>(sync.client(), std::move(broadcast), key(), j, metrics, o);
    auto started = sync.run([&](rpc::Client&) { return e->start(); });
    REQUIRE_MESSAGE(started.has_value(), (started ? std::string() : started.error().describe()));
    return e;
  }

  rpc::BlockHeader head() { return sync.get_block_by_number(rpc::BlockTag::latest()).value().value(); }

  /// The book at the head, evaluated at the next block's clock (block + 1, timestamp + 12 s, pinned on mining).
  Pinned book_for_next_block() {
    auto loaded = cli::load_book_at_block(sync, cfg, std::nullopt, "test");
    const rpc::BlockHeader h = head();
    Pinned p{std::move(loaded.book), h.timestamp + 12};
    p.book.set_clock(h.number + 1, p.timestamp);
    return p;
  }

  std::vector<rpc::Log> liquidation_logs(std::uint64_t block) {
    rpc::LogFilter f;
    f.addresses = {cfg.aave->pool, cfg.morpho->morpho};
    f.topics = {{aave::events::liquidation_call_topic(), morpho::events::liquidate_topic()}};
    f.from_block = rpc::BlockTag(block);
    f.to_block = rpc::BlockTag(block);
    return sync.get_logs(f).value();
  }

  std::vector<ExecutorEvent> on_block(keeper::Executor& e, const book::PositionBook& book, const plan::Plan& plan) {
    const rpc::BlockHeader h = head();
    const auto logs = liquidation_logs(h.number);
    return sync.run([&](rpc::Client&) { return e.on_block(h, logs, book, plan, std::chrono::steady_clock::now()); });
  }

  void mine(std::optional<std::uint64_t> timestamp = std::nullopt) {
    if (timestamp) rpc.call_raw("evm_setNextBlockTimestamp", "[" + std::to_string(*timestamp) + "]");
    rpc.call_raw("evm_mine", "[]");
  }

  std::uint64_t nonce(const char* tag) {
    return parse_quantity(rpc.call("eth_getTransactionCount", "[\"" + to_checksum(liquidator) + "\",\"" + tag + "\"]"));
  }

  std::pair<std::uint64_t, std::uint64_t> txpool() {
    simdjson::dom::parser parser;
    const std::string body = rpc.call_raw("txpool_status", "[]");
    simdjson::dom::element r = parser.parse(body)["result"];
    return {parse_quantity(std::string(std::string_view(r["pending"]))),
            parse_quantity(std::string(std::string_view(r["queued"])))};
  }

  /// ERC20.balanceOf(owner) of `token` at the head.
  U256 balance_of(const Address& token, const Address& owner) {
    const std::string word = rpc.call("eth_call", "[{\"to\":\"" + to_checksum(token) + "\",\"data\":\"" +
                                                      to_hex(plan::erc20_balance_of(owner)) + "\"},\"latest\"]");
    return U256::from_be(from_hex(word).value()).value();
  }

  /// Signs with `k` (our transaction code) and sends; returns the hash.
  std::string send_as(const PrivateKey& k, const Address& to, Bytes data, std::uint64_t gas, const U256& tip,
                      const U256& max_fee) {
    const Address from = address_of(k);
    Eip1559Transaction tx;
    tx.chain_id = cfg.chain.chain_id;
    tx.nonce = parse_quantity(rpc.call("eth_getTransactionCount", "[\"" + to_checksum(from) + "\",\"pending\"]"));
    tx.max_priority_fee_per_gas = tip;
    tx.max_fee_per_gas = max_fee;
    tx.gas_limit = gas;
    tx.to = to;
    tx.data = std::move(data);
    const Bytes raw = encode_raw(SignedTransaction(sign(tx, k)));
    return rpc.call("eth_sendRawTransaction", "[\"" + to_hex(raw) + "\"]");
  }
};

/// The planner's decision (plan::plan_block) on `book` with the executor's own view of the keeper (balances read
/// at the head, positions in flight): collateral kept (no sales), any profit, no in-flight limit.
inline plan::Plan planned(World& w, keeper::Executor& e, const book::PositionBook& book) {
  const std::uint64_t block = w.head().number;
  auto refreshed = w.sync.run([&](rpc::Client&) { return e.refresh_balances(book, block); });
  REQUIRE_MESSAGE(refreshed.has_value(), (refreshed ? std::string() : refreshed.error().describe()));
  plan::PlannerConfig config;
  config.min_profit_usd = 0.0;
  config.max_in_flight = 1000;
  config.dispose = plan::Dispose::keep;
  plan::GasModel gas;
  gas.base_fee = U256(1'000'000'000);
  gas.priority_fee = U256(1'000'000'000);
  gas.native = book.find_asset(w.cfg.token("WETH")->address).value();
  auto p = plan::plan_block(book, risk::MarketModel{}, config, gas, e.state(block));
  REQUIRE_MESSAGE(p.has_value(), (p ? std::string() : p.error().message()));
  return std::move(*p);
}

inline std::vector<ExecutorEvent> of_kind(const std::vector<ExecutorEvent>& events, ExecutorEvent::Kind kind,
                                   std::optional<TxKind> tx_kind = std::nullopt) {
  std::vector<ExecutorEvent> out;
  for (const auto& e : events)
    if (e.kind == kind && (!tx_kind || e.tx_kind == *tx_kind)) out.push_back(e);
  return out;
}

inline std::string describe(const std::vector<ExecutorEvent>& events) {
  std::string out;
  for (const auto& e : events)
    out += std::string(keeper::event_kind_name(e.kind)) + " " + keeper::tx_kind_name(e.tx_kind) + " " + e.subject +
           " nonce " + std::to_string(e.nonce) + " " + e.detail + "\n";
  return out;
}

}  // namespace sluice::test::executor_world
