#include "strategy/aave/liquidation_price.hpp"

#include "chain/fixed_point.hpp"
#include "strategy/aave/detail.hpp"

#include <cmath>

namespace sluice::aave {

namespace {

long double to_long_double(const U256& v) noexcept {
  long double r = 0;
  for (int i = 3; i >= 0; --i) r = std::ldexp(r, 64) + static_cast<long double>(v.limbs[static_cast<std::size_t>(i)]);
  return r;
}

/// Largest integer price the exact search considers (far above any real oracle price).
const U256 kMaxPrice = U256{1} << 128;

/// The coefficients of HF(p) = (A + a p) / (B + b p), see the header.
struct Coefficients {
  long double A = 0, a = 0, B = 0, b = 0;
};

Result<Coefficients> coefficients(const MarketSnapshot& market, const UserState& user, std::uint16_t reserve_id,
                                  bool emode_source, const EModeCategory* category) noexcept {
  Coefficients c;
  for (std::size_t i = 0; i < market.reserves.size(); ++i) {
    const auto id = static_cast<std::uint16_t>(i);
    if (!user.config.is_using_as_collateral_or_borrowing(id)) continue;
    const Reserve& reserve = market.reserves[i];
    if (reserve.asset == Address{}) continue;
    const ReserveConfig& config = reserve.config;
    const bool in_emode = user.emode_category != 0 && config.emode_category == user.emode_category;
    const bool moving = emode_source ? in_emode : id == reserve_id;
    const long double unit = to_long_double(detail::asset_unit(config.decimals));
    long double price = 0;
    if (!moving) {
      SLUICE_AAVE_TRY(p, account_price(market, user, id));
      price = to_long_double(p);
    }
    const UserReserve& balances = detail::user_reserve(user, id);
    if (config.liquidation_threshold_bps != 0 && user.config.is_using_as_collateral(id)) {
      SLUICE_AAVE_TRY(balance, detail::collateral_balance(reserve, balances, market.timestamp));
      const long double lt =
          (in_emode && category != nullptr ? category->liquidation_threshold_bps : config.liquidation_threshold_bps) /
          10'000.0L;
      const long double weighted = to_long_double(balance) / unit * lt;
      (moving ? c.a : c.A) += moving ? weighted : weighted * price;
    }
    if (user.config.is_borrowing(id)) {
      SLUICE_AAVE_TRY(debt, detail::debt_balance(reserve, balances, market.timestamp));
      const long double amount = to_long_double(debt) / unit;
      (moving ? c.b : c.B) += moving ? amount : amount * price;
    }
  }
  return c;
}

/// The integer boundary of the exact health factor nearest `guess` (see LiquidationPrice::exact); nullopt when
/// there is none in [1, 2^128].
Result<std::optional<U256>> exact_crossing(const MarketSnapshot& market, const UserState& user,
                                           detail::PriceOverride override_price, bool liquidatable_below,
                                           long double guess) noexcept {
  // low(p): p is on the side of the crossing that small prices are on.
  auto low = [&](const U256& p) -> Result<bool> {
    override_price.price = p;
    const auto data = detail::account_data(market, user, &override_price);
    if (!data) return Result<bool>(boost::system::in_place_error, data.error());
    const bool liquidatable = data->health_factor < kWad;
    return liquidatable == liquidatable_below;
  };
  U256 g{1};
  if (guess >= 0x1p128L) {
    g = kMaxPrice;
  } else if (guess > 1) {
    const long double r = std::round(guess);
    g = U256{static_cast<std::uint64_t>(std::fmod(r, 0x1p64L)), static_cast<std::uint64_t>(r / 0x1p64L), 0, 0};
  }
  U256 lo, hi;
  SLUICE_AAVE_TRY(g_low, low(g));
  if (g_low) {
    lo = g;
    for (U256 step{1};; step <<= 1) {
      hi = g + step;
      if (hi > kMaxPrice) return std::optional<U256>{};
      SLUICE_AAVE_TRY(h_low, low(hi));
      if (!h_low) break;
      lo = hi;
    }
  } else {
    hi = g;
    for (U256 step{1};; step <<= 1) {
      lo = g > step + U256{1} ? g - step : U256{1};
      SLUICE_AAVE_TRY(l_low, low(lo));
      if (l_low) break;
      hi = lo;
      if (lo == U256{1}) {
        // Even price 1 is on the high side: nothing below it when liquidatable below, everything when above.
        if (liquidatable_below) return std::optional<U256>{};
        return std::optional<U256>{U256{1}};
      }
    }
  }
  while (hi - lo > U256{1}) {
    const U256 mid = lo + ((hi - lo) >> 1);
    SLUICE_AAVE_TRY(m_low, low(mid));
    (m_low ? lo : hi) = mid;
  }
  return std::optional<U256>{liquidatable_below ? lo : hi};
}

}  // namespace

Result<std::optional<LiquidationPrice>> liquidation_price(const MarketSnapshot& market, const UserState& user,
                                                          std::uint16_t reserve_id) noexcept {
  using Out = std::optional<LiquidationPrice>;
  SLUICE_AAVE_TRY(reserve, detail::reserve_at(market, reserve_id));
  const EModeCategory* category = nullptr;
  if (user.emode_category != 0) {
    category = market.emode(user.emode_category);
    if (category == nullptr) return AaveError::unknown_emode_category;
  }
  // Priced by the eMode source exactly when GenericLogic would use that price for it.
  const bool emode_source = category != nullptr && category->price_source != Address{} &&
                            !category->price.is_zero() && reserve->config.emode_category == user.emode_category;
  SLUICE_AAVE_TRY(c, coefficients(market, user, reserve_id, emode_source, category));
  if (c.a == c.b || (c.B == 0 && c.b == 0)) return Out{};
  const long double p = (c.B - c.A) / (c.a - c.b);
  if (!(p > 0) || !std::isfinite(p)) return Out{};

  LiquidationPrice out;
  out.price = p;
  out.liquidatable_below = c.a > c.b;
  out.emode_source = emode_source;
  detail::PriceOverride override_price{emode_source, reserve_id, U256{}};
  SLUICE_AAVE_TRY(exact, exact_crossing(market, user, override_price, out.liquidatable_below, p));
  if (!exact) return Out{};
  out.exact = *exact;
  return Out{out};
}

}  // namespace sluice::aave
