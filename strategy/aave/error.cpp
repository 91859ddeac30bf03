#include "strategy/aave/math.hpp"

namespace sluice::aave {

const char* describe(AaveError e) noexcept {
  switch (e) {
    case AaveError::unknown_reserve: return "reserve id is not in the market snapshot";
    case AaveError::missing_price: return "no oracle price for a reserve the account uses";
    case AaveError::overflow: return "the Aave contracts would revert on overflow";
    case AaveError::health_factor_not_below_threshold: return "health factor is not below the threshold (Aave 45)";
    case AaveError::collateral_cannot_be_liquidated: return "the chosen collateral cannot be liquidated (Aave 46)";
    case AaveError::specified_currency_not_borrowed: return "user did not borrow the specified currency (Aave 47)";
    case AaveError::reserve_inactive: return "reserve is not active (Aave 27)";
    case AaveError::reserve_paused: return "reserve is paused (Aave 29)";
    case AaveError::invalid_burn_amount: return "debt to repay scales down to zero (Aave 25)";
    case AaveError::unknown_emode_category: return "the user's eMode category is not in the market snapshot";
  }
  return "unknown aave error";
}

}  // namespace sluice::aave
