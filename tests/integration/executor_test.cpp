// Integration: the executor against a real devnet (anvil with the real Aave v3, Morpho Blue and Uniswap v2
// bytecode), block by block with automine off (the test mines with evm_mine, at pinned timestamps so that the book
// evaluated for the next block is exactly the state the transactions execute on):
//  - dry run: everything signed, nothing broadcast (txpool empty, nonce unchanged, journal rows dry_run);
//  - every liquidation taken lands, with the LiquidationCall / Liquidate amounts the order expected, approvals
//    sent once per token and spender, the journal final; a second executor started on the journal after the first
//    was destroyed mid-flight resumes tracking and sends nothing twice, reusing no nonce;
//  - a transaction priced out by a base-fee jump (anvil evicts it: the node lost it) is replaced with fees
//    >= +12.5% and lands; one stuck but still valid is bumped after replace_after_blocks and lands;
//  - a liquidation beaten in the same block by a rival is counted as lost;
//  - a pending liquidation whose position became healthy is cancelled by a self transfer at its nonce;
//  - a transaction journaled but never broadcast (crash between the two) is sent and tracked by a restart.
// The node is checked with a plain JSON-RPC client (tests/support/json_rpc.hpp), independent of Sluice's code.

#include "tests/integration/executor_world.hpp"

#include <map>
#include <set>
#include <string>

using namespace sluice;
using namespace sluice::test;
using namespace sluice::test::executor_world;

