#include "strategy/morpho/checked.hpp"

namespace sluice::morpho {

namespace {

/// The accrual in Solidity's checked arithmetic; nullopt wherever the contract reverts (every such revert is an
/// overflow: a uint128 cast or sum, or a MathLib product).
std::optional<MarketState> accrue(const MarketState& state, const U256& borrow_rate, const U256& elapsed) noexcept {
  MarketState next = state;
  const auto growth = wad_taylor_compounded(borrow_rate, elapsed);
  if (!growth) return std::nullopt;
  const auto interest = wad_mul_down(state.total_borrow_assets, *growth);
  if (!interest) return std::nullopt;
  const auto borrow = detail::add_u128(state.total_borrow_assets, *interest);
  const auto supply = detail::add_u128(state.total_supply_assets, *interest);
  if (!borrow || !supply) return std::nullopt;
  next.total_borrow_assets = *borrow;
  next.total_supply_assets = *supply;

  if (!state.fee.is_zero()) {
    const auto fee_amount = wad_mul_down(*interest, state.fee);
    if (!fee_amount) return std::nullopt;
    // The new supply already holds the fee: the fee recipient's shares are priced on the supply without it.
    const auto supply_without_fee = checked_sub(*supply, *fee_amount);
    if (!supply_without_fee) return std::nullopt;
    const auto fee_shares = to_shares_down(*fee_amount, *supply_without_fee, state.total_supply_shares);
    if (!fee_shares) return std::nullopt;
    const auto shares = detail::add_u128(state.total_supply_shares, *fee_shares);
    if (!shares) return std::nullopt;
    next.total_supply_shares = *shares;
  }
  return next;
}

}  // namespace

// Morpho._accrueInterest. The borrow rate is the IRM's answer for the pre-accrual state (the caller reads
// borrowRateView at the state's block); a zero rate is what a market without an IRM accrues (nothing).
Result<MarketState> accrue_interest(const MarketState& state, const U256& borrow_rate,
                                    std::uint64_t timestamp) noexcept {
  if (timestamp <= state.last_update) return state;
  auto next = accrue(state, borrow_rate, U256{timestamp - state.last_update});
  if (!next) return MorphoError::overflow;
  next->last_update = timestamp;
  return *next;
}

}  // namespace sluice::morpho
