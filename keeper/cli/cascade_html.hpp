#pragma once
/// `sluice cascade --html`: one self-contained HTML file (inline SVG and CSS; no scripts, no external fonts, no
/// network) with
/// - for a grid, the cascade curve (shock -> liquidated debt and bad debt, USD); for one shock, the price path per
///   round (market and oracle);
/// - the liquidation map: debt that crosses per price bucket of the shocked asset, stacked per protocol;
/// - the round table (one shock, with its totals) or the cascade curve table (a grid).
/// Pure: a function of the same `CascadeReport` the text and JSON come from.

#include "keeper/cli/cascade_report.hpp"

#include <string>

namespace sluice::cli {

/// The whole document, "<!DOCTYPE html>..." to "</html>\n".
std::string render_cascade_html(const CascadeReport& report);

}  // namespace sluice::cli
