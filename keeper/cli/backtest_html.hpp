#pragma once
/// `sluice backtest --html`: one self-contained HTML file (inline SVG and CSS; no scripts, no external fonts, no
/// network) with
/// - the summary table (the same lines as the terminal summary);
/// - the price path: one line chart per price asset, its USD price at the end of each block;
/// - liquidations per block: on-chain ones stacked by outcome (captured / missed / not applicable) next to the
///   liquidations Sluice took; ranges longer than 200 blocks are grouped into at most 200 bars of equal width
///   (the axis label says how many blocks a bar holds);
/// - predicted vs realized cascade: the engine's liquidated debt at each block's drawdown against the debt
///   liquidated on chain since the start of the crash (USD, per block);
/// - cumulative PnL (USD, per block);
/// - the per-liquidation table (a subset of the CSV's columns; the first 500 rows, with a note of how many are
///   left out: the CSV and JSON hold them all).
/// Line charts of more than 1,200 points keep the lowest and highest point of each of 600 equal slices (so a
/// crash's bottom is never thinned away). Pure and deterministic: a function of the report alone.

#include "strategy/backtest/report.hpp"

#include <cstddef>
#include <string>

namespace sluice::cli {

/// At most this many rows in the HTML per-liquidation table.
inline constexpr std::size_t kHtmlTableRows = 500;
/// At most this many bars in the liquidations-per-block chart.
inline constexpr std::size_t kHtmlMaxBars = 200;

/// The whole document, "<!DOCTYPE html>..." to "</html>\n".
std::string render_backtest_html(const backtest::Report& report);

}  // namespace sluice::cli