TEST_CASE("executor: dry run sends nothing; every liquidation lands as planned; a restart mid-flight sends nothing twice") {
  World w(40);
  REQUIRE(w.devnet.scenario({"step:WETH:-15"}).exit_code == 0);
  w.rpc.call_raw("evm_setAutomine", "[false]");
  const std::uint64_t nonce0 = w.nonce("latest");

  // ---- dry run ----
  {
    auto journal = w.journal("dry.sqlite");
    auto e = w.executor(*journal, w.options(true));
    Pinned p = w.book_for_next_block();
    const plan::Plan plan = planned(w, *e, p.book);
    REQUIRE(plan.taken() >= 2);
    const auto events = w.on_block(*e, p.book, plan);
    INFO(describe(events));
    const auto liquidations = of_kind(events, ExecutorEvent::Kind::would_send, TxKind::liquidation);
    CHECK(liquidations.size() >= 1);
    CHECK(of_kind(events, ExecutorEvent::Kind::would_send, TxKind::approval).size() >= 1);
    CHECK(of_kind(events, ExecutorEvent::Kind::sent).empty());
    CHECK(w.txpool() == std::pair<std::uint64_t, std::uint64_t>{0, 0});
    CHECK(w.nonce("pending") == nonce0);
    std::uint64_t dry = 0, other = 0;
    for (const auto& [status, n] : journal->status_counts().value()) (status == TxStatus::dry_run ? dry : other) += n;
    CHECK(other == 0);
    CHECK(dry == of_kind(events, ExecutorEvent::Kind::would_send).size());
    CHECK(w.metrics.would_send.value() == static_cast<double>(dry));
  }

  // ---- the real run ----
  auto journal = w.journal("journal.sqlite");
  std::map<std::string, plan::LiquidationOrder> sent_orders;
  std::set<std::string> sent_hashes;
  std::size_t approvals = 0;
  Pinned p2;
  plan::Plan plan2;
  {
    auto first = w.executor(*journal, w.options(false));
    // Block 1: approvals first (the devnet's liquidator has none); the liquidations wait for them.
    Pinned p1 = w.book_for_next_block();
    const plan::Plan plan1 = planned(w, *first, p1.book);
    const auto round1 = w.on_block(*first, p1.book, plan1);
    INFO(describe(round1));
    approvals = of_kind(round1, ExecutorEvent::Kind::sent, TxKind::approval).size();
    CHECK(approvals >= 1);
    CHECK(of_kind(round1, ExecutorEvent::Kind::sent, TxKind::liquidation).empty());
    w.mine(p1.timestamp);

    // Block 2: approvals included; every liquidation simulated, signed and sent.
    p2 = w.book_for_next_block();
    plan2 = planned(w, *first, p2.book);
    const auto round2 = w.on_block(*first, p2.book, plan2);
    INFO(describe(round2));
    CHECK(of_kind(round2, ExecutorEvent::Kind::included, TxKind::approval).size() == approvals);
    CHECK(of_kind(round2, ExecutorEvent::Kind::sent, TxKind::approval).empty());
    for (const auto& e : of_kind(round2, ExecutorEvent::Kind::sent, TxKind::liquidation)) {
      sent_hashes.insert(e.hash.hex());
      for (const auto& d : plan2.decisions)
        if (keeper::subject_of(d.key) == e.subject) sent_orders[e.subject] = d.order;
    }
    REQUIRE(sent_orders.size() >= 1);
    CHECK(sent_orders.size() == sent_hashes.size());
    CHECK(w.txpool().first == sent_hashes.size());
    // Crash: the first executor goes away with every liquidation in flight.
  }
  auto second = w.executor(*journal, w.options(false));
  CHECK(second->in_flight() == sent_hashes.size());
  const auto resumed = w.on_block(*second, p2.book, plan2);
  INFO(describe(resumed));
  CHECK(of_kind(resumed, ExecutorEvent::Kind::sent).empty());
  CHECK(w.txpool().first == sent_hashes.size());
  w.mine(p2.timestamp);
  const std::uint64_t landed_block = w.head().number;
  const auto round3 = w.on_block(*second, p2.book, plan2);
  INFO(describe(round3));
  std::set<std::string> included;
  for (const auto& e : of_kind(round3, ExecutorEvent::Kind::included, TxKind::liquidation)) included.insert(e.hash.hex());
  CHECK(included == sent_hashes);
  CHECK(of_kind(round3, ExecutorEvent::Kind::sent).empty());
  CHECK(second->idle());

  // The protocols' events: one liquidation per position sent, by us, for exactly the expected amounts.
  std::map<std::string, int> seen;
  for (const auto& log : w.liquidation_logs(landed_block)) {
    if (log.address == w.cfg.aave->pool) {
      const auto e = aave::events::decode_liquidation_call(log).value();
      CHECK(e.liquidator == w.liquidator);
      const std::string subject = keeper::subject_of(book::PositionKey{Protocol::aave_v3, e.user, {}});
      REQUIRE(sent_orders.count(subject) == 1);
      ++seen[subject];
      CHECK(e.debt_to_cover == sent_orders[subject].expected_debt_repaid);
      CHECK(e.liquidated_collateral_amount == sent_orders[subject].expected_collateral_seized);
    } else {
      const auto e = morpho::events::decode_liquidate(log).value();
      CHECK(e.caller == w.liquidator);
      const std::string subject = keeper::subject_of(book::PositionKey{Protocol::morpho_blue, e.borrower, e.market});
      REQUIRE(sent_orders.count(subject) == 1);
      ++seen[subject];
      INFO(subject);
      CHECK(e.repaid_assets == sent_orders[subject].expected_debt_repaid);
      CHECK(e.seized_assets == sent_orders[subject].expected_collateral_seized);
    }
  }
  CHECK(seen.size() == sent_orders.size());
  int aave_count = 0, morpho_count = 0;
  for (const auto& [subject, order] : sent_orders) (order.key.protocol == Protocol::aave_v3 ? aave_count : morpho_count)++;
  MESSAGE(sent_orders.size(), " liquidations landed (", aave_count, " Aave, ", morpho_count, " Morpho) of ",
          plan2.taken(), " taken; ", approvals, " approvals");
  CHECK(aave_count >= 1);
  CHECK(morpho_count >= 1);
  for (const auto& [subject, n] : seen) CHECK_MESSAGE(n == 1, subject);

  // Journal: nothing open, every transaction final, one transaction per nonce, the chain's nonce past them all.
  CHECK(journal->open_transactions().value().empty());
  for (const auto& h : sent_hashes) {
    const auto record = journal->find(Hash::from_hex(h).value()).value();
    REQUIRE(record.has_value());
    CHECK(record->status == TxStatus::included);
    CHECK(record->included_block == landed_block);
  }
  const std::uint64_t nonce_end = w.nonce("latest");
  CHECK(nonce_end == nonce0 + approvals + sent_hashes.size());
  std::size_t approval_rows = 0;
  for (std::uint64_t n = nonce0; n < nonce_end; ++n) {
    const auto at = journal->transactions_with_nonce(n).value();
    CHECK_MESSAGE(at.size() == 1, "nonce ", n);
    if (!at.empty() && at[0].kind == TxKind::approval) ++approval_rows;
  }
  CHECK(approval_rows == approvals);
  CHECK(w.metrics.wins.value() == static_cast<double>(sent_hashes.size()));
}

