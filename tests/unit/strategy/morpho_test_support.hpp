#pragma once
// Shared fixture of the Morpho unit tests: a USDC-like loan market (6 decimals) with round totals, so share
// conversions are exact divisions by 1e6 and every expected value can be followed by hand.

#include "strategy/morpho/math.hpp"

namespace sluice::morpho::test {

/// 10,000 USDC borrowed as 1e16 shares (Morpho's 1e6 shares per unit at the first deposit): with the virtual
/// amounts, toAssets(s) = s * (1e10 + 1) / (1e16 + 1e6) = s / 1e6 exactly in both roundings for whole multiples,
/// rounded down/up to the unit otherwise.
inline MarketState usdc_market() {
  MarketState s;
  s.total_supply_assets = U256{20'000'000'000ULL};
  s.total_supply_shares = U256{20'000'000'000ULL} * U256{1'000'000ULL};
  s.total_borrow_assets = U256{10'000'000'000ULL};
  s.total_borrow_shares = U256{10'000'000'000ULL} * U256{1'000'000ULL};
  s.last_update = 1'700'000'000;
  return s;
}

/// WETH collateral (18 decimals) against USDC at lltv 86%.
inline MarketParams weth_usdc_params() {
  MarketParams p;
  p.lltv = U256{860'000'000'000'000'000ULL};
  return p;
}

/// WETH at $2,000 and USDC at $1: 2000e8 * 10^(36 + 6 - 18) / 1e8 = 2e27 USDC units per WETH unit, scaled 1e36.
inline U256 weth_usdc_price() { return U256{2'000'000'000ULL} * U256{1'000'000'000'000'000'000ULL}; }

inline U256 weth(std::uint64_t milli) { return U256{milli} * U256{1'000'000'000'000'000ULL}; }
/// Borrow shares worth `usdc_units` USDC units in usdc_market().
inline U256 usdc_shares(std::uint64_t usdc_units) { return U256{usdc_units} * U256{1'000'000ULL}; }

}  // namespace sluice::morpho::test
