#pragma once
/// `sluice scan`'s output, as a pure function of the position book's views and its asset table.
///
/// Table (one row per position, sorted by health factor, lowest first; ties by protocol, market, account):
///   PROTOCOL  MARKET  ACCOUNT  COLLATERAL_USD  DEBT_USD  HF  MAIN  LIQ_PRICE  DISTANCE  LIQ  GROSS_PROFIT_USD
/// MARKET is the Morpho market id's first 4 bytes ("0xceedfe34"), "-" for Aave; HF is the exact WAD truncated to
/// 6 decimals ("inf" without debt); MAIN is the main collateral (largest in USD), LIQ_PRICE its USD price at which
/// the health factor reaches 1 (others fixed) and DISTANCE how far that is from the current price; GROSS_PROFIT_USD
/// is the best single liquidation's seized value minus repaid value, before gas. A summary line ends the table.
///
/// JSON: an array, one object per position in the same order:
///   {"protocol":"aave-v3"|"morpho-blue","account":"0x<EIP-55>","market":"0x<id>"|null,
///    "health_factor":"0.976470588235294117"|null,"health_factor_wad":"976470588235294117"|null,
///    "collateral_usd":20000.00,"debt_usd":17000.00,"liquidatable":true,
///    "liquidation_prices":{"WETH":2048.1928},"liquidation_distances":{"WETH":-0.024096},
///    "liquidation_sides":{"WETH":"below"},
///    "best_liquidation":{"collateral":"WETH","debt":"USDC","debt_repaid":"8500000000",
///                        "collateral_seized":"4462500000000000000","gross_profit_usd":425.00}}
/// health_factor is the exact WAD as a decimal string (all 18 decimals); a position without debt has null for both
/// health factor fields (not "inf": consumers parse the field as a number). best_liquidation is present only when
/// the position is liquidatable; amounts are native units as decimal strings. USD values have 2 decimals, prices 8
/// significant digits, distances 6 decimals (a fraction: -0.25 is a 25% fall). A side is "below" when the position
/// is liquidatable at prices below its liquidation price, "above" when the asset is net debt in it (only a rise
/// crosses).

#include "strategy/book/position_book.hpp"

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace sluice::cli {

struct ScanReportOptions {
  bool json = false;
  double min_health_factor = 0.0;  ///< keep positions with HF >= this
  double max_health_factor = std::numeric_limits<double>::infinity();  ///< keep HF <= this (debt-free: infinite)
};

/// The exact WAD as a decimal: "0.976470588235294117" (18 decimals, none dropped).
std::string wad_to_decimal(const U256& wad);

/// True when the view has no debt (its health factor is infinite).
bool debt_free(const book::PositionView& view) noexcept;

/// The positions `options` keeps, sorted by health factor (lowest first; ties by protocol, market, account).
std::vector<book::PositionView> select_positions(std::vector<book::PositionView> views,
                                                 const ScanReportOptions& options);

/// The whole output (table with summary line, or JSON array), newline-terminated. `assets` is indexed by AssetId.
std::string render_scan(std::vector<book::PositionView> views, std::span<const book::Asset> assets,
                        const ScanReportOptions& options);

}  // namespace sluice::cli
