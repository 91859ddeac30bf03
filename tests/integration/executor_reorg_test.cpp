// Integration: a reorg takes out a liquidation and the sale its seizure paid for (the executor against a real
// devnet, block by block with automine off, tests/integration/executor_world.hpp).
//
// The keeper holds no WETH of its own, so the sale of the WETH a Morpho liquidation seized can only succeed after
// that liquidation. A revert to a snapshot taken before the liquidation was mined drops both, and the pool is
// emptied: on the new branch the node knows neither. The liquidation, simulated again, still succeeds and is re-sent
// at once; the sale, simulated alone, fails (no WETH): it must neither be cancelled (it is still good once the
// liquidation lands: a cancel would throw that away) nor re-sent blindly, but wait, and be judged again once the
// liquidation is mined. Both land again at their own nonces, nothing is cancelled and no nonce is skipped or reused.

#include "tests/integration/executor_world.hpp"

using namespace sluice;
using namespace sluice::test::executor_world;

TEST_CASE("executor: after a reorg, a sale paid by a dropped liquidation's seizure waits for it, then goes again") {
  World w(40);
  REQUIRE(w.devnet.scenario({"step:WETH:-15"}).exit_code == 0);
  REQUIRE(w.cfg.uniswap_v2.has_value());
  const Address weth = w.cfg.token("WETH")->address;
  const Address usdc = w.cfg.token("USDC")->address;
  const Address router = w.cfg.uniswap_v2->router;
  const U256 gwei(1'000'000'000);
  // The keeper's own WETH goes away (automine is still on), and the router may pull WETH.
  const Address sink = parse_address("0x000000000000000000000000000000000000dEaD").value();
  w.rpc.wait_for_receipt(w.send_as(w.key(), weth, erc20_transfer(sink, w.balance_of(weth, w.liquidator)), 100'000,
                                   gwei, gwei * U256(100)));
  w.rpc.wait_for_receipt(
      w.send_as(w.key(), weth, plan::erc20_approve(router, U256::max()), 100'000, gwei, gwei * U256(100)));
  REQUIRE(w.balance_of(weth, w.liquidator).is_zero());
  w.rpc.call_raw("evm_setAutomine", "[false]");

  // A liquidatable Morpho position with WETH collateral.
  Pinned p0 = w.book_for_next_block();
  std::optional<book::PositionKey> key;
  for (const auto& d : hand_plan(p0.book).decisions)
    if (d.key.protocol == Protocol::morpho_blue && p0.book.asset(d.order.collateral).address == weth) key = d.key;
  REQUIRE(key.has_value());

  auto journal = w.journal("journal.sqlite");
  keeper::ExecutorOptions options = w.options(false);
  options.router = router;
  auto e = w.executor(*journal, options);
  // Block 1: the approvals of the tokens it holds (Morpho may pull USDC); the liquidation waits for them.
  const auto approving = w.on_block(*e, p0.book, only(p0.book, *key));
  INFO(describe(approving));
  REQUIRE(!of_kind(approving, ExecutorEvent::Kind::sent, TxKind::approval).empty());
  w.mine(p0.timestamp);

  // Block 2: the liquidation. The snapshot is the state it was decided on.
  Pinned p1 = w.book_for_next_block();
  const std::string snapshot = w.rpc.call("evm_snapshot", "[]");
  const std::uint64_t nonce_at_snapshot = w.nonce("latest");
  const auto sent = w.on_block(*e, p1.book, only(p1.book, *key));
  INFO(describe(sent));
  REQUIRE(of_kind(sent, ExecutorEvent::Kind::sent, TxKind::liquidation).size() == 1);
  w.mine(p1.timestamp);

  // Block 3: the liquidation landed; sell what it seized.
  Pinned p2 = w.book_for_next_block();
  const U256 seized = w.balance_of(weth, w.liquidator);
  REQUIRE(!seized.is_zero());
  plan::Plan sale;
  plan::SaleOrder order;
  order.asset = p2.book.find_asset(weth).value();
  order.proceeds = p2.book.find_asset(usdc).value();
  order.amount = seized;
  order.min_out = U256(1);
  order.path = {weth, usdc};
  sale.sales.push_back(order);
  const auto selling = w.on_block(*e, p2.book, sale);
  INFO(describe(selling));
  REQUIRE(of_kind(selling, ExecutorEvent::Kind::included, TxKind::liquidation).size() == 1);
  REQUIRE(of_kind(selling, ExecutorEvent::Kind::sent, TxKind::sale).size() == 1);
  w.mine(p2.timestamp);
  const auto sold = w.on_block(*e, w.book_for_next_block().book, plan::Plan{});
  INFO(describe(sold));
  REQUIRE(of_kind(sold, ExecutorEvent::Kind::included, TxKind::sale).size() == 1);
  REQUIRE(w.nonce("latest") == nonce_at_snapshot + 2);

  // The reorg: back to the snapshot (before the liquidation), the pool emptied, an empty block on the new branch.
  const std::string reverted = w.rpc.call_raw("evm_revert", "[\"" + snapshot + "\"]");
  REQUIRE_MESSAGE(reverted.find("\"result\":true") != std::string::npos, reverted);
  w.rpc.call_raw("anvil_dropAllTransactions", "[]");
  REQUIRE(w.nonce("latest") == nonce_at_snapshot);
  // The new branch's blocks at the old ones' times: the liquidation lands at the same time as before (the
  // interest its repaid shares carry, and so what it seizes, are the same), so the sale is as good as it was.
  w.mine(p1.timestamp - 6);

  std::vector<ExecutorEvent> after;
  std::uint64_t next_time = p1.timestamp;
  const auto step = [&] {
    const auto round = w.on_block(*e, w.book_for_next_block().book, plan::Plan{});
    after.insert(after.end(), round.begin(), round.end());
    w.mine(next_time);
    next_time += 12;
    return round;
  };
  const auto first = step();
  INFO(describe(first));
  CHECK(of_kind(first, ExecutorEvent::Kind::dropped_resent, TxKind::liquidation).size() == 1);
  CHECK(of_kind(first, ExecutorEvent::Kind::waiting, TxKind::sale).size() == 1);
  CHECK(of_kind(first, ExecutorEvent::Kind::dropped_resent, TxKind::sale).empty());
  const auto second = step();  // the liquidation is mined again; the sale now succeeds and goes again
  INFO(describe(second));
  CHECK(of_kind(second, ExecutorEvent::Kind::included, TxKind::liquidation).size() == 1);
  CHECK(of_kind(second, ExecutorEvent::Kind::dropped_resent, TxKind::sale).size() == 1);
  const auto third = step();
  INFO(describe(third));
  CHECK(of_kind(third, ExecutorEvent::Kind::included, TxKind::sale).size() == 1);

  CHECK(of_kind(after, ExecutorEvent::Kind::cancelled).empty());
  CHECK(of_kind(after, ExecutorEvent::Kind::reverted).empty());
  CHECK(w.nonce("latest") == nonce_at_snapshot + 2);
  CHECK(w.balance_of(weth, w.liquidator).is_zero());  // sold again
  CHECK(e->in_flight() == 0);
}
