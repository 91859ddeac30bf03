#pragma once
/// Counters of the work the position book does, so tests can check that a price tick touches only the positions
/// exposed to the asset, and metrics can show the cost of each update.

#include <cstdint>

namespace sluice::book {

struct BookStats {
  std::uint64_t aave_evaluations = 0;     ///< exact Aave account evaluations (HF, totals)
  std::uint64_t aave_fallbacks = 0;       ///< of which went through aave::account_data (irregular accounts)
  std::uint64_t aave_wide_evaluations = 0;  ///< of which needed 256-bit sums (a 128-bit intermediate overflowed)
  std::uint64_t aave_balance_refreshes = 0;  ///< per-account native balances recomputed (clock, market, upsert)
  std::uint64_t aave_reserve_index_refreshes = 0;  ///< per-reserve normalized income/debt computations
  std::uint64_t morpho_evaluations = 0;   ///< exact Morpho health evaluations
  std::uint64_t morpho_market_accruals = 0;  ///< per-market interest accruals
  std::uint64_t usd_revaluations = 0;     ///< positions whose USD totals were recomputed
};

}  // namespace sluice::book