TEST_CASE("executor: replaced after a base-fee jump, beaten by a rival, cancelled when healthy again") {
  World w(40);
  // A rival liquidator (a fresh key), funded with ETH and with the liquidator's tokens before anything starts.
  const Bytes rival_secret = [] {
    const Hash h = keccak256(std::string_view("sluice executor test rival"));
    return Bytes(h.bytes.begin(), h.bytes.end());
  }();
  const PrivateKey rival = PrivateKey::from_bytes(rival_secret).value();
  const Address rival_address = address_of(rival);
  w.rpc.call_raw("anvil_setBalance", "[\"" + to_checksum(rival_address) + "\",\"0x3635c9adc5dea00000\"]");
  const std::string feed = w.devnet.at("/feeds/WETH");
  const std::string weth_answer = w.rpc.call("eth_call", "[{\"to\":\"" + feed + "\",\"data\":\"0x50d25bcd\"},\"latest\"]");
  REQUIRE(w.devnet.scenario({"step:WETH:-15"}).exit_code == 0);

  Pinned p0 = w.book_for_next_block();
  const plan::Plan all = hand_plan(p0.book);
  const plan::Decision* aave1 = nullptr;
  const plan::Decision* aave2 = nullptr;
  const plan::Decision* aave3 = nullptr;
  const plan::Decision* morpho1 = nullptr;
  for (const auto& d : all.decisions) {
    if (d.key.protocol == Protocol::aave_v3) {
      if (aave1 == nullptr) aave1 = &d;
      else if (aave2 == nullptr) aave2 = &d;
      else if (aave3 == nullptr) aave3 = &d;
    } else if (morpho1 == nullptr) {
      morpho1 = &d;
    }
  }
  REQUIRE(aave1 != nullptr);
  REQUIRE(aave2 != nullptr);
  REQUIRE(aave3 != nullptr);
  REQUIRE(morpho1 != nullptr);
  // The rival gets the Morpho position's loan token (twice what it repays) and approves Morpho (automine is on).
  const Address loan = p0.book.asset(morpho1->order.debt).address;
  const U256 gwei(1'000'000'000);
  w.rpc.wait_for_receipt(w.send_as(w.key(), loan,
                                   erc20_transfer(rival_address, morpho1->order.expected_debt_repaid * U256(2)),
                                   100'000, gwei, gwei * U256(100)));
  w.rpc.wait_for_receipt(w.send_as(rival, loan, plan::erc20_approve(w.cfg.morpho->morpho, U256::max()), 100'000, gwei,
                                   gwei * U256(100)));
  w.rpc.call_raw("evm_setAutomine", "[false]");

  auto journal = w.journal("journal.sqlite");
  auto e = w.executor(*journal, w.options(false));
  // Approvals for everything first.
  {
    Pinned p = w.book_for_next_block();
    plan::Plan three;
    for (const auto* d : {aave1, aave2, aave3, morpho1}) three.decisions.push_back(*d);
    // Only approvals can go out in this block (none is in place yet).
    const auto round = w.on_block(*e, p.book, three);
    INFO(describe(round));
    CHECK(of_kind(round, ExecutorEvent::Kind::sent, TxKind::liquidation).empty());
    CHECK(of_kind(round, ExecutorEvent::Kind::sent, TxKind::approval).size() >= 2);
    w.mine();
  }

  // ---- (d): priced out by a base-fee jump, replaced with >= +12.5% fees, lands ----
  {
    Pinned p = w.book_for_next_block();
    const auto sent = w.on_block(*e, p.book, only(p.book, aave1->key));
    INFO(describe(sent));
    const auto liquidation = of_kind(sent, ExecutorEvent::Kind::sent, TxKind::liquidation);
    REQUIRE(liquidation.size() == 1);
    const auto old = journal->find(liquidation[0].hash).value().value();
    // The next block's base fee twice the transaction's max fee: anvil evicts it when mining.
    w.rpc.call_raw("anvil_setNextBlockBaseFeePerGas", "[" + quantity((old.max_fee_per_gas * U256(2)).limbs[0]) + "]");
    w.mine();
    const auto bumped = w.on_block(*e, p.book, plan::Plan{});
    INFO(describe(bumped));
    const auto replaced = of_kind(bumped, ExecutorEvent::Kind::replaced);
    REQUIRE(replaced.size() == 1);
    CHECK(replaced[0].nonce == old.nonce);
    const auto fresh = journal->find(replaced[0].hash).value().value();
    MESSAGE("max fee ", old.max_fee_per_gas.to_dec(), " -> ", fresh.max_fee_per_gas.to_dec(), ", tip ",
            old.max_priority_fee_per_gas.to_dec(), " -> ", fresh.max_priority_fee_per_gas.to_dec());
    CHECK(fresh.max_fee_per_gas * U256(8) >= old.max_fee_per_gas * U256(9));
    CHECK(fresh.max_priority_fee_per_gas * U256(8) >= old.max_priority_fee_per_gas * U256(9));
    const auto superseded = journal->find(old.hash).value().value();
    CHECK(superseded.status == TxStatus::replaced);
    CHECK(superseded.replaced_by == fresh.hash);
    w.mine();
    const auto landed = w.on_block(*e, p.book, plan::Plan{});
    INFO(describe(landed));
    const auto included = of_kind(landed, ExecutorEvent::Kind::included, TxKind::liquidation);
    REQUIRE(included.size() == 1);
    CHECK(included[0].hash == fresh.hash);
    CHECK(journal->find(fresh.hash).value()->status == TxStatus::included);
    CHECK(w.metrics.replacements.value() == 1.0);
  }

  // ---- a rival liquidates the same Morpho position first, in the same block: counted as a loss ----
  {
    Pinned p = w.book_for_next_block();
    const plan::Plan mine_only = hand_plan(p.book);
    const plan::Decision* target = nullptr;
    for (const auto& d : mine_only.decisions)
      if (d.key == morpho1->key) target = &d;
    REQUIRE(target != nullptr);
    const auto sent = w.on_block(*e, p.book, only(*target));
    INFO(describe(sent));
    REQUIRE(of_kind(sent, ExecutorEvent::Kind::sent, TxKind::liquidation).size() == 1);
    const morpho::Market* market = p.book.morpho_market(target->key.market);
    REQUIRE(market != nullptr);
    // Same liquidation, higher tip: ordered first in the block.
    w.send_as(rival, w.cfg.morpho->morpho,
              plan::morpho_liquidate(market->params, target->key.account, target->order.morpho_seized_assets,
                                     target->order.morpho_repaid_shares),
              1'000'000, gwei * U256(50), gwei * U256(500));
    w.mine(p.timestamp);
    const auto after = w.on_block(*e, p.book, plan::Plan{});
    INFO(describe(after));
    CHECK(of_kind(after, ExecutorEvent::Kind::lost_to_rival).size() == 1);
    CHECK(of_kind(after, ExecutorEvent::Kind::reverted, TxKind::liquidation).size() == 1);
    CHECK(w.metrics.losses_to_rivals.value() == 1.0);
    CHECK(w.metrics.wins.value() == 1.0);
  }

  // ---- stuck but still valid (blocks too small for it): bumped after replace_after_blocks, lands later ----
  {
    Pinned p = w.book_for_next_block();
    const auto sent = w.on_block(*e, p.book, only(p.book, aave3->key));
    INFO(describe(sent));
    const auto liquidation = of_kind(sent, ExecutorEvent::Kind::sent, TxKind::liquidation);
    REQUIRE(liquidation.size() == 1);
    const auto old = journal->find(liquidation[0].hash).value().value();
    // One block too small for its gas limit (anvil keeps it pending); then the usual limit again (anvil refuses
    // new transactions above the block gas limit, the replacement included).
    w.rpc.call_raw("evm_setBlockGasLimit", "[" + quantity(old.gas_limit * 9 / 10) + "]");
    w.mine();
    CHECK(journal->find(old.hash).value()->status == TxStatus::sent);
    w.rpc.call_raw("evm_setBlockGasLimit", "[" + quantity(30'000'000) + "]");
    const auto bumped = w.on_block(*e, p.book, plan::Plan{});
    INFO(describe(bumped));
    const auto replaced = of_kind(bumped, ExecutorEvent::Kind::replaced);
    REQUIRE(replaced.size() == 1);
    const auto fresh = journal->find(replaced[0].hash).value().value();
    CHECK(fresh.nonce == old.nonce);
    CHECK(fresh.max_fee_per_gas * U256(8) >= old.max_fee_per_gas * U256(9));
    CHECK(fresh.max_priority_fee_per_gas * U256(8) >= old.max_priority_fee_per_gas * U256(9));
    CHECK(journal->find(old.hash).value()->status == TxStatus::replaced);
    w.mine();
    const auto landed = w.on_block(*e, p.book, plan::Plan{});
    INFO(describe(landed));
    const auto included = of_kind(landed, ExecutorEvent::Kind::included, TxKind::liquidation);
    REQUIRE(included.size() == 1);
    CHECK(included[0].hash == fresh.hash);
    CHECK(w.metrics.replacements.value() == 2.0);
  }

  // ---- the position is healthy again while our liquidation is stuck: cancelled at its nonce ----
  {
    Pinned p = w.book_for_next_block();
    const auto sent = w.on_block(*e, p.book, only(p.book, aave2->key));
    INFO(describe(sent));
    const auto liquidation = of_kind(sent, ExecutorEvent::Kind::sent, TxKind::liquidation);
    REQUIRE(liquidation.size() == 1);
    const auto record = journal->find(liquidation[0].hash).value().value();
    // Blocks too small for it (anvil keeps it pending) but large enough for the feed update, a cancel and the
    // re-simulation (eth_call runs with the block's gas limit: 0.9 of ours is above the estimate, 0.8 of ours).
    REQUIRE(record.gas_limit * 9 / 10 > 160'000);
    w.rpc.call_raw("evm_setBlockGasLimit", "[" + quantity(record.gas_limit * 9 / 10) + "]");
    simdjson::dom::parser parser;
    const std::string owner_word = w.rpc.call("eth_call", "[{\"to\":\"" + feed + "\",\"data\":\"0x8da5cb5b\"},\"latest\"]");
    const std::string owner = "0x" + owner_word.substr(owner_word.size() - 40);
    w.rpc.call_raw("anvil_impersonateAccount", "[\"" + owner + "\"]");
    // updateAnswer(int256) back to the answer before the step.
    w.rpc.call("eth_sendTransaction", "[{\"from\":\"" + owner + "\",\"to\":\"" + feed + "\",\"gas\":\"0x249f0\"," +
                                          "\"maxFeePerGas\":\"0x174876e800\",\"maxPriorityFeePerGas\":\"0x3b9aca00\"," +
                                          "\"data\":\"0xa87a20ce" + weth_answer.substr(2) + "\"}]");
    w.mine();
    CHECK(journal->find(record.hash).value()->status == TxStatus::sent);
    const auto cancelled = w.on_block(*e, p.book, plan::Plan{});
    INFO(describe(cancelled));
    const auto cancels = of_kind(cancelled, ExecutorEvent::Kind::cancelled);
    REQUIRE(cancels.size() == 1);
    CHECK(cancels[0].nonce == record.nonce);
    CHECK_MESSAGE(cancels[0].detail.find("HEALTH_FACTOR_NOT_BELOW_THRESHOLD") != std::string::npos, cancels[0].detail);
    w.mine();
    const auto landed = w.on_block(*e, p.book, plan::Plan{});
    INFO(describe(landed));
    const auto included = of_kind(landed, ExecutorEvent::Kind::included, TxKind::cancel);
    REQUIRE(included.size() == 1);
    CHECK(included[0].hash == cancels[0].hash);
    // On chain: a 0-value transfer to ourselves at the liquidation's nonce.
    simdjson::dom::parser p2;
    const std::string body = w.rpc.call_raw("eth_getTransactionByHash", "[\"" + included[0].hash.hex() + "\"]");
    simdjson::dom::element tx = p2.parse(body)["result"];
    CHECK(parse_quantity(std::string(std::string_view(tx["nonce"]))) == record.nonce);
    CHECK(parse_address(std::string_view(tx["to"])).value() == w.liquidator);
    CHECK(parse_quantity(std::string(std::string_view(tx["value"]))) == 0);
    CHECK(journal->find(record.hash).value()->status == TxStatus::replaced);
    CHECK(e->idle());
  }

  // ---- write-ahead: journaled but never broadcast (a crash between the two): a restart sends and tracks it ----
  {
    e.reset();
    const std::uint64_t n = w.nonce("pending");
    Eip1559Transaction tx;
    tx.chain_id = w.cfg.chain.chain_id;
    tx.nonce = n;
    tx.max_priority_fee_per_gas = gwei;
    tx.max_fee_per_gas = gwei * U256(100);
    tx.gas_limit = 21'000;
    tx.to = w.liquidator;
    const SignedTransaction signed_tx(sign(tx, w.key()));
    keeper::TxRecord r;
    r.kind = TxKind::cancel;
    r.nonce = n;
    r.hash = transaction_hash(signed_tx);
    r.raw = encode_raw(signed_tx);
    r.max_fee_per_gas = tx.max_fee_per_gas;
    r.max_priority_fee_per_gas = tx.max_priority_fee_per_gas;
    r.gas_limit = tx.gas_limit;
    r.decided_block = w.head().number;
    r.status = TxStatus::signed_;
    REQUIRE(journal->insert_tx(r).has_value());
    CHECK(w.txpool().first == 0);
    auto restarted = w.executor(*journal, w.options(false));
    CHECK(restarted->in_flight() == 1);
    CHECK(w.txpool().first == 1);
    CHECK(journal->find(r.hash).value()->status == TxStatus::sent);
    w.mine();
    const auto landed = w.on_block(*restarted, p0.book, plan::Plan{});
    INFO(describe(landed));
    CHECK(of_kind(landed, ExecutorEvent::Kind::included, TxKind::cancel).size() == 1);
    CHECK(w.nonce("latest") == n + 1);
    CHECK(restarted->idle());
    CHECK(journal->open_transactions().value().empty());
  }
}
