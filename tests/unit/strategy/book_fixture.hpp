#pragma once
// Shared fixtures for the position book tests and benchmark: a small Aave v3 market (WETH, USDC, WBTC, wstETH,
// DAI, with an ETH-correlated eMode) and Morpho markets, in the protocols' own units.

#include "strategy/aave/types.hpp"
#include "strategy/book/position_book.hpp"
#include "strategy/morpho/types.hpp"

#include <cstdint>
#include <random>
#include <string>

namespace sluice::test::book {

inline Address address_of(std::uint8_t tag, std::uint32_t n = 0) {
  Address a;
  a.bytes[0] = tag;
  a.bytes[16] = static_cast<std::uint8_t>(n >> 24);
  a.bytes[17] = static_cast<std::uint8_t>(n >> 16);
  a.bytes[18] = static_cast<std::uint8_t>(n >> 8);
  a.bytes[19] = static_cast<std::uint8_t>(n);
  return a;
}

inline const U256 kRayU = U256{1'000'000'000'000'000'000ULL} * U256{1'000'000'000ULL};

enum ReserveIndex : std::uint16_t { kWeth = 0, kUsdc = 1, kWbtc = 2, kWsteth = 3, kDai = 4 };

struct ReserveSpec {
  const char* symbol;
  std::uint8_t decimals;
  std::uint16_t ltv, lt, bonus;
  std::uint8_t emode;
  std::uint64_t price;  // 1e8 USD
};

inline constexpr ReserveSpec kReserveSpecs[] = {
    {"WETH", 18, 8000, 8300, 10500, 1, 2000'00000000ULL},
    {"USDC", 6, 7500, 7800, 10450, 0, 1'00000000ULL},
    {"WBTC", 8, 7000, 7500, 10650, 0, 60000'00000000ULL},
    {"wstETH", 18, 6900, 7900, 10700, 1, 2300'00000000ULL},
    {"DAI", 18, 0, 7700, 10500, 0, 1'00000000ULL},  // LTV 0: collateral that counts for HF only
};

/// The Aave market at `timestamp`, every index 1 RAY and every rate zero unless `rng` randomizes them.
inline aave::MarketSnapshot aave_market(std::uint64_t timestamp, std::mt19937_64* rng = nullptr) {
  aave::MarketSnapshot m;
  m.base_currency_unit = U256{100'000'000ULL};
  m.timestamp = timestamp;
  m.block = 100;
  std::uint16_t id = 0;
  for (const auto& s : kReserveSpecs) {
    aave::Reserve r;
    r.asset = address_of(0xA0, id);
    r.id = id;
    r.symbol = s.symbol;
    r.config.ltv_bps = s.ltv;
    r.config.liquidation_threshold_bps = s.lt;
    r.config.liquidation_bonus_bps = s.bonus;
    r.config.decimals = s.decimals;
    r.config.active = true;
    r.config.borrowing_enabled = true;
    r.config.liquidation_protocol_fee_bps = 1000;
    r.config.emode_category = s.emode;
    r.liquidity_index = kRayU;
    r.variable_borrow_index = kRayU;
    r.last_update_timestamp = timestamp;
    if (rng) {
      // Indexes between 1 and ~1.5 RAY, rates up to ~30%/year, last update up to a day before.
      r.liquidity_index = kRayU + U256{(*rng)() % 500'000'000'000'000'000ULL} * U256{1'000'000'000ULL};
      r.variable_borrow_index = kRayU + U256{(*rng)() % 500'000'000'000'000'000ULL} * U256{1'000'000'000ULL};
      r.current_liquidity_rate = U256{(*rng)() % 300'000'000'000'000'000ULL} * U256{1'000'000'000ULL};
      r.current_variable_borrow_rate = U256{(*rng)() % 300'000'000'000'000'000ULL} * U256{1'000'000'000ULL};
      r.last_update_timestamp = timestamp - (*rng)() % 86400;
    }
    m.reserves.push_back(r);
    m.prices.push_back(U256{s.price});
    ++id;
  }
  aave::EModeCategory e;
  e.id = 1;
  e.ltv_bps = 9000;
  e.liquidation_threshold_bps = 9300;
  e.liquidation_bonus_bps = 10100;
  e.label = "ETH correlated";
  m.emodes.push_back(e);
  return m;
}

/// A user with the given reserves: (reserve id, scaled aToken used as collateral, scaled variable debt).
struct Leg {
  std::uint16_t reserve;
  U256 collateral;
  U256 debt;
};

inline aave::UserState aave_user(const Address& account, std::initializer_list<Leg> legs, std::uint8_t emode = 0) {
  aave::UserState u;
  u.account = account;
  u.emode_category = emode;
  for (const auto& l : legs) {
    aave::UserReserve r;
    r.reserve_id = l.reserve;
    r.scaled_a_token = l.collateral;
    r.scaled_variable_debt = l.debt;
    if (!l.collateral.is_zero()) u.config.bitmap = u.config.bitmap | (U256{2} << (2u * l.reserve));
    if (!l.debt.is_zero()) u.config.bitmap = u.config.bitmap | (U256{1} << (2u * l.reserve));
    u.reserves.push_back(r);
  }
  return u;
}

/// Amount of `whole` tokens plus `frac` millionths in native units.
inline U256 tokens(std::uint64_t whole, std::uint8_t decimals, std::uint64_t millionths = 0) {
  U256 unit = 1;
  for (unsigned i = 0; i < decimals; ++i) unit = unit * U256{10};
  U256 v = U256{whole} * unit;
  if (millionths) {
    U256 micro = 1;
    for (unsigned i = 0; i + 6 < decimals; ++i) micro = micro * U256{10};
    v = v + U256{millionths} * micro;
  }
  return v;
}

/// Interns the Aave reserves' assets with their USD prices (the same as the Aave oracle's).
inline void set_usd_prices(sluice::book::PositionBook& book) {
  std::uint16_t id = 0;
  for (const auto& s : kReserveSpecs) {
    const auto a = book.intern_asset(address_of(0xA0, id++), s.symbol, s.decimals);
    book.set_usd_price(a, U256{s.price});
  }
}

/// A Morpho market lending USDC against `collateral` (an Aave fixture reserve's asset), with `borrow_assets`
/// borrowed against as many shares x 1e6 (the initial SharesMathLib ratio).
inline morpho::Market morpho_market(std::uint16_t collateral, std::uint64_t lltv_millis, std::uint64_t last_update) {
  morpho::Market m;
  m.params.loan_token = address_of(0xA0, kUsdc);
  m.params.collateral_token = address_of(0xA0, collateral);
  m.params.oracle = address_of(0xB0, collateral);
  m.params.irm = address_of(0xB1);
  m.params.lltv = U256{lltv_millis} * U256{1'000'000'000'000'000ULL};
  m.id.bytes[0] = 0xC0;
  m.id.bytes[31] = static_cast<std::uint8_t>(collateral + lltv_millis);
  m.state.total_supply_assets = tokens(100'000'000, 6);
  m.state.total_supply_shares = tokens(100'000'000, 6) * U256{1'000'000};
  m.state.total_borrow_assets = tokens(50'000'000, 6);
  m.state.total_borrow_shares = tokens(50'000'000, 6) * U256{1'000'000};
  m.state.last_update = last_update;
  // Oracle: loan units per collateral unit x 1e36 = USD price ratio x 10^(6 - collateral decimals) x 1e36.
  const auto& spec = kReserveSpecs[collateral];
  U256 scale = U256{1};
  for (unsigned i = 0; i < 36u + 6u - spec.decimals; ++i) scale = scale * U256{10};
  m.oracle_price = U256{spec.price / 100'000'000ULL} * scale;
  return m;
}

/// A timestamp the fixtures accrue from (seconds).
inline constexpr std::uint64_t kT0 = 1'700'000'000;

/// A book holding the fixture's Aave market at kT0 and the fixture's USD prices.
inline sluice::book::PositionBook aave_book() {
  sluice::book::PositionBook book;
  book.set_aave_market(aave_market(kT0));
  set_usd_prices(book);
  return book;
}

inline sluice::book::PositionKey aave_key(const Address& a) { return {Protocol::aave_v3, a, {}}; }

}  // namespace sluice::test::book
