#pragma once
/// `sluice backtest`: replays blocks [from, to] of an archive node through the daemon's strategy code and compares
/// with what happened (strategy/backtest/report.hpp says what the report holds and its block conventions).
///
/// Per block b (from..to), in order:
/// 1. the on-chain LiquidationCall / Liquidate events of b go to the matcher; for each, Sluice's order for that
///    position is sized on the book at b - 1 (the daemon's decision on head b - 1), and simulated with eth_call at
///    block tag b - 1 with block overrides (number b, time and base fee of b): the state the event's transaction ran on when
///    nothing before it in b touched the position or its prices (`same_state`);
/// 2. the book: the logs of b applied (`BookLoader::apply_logs`), touched accounts re-read at b
///    (`BookLoader::refresh`), the clock at b's timestamp (no read at all for a block without followed logs);
/// 3. the pools at b (re-read only when a pool's Sync log is in b), the simulated keeper's state, `plan::plan_block`
///    exactly as the daemon calls it (same planner config, gas model from b's header);
/// 4. each taken liquidation simulated with eth_call at block tag b, from the keeper address, with state overrides
///    giving it the inventory it would hold (ERC-20 balance and allowances: erc20_override.hpp);
/// 5. the matcher and the simulated keeper are told; the block's point is added to the series.
/// Headers come in batches and logs in chunks (one eth_getLogs per chunk for the book's filter, the liquidation
/// events and the pools' Sync), so a range without events costs a few calls per thousand blocks.

#include "chain/rpc/client.hpp"
#include "config/keeper_config.hpp"
#include "strategy/backtest/report.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::keeper {

struct BacktestOptions {
  std::uint64_t from_block = 0;
  std::uint64_t to_block = 0;  ///< inclusive
  /// The address liquidations are simulated from: --address, else [backtest] address, else [signer] address,
  /// else a fixed address with no code and no history (0x5100...5100).
  std::optional<Address> keeper;
  /// Starting inventory, symbol -> whole-token decimal amount ("250000", "1.5"); --inventory overrides
  /// [backtest] inventory per symbol. Empty: unlimited inventory in every asset.
  std::vector<std::pair<std::string, std::string>> inventory;
  bool simulate = true;                ///< eth_call every taken decision (--no-simulate: the planner's amounts)
  std::string cascade_coupling = "full";  ///< the cascade check's coupling (as `sluice cascade --coupling`)
  std::uint64_t chunk_blocks = 2000;   ///< blocks per eth_getLogs / header batch
};

/// Called with (0, total) once the book is loaded, then after each block with (blocks done, blocks total).
using BacktestProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Runs the backtest. A failure is one line naming what was wrong (RPC method, block, config key).
boost::asio::awaitable<boost::system::result<backtest::Report, std::string>> run_backtest(
    rpc::Client& client, const config::KeeperConfig& config, const BacktestOptions& options,
    BacktestProgress progress = {});

}  // namespace sluice::keeper
