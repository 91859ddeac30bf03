#pragma once
// A small Aave v3 market for the unit tests: WETH (id 0, 18 decimals, eMode category 1) and USDC (id 1,
// 6 decimals), USD base currency (1e8), indexes at 1 ray and updated at the snapshot's timestamp, so amounts are
// exactly the balances. Tests change what they need.

#include "chain/fixed_point.hpp"
#include "strategy/aave/math.hpp"

#include <cstdint>

namespace sluice::aave::test {

inline constexpr std::uint64_t kNow = 1'800'000'000;
inline const U256 kUsd = pow10(8);  ///< one dollar in base currency units
inline constexpr std::uint16_t kWeth = 0;
inline constexpr std::uint16_t kUsdc = 1;

inline Address address_of(std::uint8_t tag) {
  Address a;
  a.bytes[19] = tag;
  return a;
}

inline ReserveConfig reserve_config(std::uint16_t ltv, std::uint16_t lt, std::uint16_t bonus, std::uint8_t decimals,
                                    std::uint16_t protocol_fee, std::uint8_t emode) {
  ReserveConfig c;
  c.ltv_bps = ltv;
  c.liquidation_threshold_bps = lt;
  c.liquidation_bonus_bps = bonus;
  c.decimals = decimals;
  c.active = true;
  c.borrowing_enabled = true;
  c.liquidation_protocol_fee_bps = protocol_fee;
  c.emode_category = emode;
  return c;
}

inline Reserve reserve(std::uint16_t id, const char* symbol, const ReserveConfig& config) {
  Reserve r;
  r.asset = address_of(static_cast<std::uint8_t>(0x10 + id));
  r.id = id;
  r.symbol = symbol;
  r.config = config;
  r.liquidity_index = kRay;
  r.variable_borrow_index = kRay;
  r.last_update_timestamp = kNow;
  return r;
}

/// WETH at $2,000 (LTV 80.5%, LT 83%, bonus 5%, protocol fee 10%), USDC at $1 (LTV 75%, LT 85%, bonus 4.5%).
inline MarketSnapshot market() {
  MarketSnapshot m;
  m.reserves.push_back(reserve(kWeth, "WETH", reserve_config(8050, 8300, 10500, 18, 1000, 1)));
  m.reserves.push_back(reserve(kUsdc, "USDC", reserve_config(7500, 8500, 10450, 6, 1000, 0)));
  m.prices = {U256{2000} * kUsd, kUsd};
  m.base_currency_unit = kUsd;
  m.timestamp = kNow;
  m.block = 100;
  return m;
}

/// A user supplying `weth` wei of WETH as collateral and borrowing `usdc` (6 decimals) at the variable rate.
inline UserState borrower(const U256& weth, const U256& usdc) {
  UserState u;
  u.account = address_of(0xaa);
  if (!weth.is_zero()) {
    u.config.bitmap |= U256{1} << (2 * kWeth + 1);
    u.reserves.push_back(UserReserve{kWeth, weth, U256{}, {}});
  }
  if (!usdc.is_zero()) {
    u.config.bitmap |= U256{1} << (2 * kUsdc);
    u.reserves.push_back(UserReserve{kUsdc, U256{}, usdc, {}});
  }
  return u;
}

inline U256 ether(std::uint64_t n) { return U256{n} * kWad; }
inline U256 usdc(std::uint64_t n) { return U256{n} * pow10(6); }

}  // namespace sluice::aave::test
