#include "strategy/book/closed_form.hpp"

#include <cmath>

namespace sluice::book {

double to_double(const U256& v) noexcept {
  double out = 0.0;
  for (int i = 3; i >= 0; --i) out = out * 18446744073709551616.0 + static_cast<double>(v.limbs[static_cast<unsigned>(i)]);
  return out;
}

std::optional<double> aave_liquidation_price(double A, double a, double B, double b) noexcept {
  // A + a p = B + b p  =>  p = (B - A) / (a - b).
  const double slope = a - b;
  if (slope == 0.0) return std::nullopt;
  const double p = (B - A) / slope;
  if (!(p > 0.0) || !std::isfinite(p)) return std::nullopt;
  return p;
}

std::optional<double> morpho_liquidation_oracle_price(const U256& borrowed, const U256& collateral,
                                                      const U256& lltv) noexcept {
  if (borrowed.is_zero() || collateral.is_zero() || lltv.is_zero()) return std::nullopt;
  const double p = to_double(borrowed) * 1e36 * 1e18 / (to_double(collateral) * to_double(lltv));
  if (!std::isfinite(p)) return std::nullopt;
  return p;
}

double morpho_oracle_to_usd(double oracle_price, unsigned collateral_decimals, unsigned loan_decimals,
                            double loan_usd) noexcept {
  return oracle_price / 1e36 * std::pow(10.0, static_cast<double>(collateral_decimals) -
                                                   static_cast<double>(loan_decimals)) * loan_usd;
}

}  // namespace sluice::book
