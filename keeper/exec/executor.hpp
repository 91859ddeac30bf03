#pragma once
/// The executor: turns the planner's orders into signed transactions and follows each to its end.
///
/// Each block (`on_block`), in order:
/// 1. Track: receipts of every open transaction (journal). Included -> win (liquidation) or done; reverted ->
///    reason decoded (plan::classify_revert on a replay at the parent block), candidate cools down by reason. Not
///    included after `replace_after_blocks` -> re-simulate; still profitable: replace (same nonce, fees
///    plan::bump >= +12.5%); no longer: cancel (0-value self transfer, same nonce, bumped fees). A rival's
///    liquidation of the same position in this block's logs (LiquidationCall / Liquidate by another liquidator)
///    -> loss to a rival, cancel ours if still pending. A transaction of ours the node no longer knows (a reorg
///    dropped it) is re-evaluated and re-sent if still valid.
/// 2. Execute: for each taken decision, in order, up to max_in_flight: build calldata (plan/calldata.hpp),
///    eth_call it on the latest state from the signer; a revert -> classified, cooled down, never sent. Then
///    estimateGas + margin, fees (plan::choose_fees, capped by the share of profit), reserve a nonce, sign,
///    journal (write-ahead), broadcast to every endpoint, journal `sent`. Approvals (once per token and spender,
///    max amount) go before the first liquidation or sale that needs them.
/// 3. Sales: the plan's SaleOrders through the Uniswap v2 router (simulated first, like liquidations).
/// In dry-run, everything up to and including signing happens; nothing is broadcast; the transaction is journaled
/// as `dry_run`, counted (would_send) and logged; its nonce is released.
#include "chain/address.hpp"
#include "chain/private_key.hpp"
#include "chain/rpc/client.hpp"
#include "keeper/exec/journal.hpp"
#include "keeper/exec/nonce_manager.hpp"
#include "keeper/metrics/keeper_metrics.hpp"
#include "strategy/book/position_book.hpp"
#include "strategy/plan/fees.hpp"
#include "strategy/plan/planner.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::keeper {

struct ExecutorOptions {
  bool dry_run = false;
  std::uint64_t chain_id = 0;       ///< the node's (checked by the caller against the config)
  Address aave_pool;                ///< zero when Aave is not configured
  Address morpho;                   ///< zero when Morpho is not configured
  Address router;                   ///< Uniswap v2 router (sales); zero: no sales
  Address wrapped_native;           ///< WETH: its book USD price converts profit to wei (fee cap); zero: no cap
  plan::FeePolicy fees;
  std::uint32_t gas_margin_bps = 2500;
  std::uint32_t replace_after_blocks = 2;  ///< blocks without inclusion before a bump
  std::uint32_t max_replacements = 6;
  std::uint32_t reorg_window = 64;         ///< blocks after which an inclusion is final
  std::uint32_t sale_deadline_seconds = 300;
  std::uint64_t cancel_gas = 21'000;       ///< a 0-value self transfer
};

/// What happened in one on_block call (logs, the demo's live lines, tests).
struct ExecutorEvent {
  enum class Kind { sent, would_send, included, reverted, replaced, cancelled, lost_to_rival, simulation_failed,
                    dropped_resent, waiting } kind = Kind::sent;
  TxKind tx_kind = TxKind::liquidation;
  std::string subject;
  Hash hash;
  std::uint64_t nonce = 0;
  std::uint64_t block = 0;
  double profit_usd = 0.0;
  std::string detail;
};
const char* event_kind_name(ExecutorEvent::Kind kind) noexcept;

class Executor {
 public:
  /// `client`: reads, simulation, estimates, receipts; `broadcast`: every configured endpoint
  /// (eth_sendRawTransaction to each; accepted when at least one accepts).
  Executor(rpc::Client& client, std::vector<std::unique_ptr<rpc::Client>> broadcast, PrivateKey key, Journal& journal,
           metrics::KeeperMetrics& metrics, ExecutorOptions options);
  ~Executor();

  const Address& address() const noexcept;

  /// On start: nonce sync (node pending count and journal), re-broadcast of every open journaled transaction
  /// (same raw bytes) and resumption of its tracking.
  boost::asio::awaitable<rpc::RpcResult<void>> start();

  /// Reads the keeper's balances of `tokens` at `block` (batched balanceOf) for the planner's KeeperState.
  boost::asio::awaitable<rpc::RpcResult<void>> refresh_balances(const book::PositionBook& book, std::uint64_t block);

  /// The planner's view of the keeper: balances, positions in flight, cool-downs.
  plan::KeeperState state(std::uint64_t block) const;

  /// One block: track, then execute `plan` (see above). `received` is when the head arrived (stage latencies).
  boost::asio::awaitable<std::vector<ExecutorEvent>> on_block(const rpc::BlockHeader& head,
                                                              const std::vector<rpc::Log>& logs,
                                                              const book::PositionBook& book, const plan::Plan& plan,
                                                              std::chrono::steady_clock::time_point received);

  /// Stop sending new work (SIGTERM); tracking continues through on_block until `idle()` or the caller exits
  /// (open transactions stay in the journal for the next start).
  void stop_new_work() noexcept;
  bool idle() const noexcept;
  std::uint32_t in_flight() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::keeper
