// Morpho.liquidate's maximal liquidation (liquidate_max_unhealthy's rule) in native 128-bit halves: the statements
// of liquidation.cpp's shares_for_seized, seized_for_shares and settle, each product in 256 bits and each quotient
// checked to fit in 128; anything else, and every revert, is left to the general code.
#include "chain/mul_add_div_128.hpp"
#include "strategy/morpho/checked.hpp"
#include "strategy/morpho/liquidation_detail.hpp"

namespace sluice::morpho::detail {
namespace {

constexpr uint128 kVirtualShares128 = 1'000'000;  ///< SharesMathLib.VIRTUAL_SHARES
constexpr uint128 kVirtualAssets128 = 1;          ///< SharesMathLib.VIRTUAL_ASSETS
constexpr uint128 kWad128 = 1'000'000'000'000'000'000ULL;

/// The market's totals and the position as native halves (the fields a liquidation reads and writes).
struct Narrow {
  uint128 supply_assets, borrow_assets, borrow_shares;  ///< the market's totals
  uint128 owed_shares, collateral;                      ///< the position's
};

/// SharesMathLib's amount x (total + virtual) / (other total + other virtual), rounded down or up; false when a
/// sum or the quotient leaves 128 bits.
bool convert(uint128 amount, uint128 numerator_total, uint128 numerator_virtual, uint128 denominator_total,
             uint128 denominator_virtual, bool round_up, uint128& out) noexcept {
  uint128 numerator, denominator;
  if (__builtin_add_overflow(numerator_total, numerator_virtual, &numerator) ||
      __builtin_add_overflow(denominator_total, denominator_virtual, &denominator))
    return false;
  return mul_add_div_128(amount, numerator, round_up ? denominator - 1 : 0, denominator, out);
}
bool to_assets_up(uint128 shares, const Narrow& m, uint128& out) noexcept {
  return convert(shares, m.borrow_assets, kVirtualAssets128, m.borrow_shares, kVirtualShares128, true, out);
}

/// settle(): the repaid assets, the updates, and the bad debt once the collateral is gone; false where a step
/// reverts (insufficient borrow, an underflow) or leaves 128 bits.
bool settle(Narrow m, uint128 seized, uint128 repaid_shares, const MarketState& state, const Position& position,
            LiquidationOutcome& out) noexcept {
  uint128 repaid_assets;
  if (!to_assets_up(repaid_shares, m, repaid_assets)) return false;
  if (repaid_shares > m.owed_shares || repaid_shares > m.borrow_shares || seized > m.collateral) return false;
  m.owed_shares -= repaid_shares;
  m.borrow_shares -= repaid_shares;
  m.borrow_assets = repaid_assets < m.borrow_assets ? m.borrow_assets - repaid_assets : 0;  // floored at zero
  m.collateral -= seized;
  uint128 bad_shares = 0, bad_assets = 0;
  if (m.collateral == 0) {
    bad_shares = m.owed_shares;
    uint128 owed;
    if (!to_assets_up(bad_shares, m, owed)) return false;
    bad_assets = owed < m.borrow_assets ? owed : m.borrow_assets;
    if (bad_assets > m.supply_assets || bad_shares > m.borrow_shares) return false;
    m.borrow_assets -= bad_assets;
    m.supply_assets -= bad_assets;
    m.borrow_shares -= bad_shares;
    m.owed_shares = 0;
  }
  out.seized_assets = from128(seized);
  out.repaid_shares = from128(repaid_shares);
  out.repaid_assets = from128(repaid_assets);
  out.bad_debt_shares = from128(bad_shares);
  out.bad_debt_assets = from128(bad_assets);
  out.state_after = state;
  out.state_after.total_supply_assets = from128(m.supply_assets);
  out.state_after.total_borrow_assets = from128(m.borrow_assets);
  out.state_after.total_borrow_shares = from128(m.borrow_shares);
  out.position_after = position;
  out.position_after.borrow_shares = from128(m.owed_shares);
  out.position_after.collateral = from128(m.collateral);
  return true;
}

}  // namespace

std::optional<LiquidationOutcome> narrow_max_unhealthy(const MarketState& accrued_state, const Position& position,
                                                       const U256& oracle_price, const U256& lif) noexcept {
  if (!fits128(accrued_state.total_supply_assets) || !fits128(accrued_state.total_borrow_assets) ||
      !fits128(accrued_state.total_borrow_shares) || !fits128(position.borrow_shares) ||
      !fits128(position.collateral) || !fits128(oracle_price) || !fits128(lif) || lif.is_zero())
    return std::nullopt;
  const Narrow m{to128(accrued_state.total_supply_assets), to128(accrued_state.total_borrow_assets),
                 to128(accrued_state.total_borrow_shares), to128(position.borrow_shares), to128(position.collateral)};
  const uint128 price = to128(oracle_price), factor = to128(lif);
  LiquidationOutcome out;
  if (m.collateral != 0) {
    // Seizing everything: its value in loan units rounded up, divided by the incentive (up), in shares (up).
    const auto& scale = kOraclePriceScaleDivisor;
    uint128 quoted, assets, shares;
    if (!mul_add_div_128(m.collateral, price, scale.value() - 1, scale, quoted) ||
        !mul_add_div_128(quoted, kWad128, factor - 1, factor, assets) ||
        !convert(assets, m.borrow_shares, kVirtualShares128, m.borrow_assets, kVirtualAssets128, true, shares))
      return std::nullopt;
    // More shares than owed: the contract's first attempt stops on insufficient borrow shares (its conversion of
    // 128-bit shares cannot fail first), and the rule makes the second.
    if (shares <= m.owed_shares) {
      if (settle(m, m.collateral, shares, accrued_state, position, out)) return out;
      return std::nullopt;
    }
  }
  // Repaying every share: their assets rounded down, times the incentive (down), in collateral (down).
  if (m.owed_shares == 0 || price == 0) return std::nullopt;  // inconsistent input, zero price: the general code's
  uint128 assets, with_incentive, seized;
  if (!convert(m.owed_shares, m.borrow_assets, kVirtualAssets128, m.borrow_shares, kVirtualShares128, false, assets) ||
      !mul_add_div_128(assets, factor, 0, kWadDivisor, with_incentive) ||
      !mul_add_div_128(with_incentive, kOraclePriceScaleDivisor.value(), 0, price, seized))
    return std::nullopt;
  if (settle(m, seized, m.owed_shares, accrued_state, position, out)) return out;
  return std::nullopt;
}

}  // namespace sluice::morpho::detail
