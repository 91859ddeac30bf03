#pragma once
/// The backtest's cascade check (report.hpp CascadeCheck), pure: the cascade engine run on the book at the start
/// of the crash against the liquidation volume that followed on chain.

#include "strategy/backtest/report.hpp"
#include "strategy/risk/cascade.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::keeper {

/// The block before the first block of `blocks` with a liquidatable position (nullopt: none).
std::optional<std::uint64_t> crash_start(const std::vector<backtest::BlockPoint>& blocks);

struct CascadeInputs {
  const book::PositionBook* start_book = nullptr;  ///< the book at the end of the start block
  risk::MarketModel model;  ///< pools at the start block, sell_for, the configured coupling
  std::uint64_t start_block = 0;
  std::vector<std::string> price_assets;            ///< Report::price_assets
  std::vector<std::optional<book::AssetId>> asset_ids;  ///< per price asset, in the start book
};

/// Fills the check: the asset whose price fell most from the start (book) price to its minimum in `blocks` after
/// the start, the other price assets moving with it as they did (betas: their drawdown / its drawdown at the same
/// block, 0.1% steps); the engine's cascade for the move at its lowest point with the model's coupling (one
/// shock); per block from the start, the path prediction (the engine with coupling none at that block's drawdowns,
/// one run per distinct set; a position counts from the first block whose run liquidates it, with the debt repaid
/// in that run) against the cumulative debt repaid on chain since the start. `ran` stays false when no asset fell.
backtest::CascadeCheck cascade_check(const CascadeInputs& in, const std::vector<backtest::BlockPoint>& blocks,
                                     const std::vector<backtest::ActualLiquidation>& actual);

}  // namespace sluice::keeper
