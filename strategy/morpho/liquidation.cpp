#include "strategy/morpho/checked.hpp"
#include "strategy/morpho/health_detail.hpp"
#include "strategy/morpho/liquidation_detail.hpp"

namespace sluice::morpho {

namespace {

/// ConstantsLib.MAX_LIQUIDATION_INCENTIVE_FACTOR = 1.15e18 and LIQUIDATION_CURSOR = 0.3e18.
constexpr U256 kMaxLiquidationIncentiveFactor{1'150'000'000'000'000'000ULL};
constexpr U256 kLiquidationCursor{300'000'000'000'000'000ULL};

/// The repaid shares for `seized` collateral: its loan-token value rounded up, divided by the incentive (up),
/// converted to shares (up), so the liquidator never pays less than the seized collateral is worth.
std::optional<U256> shares_for_seized(const MarketState& s, const U256& seized, const U256& price,
                                      const U256& lif) noexcept {
  const auto quoted = checked_mul_div_up(seized, price, detail::oracle_price_scale_divisor());
  if (!quoted) return std::nullopt;
  const auto repaid_assets = wad_div_up(*quoted, lif);
  if (!repaid_assets) return std::nullopt;
  return to_shares_up(*repaid_assets, s.total_borrow_assets, s.total_borrow_shares);
}

/// The seized collateral for `repaid` shares: their assets rounded down, times the incentive (down), priced
/// in collateral (down). Price non-zero.
std::optional<U256> seized_for_shares(const MarketState& s, const U256& repaid, const U256& price,
                                      const U256& lif) noexcept {
  const auto assets = to_assets_down(repaid, s.total_borrow_assets, s.total_borrow_shares);
  if (!assets) return std::nullopt;
  const auto with_incentive = wad_mul_down(*assets, lif);
  if (!with_incentive) return std::nullopt;
  return checked_mul_div_down(*with_incentive, detail::kOraclePriceScale, price);
}

}  // namespace

// Morpho only enables lltv < WAD (enableLltv); an lltv above WAD, where the contract's WAD - lltv would revert,
// is treated as WAD (factor 1) so this stays total.
U256 liquidation_incentive_factor(const U256& lltv) noexcept {
  const U256 wad = sluice::kWad;
  const U256 gap = lltv < wad ? wad - lltv : U256{};
  const U256 cursor_part = *wad_mul_down(kLiquidationCursor, gap);  // 0.3e18 * (<= 1e18): no overflow
  const U256 factor = *wad_div_down(wad, wad - cursor_part);         // divisor >= 0.7e18
  return factor < kMaxLiquidationIncentiveFactor ? factor : kMaxLiquidationIncentiveFactor;
}

namespace {

/// The contract's statements once the seized assets and repaid shares are both known: the repaid assets, the
/// position's and market's updates, and bad debt when no collateral is left.
Result<LiquidationOutcome> settle(const MarketState& accrued_state, const Position& position, const U256& seized_assets,
                                  const U256& repaid_shares) noexcept {
  LiquidationOutcome out;
  out.seized_assets = seized_assets;
  out.repaid_shares = repaid_shares;
  const auto repaid_assets =
      to_assets_up(out.repaid_shares, accrued_state.total_borrow_assets, accrued_state.total_borrow_shares);
  if (!repaid_assets) return MorphoError::overflow;
  out.repaid_assets = *repaid_assets;

  MarketState& m = out.state_after;
  Position& p = out.position_after;
  m = accrued_state;
  p = position;
  if (const auto e = detail::sub_u128(p.borrow_shares, out.repaid_shares, MorphoError::insufficient_borrow)) return *e;
  if (const auto e = detail::sub_u128(m.total_borrow_shares, out.repaid_shares, MorphoError::overflow)) return *e;
  // repaidAssets may exceed the total by one (both rounded up): the contract floors the total at zero.
  const auto total_borrow = detail::to_u128(saturating_sub(m.total_borrow_assets, out.repaid_assets));
  if (!total_borrow) return MorphoError::overflow;
  m.total_borrow_assets = *total_borrow;
  if (const auto e = detail::sub_u128(p.collateral, out.seized_assets, MorphoError::insufficient_collateral)) return *e;

  if (p.collateral.is_zero()) {
    // No collateral left: the remaining debt is bad debt, written off against the suppliers.
    out.bad_debt_shares = p.borrow_shares;
    const auto owed = to_assets_up(out.bad_debt_shares, m.total_borrow_assets, m.total_borrow_shares);
    if (!owed) return MorphoError::overflow;
    out.bad_debt_assets = *owed < m.total_borrow_assets ? *owed : m.total_borrow_assets;
    // Each subtraction's revert is an overflow (a panic on underflow, or the cast).
    if (detail::sub_u128(m.total_borrow_assets, out.bad_debt_assets, MorphoError::overflow) ||
        detail::sub_u128(m.total_supply_assets, out.bad_debt_assets, MorphoError::overflow) ||
        detail::sub_u128(m.total_borrow_shares, out.bad_debt_shares, MorphoError::overflow))
      return MorphoError::overflow;
    p.borrow_shares = U256{};
  }
  return out;
}

/// liquidate() after its health check, for a position known unhealthy at `oracle_price`, with `lif` the market's
/// liquidation_incentive_factor: the contract's remaining statements (liquidate_max runs the check once for its
/// two attempts).
Result<LiquidationOutcome> liquidate_unhealthy(const MarketState& accrued_state, const Position& position,
                                               const U256& oracle_price, const U256& seized_assets,
                                               const U256& repaid_shares, const U256& lif) noexcept {
  if (seized_assets.is_zero() == repaid_shares.is_zero()) return MorphoError::inconsistent_input;
  if (!seized_assets.is_zero()) {
    const auto shares = shares_for_seized(accrued_state, seized_assets, oracle_price, lif);
    if (!shares) return MorphoError::overflow;
    return settle(accrued_state, position, seized_assets, *shares);
  }
  if (oracle_price.is_zero()) return MorphoError::zero_price;  // the contract divides by the price
  const auto seized = seized_for_shares(accrued_state, repaid_shares, oracle_price, lif);
  if (!seized) return MorphoError::overflow;
  return settle(accrued_state, position, *seized, repaid_shares);
}

}  // namespace

// Morpho.liquidate after _accrueInterest, statement by statement; each revert maps to the MorphoError of the
// check that fails first in the contract's order.
Result<LiquidationOutcome> liquidate(const MarketParams& params, const MarketState& accrued_state,
                                     const Position& position, const U256& oracle_price, const U256& seized_assets,
                                     const U256& repaid_shares) noexcept {
  if (seized_assets.is_zero() == repaid_shares.is_zero()) return MorphoError::inconsistent_input;
  const auto healthy = detail::healthy_at_price(params, accrued_state, position, oracle_price);
  if (!healthy) return healthy.error();
  if (*healthy) return MorphoError::healthy_position;
  return liquidate_unhealthy(accrued_state, position, oracle_price, seized_assets, repaid_shares,
                             liquidation_incentive_factor(params.lltv));
}

// Rule: seize all the collateral when the shares that costs fit in the position's borrow shares (the position
// is then closed, its remaining shares realised as bad debt); otherwise repay all the borrow shares. When seizing
// everything costs more shares than the position owes, repaying everything seizes strictly less than the
// collateral (the roundings of the two formulas both favour the protocol), so exactly one branch is always valid
// up to overflow. When both are valid (a rounding tie), seizing all is chosen: at least as much collateral for
// at most as many shares. A position with debt and no collateral cannot arise on chain (borrowing needs collateral
// and a liquidation that exhausts it clears the debt); for one, repaying all is tried and its error returned.
Result<LiquidationOutcome> liquidate_max(const MarketParams& params, const MarketState& accrued_state,
                                         const Position& position, const U256& oracle_price) noexcept {
  const auto healthy = detail::healthy_at_price(params, accrued_state, position, oracle_price);
  if (!healthy) return healthy.error();
  if (*healthy) return MorphoError::healthy_position;
  // Both attempts are liquidate() calls on the same state, position and price: its health check would answer as
  // above, so it is not run again.
  return liquidate_max_unhealthy(accrued_state, position, oracle_price, liquidation_incentive_factor(params.lltv));
}

Result<LiquidationOutcome> liquidate_max_unhealthy(const MarketState& accrued_state, const Position& position,
                                                   const U256& oracle_price, const U256& lif) noexcept {
  // The common market in native halves (liquidation_narrow.cpp); the statements below otherwise.
  if (auto narrow = detail::narrow_max_unhealthy(accrued_state, position, oracle_price, lif)) return *narrow;
  if (!position.collateral.is_zero()) {
    // Seizing everything: liquidate_unhealthy's first steps, the shares it costs.
    const auto shares = shares_for_seized(accrued_state, position.collateral, oracle_price, lif);
    if (!shares) return MorphoError::overflow;
    // More shares than the position owes: the attempt would stop on insufficient_borrow, after converting them
    // to assets, which cannot overflow first when the shares fit in uint128 (else the cast reverts: overflow) and
    // both totals are below 2^127 (the product stays below 2^255). Then it need not run.
    static constexpr U256 kBelow127 = U256{1} << 127;
    const bool fails_on_borrow = *shares <= detail::kUint128Max && *shares > position.borrow_shares &&
                                 accrued_state.total_borrow_assets < kBelow127 - U256{1} &&
                                 accrued_state.total_borrow_shares < kBelow127 - U256{1'000'000};
    if (!fails_on_borrow) {
      auto all_collateral = settle(accrued_state, position, position.collateral, *shares);
      if (all_collateral || all_collateral.error() != MorphoError::insufficient_borrow) return all_collateral;
    }
  }
  return liquidate_unhealthy(accrued_state, position, oracle_price, U256{}, position.borrow_shares, lif);
}

}  // namespace sluice::morpho
