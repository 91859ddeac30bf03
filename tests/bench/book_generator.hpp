#pragma once
// The 100,000-position book of the benchmarks (80% Aave accounts with 1-3 reserves of the fixture market, 20%
// Morpho positions in 3 USDC markets), generated with a fixed seed; shared by position_book_bench and
// cascade_bench. fill() draws balances independently, so about a quarter of the positions are liquidatable at
// the book's prices (a stress book); make_realistic() then rescales every debt to a health factor drawn as the
// devnet seeds its borrowers (none liquidatable, as on chain, where such positions are liquidated within blocks).
#include "strategy/book/position_book.hpp"
#include "strategy/risk/cascade.hpp"
#include "tests/unit/strategy/book_fixture.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace sluice::test::bench {

using namespace sluice::book;
using namespace sluice::test::book;

constexpr std::uint64_t kT0 = 1'700'000'000;
constexpr std::uint32_t kPositions = 100'000;

struct Fixture {
  PositionBook book;
  std::vector<morpho::Market> markets;
  double bytes_per_position = 0.0;
  double fill_ms = 0.0;
  std::uint64_t clock = kT0;
};

inline U256 amount(std::mt19937_64& rng, std::uint8_t decimals, std::uint64_t max_whole) {
  return tokens(1 + rng() % max_whole, decimals, rng() % 1'000'000);
}

/// Sets every Morpho market's totals from its positions, as the contract keeps them: total borrow shares the sum of
/// the positions' shares, borrow assets at the fixture's 1e6 shares per unit, and twice as much supplied. (Totals
/// smaller than the positions' sum make liquidations underflow them and revert, as the contract's would.)
inline void balance_morpho_markets(Fixture& f) {
  sluice::book::ViewFilter all;
  all.best_liquidation = false;
  std::vector<U256> shares(f.markets.size());
  for (const auto& v : f.book.view(all)) {
    if (v.key.protocol != Protocol::morpho_blue) continue;
    const auto* p = f.book.morpho_position(v.key.market, v.key.account);
    for (std::size_t i = 0; i < f.markets.size(); ++i)
      if (p != nullptr && f.markets[i].id == v.key.market) shares[i] = shares[i] + p->borrow_shares;
  }
  const U256 per_unit{1'000'000};
  for (std::size_t i = 0; i < f.markets.size(); ++i) {
    auto& m = f.markets[i];
    m.state.total_borrow_shares = shares[i];
    m.state.total_borrow_assets = shares[i] / per_unit;
    m.state.total_supply_assets = m.state.total_borrow_assets * U256{2};
    m.state.total_supply_shares = m.state.total_supply_assets * per_unit;
    f.book.upsert_morpho_market(m);
  }
}

/// `positions`: the book's size (80% Aave, 20% Morpho); the benchmarks' default is kPositions.
inline void fill(Fixture& f, std::uint32_t positions = kPositions) {
  const std::uint32_t aave_count = positions * 4 / 5;
  std::mt19937_64 rng(42);
  auto market = aave_market(kT0, &rng);
  f.book.set_aave_market(market);
  set_usd_prices(f.book);
  f.markets = {morpho_market(kWeth, 860, kT0), morpho_market(kWbtc, 770, kT0), morpho_market(kWsteth, 945, kT0)};
  for (auto& m : f.markets) {
    m.borrow_rate = U256{1'000'000'000ULL + rng() % 5'000'000'000ULL};
    f.book.upsert_morpho_market(m);
  }
  for (std::uint32_t i = 0; i < aave_count; ++i) {
    aave::UserState u;
    u.account = address_of(0x10, i);
    u.emode_category = rng() % 10 == 0 ? 1 : 0;
    const unsigned legs = 1 + static_cast<unsigned>(rng() % 3);
    std::uint16_t r = static_cast<std::uint16_t>(rng() % std::size(kReserveSpecs));
    for (unsigned l = 0; l < legs; ++l, r = static_cast<std::uint16_t>((r + 1 + rng() % 2) % std::size(kReserveSpecs))) {
      if (u.reserve(r)) continue;
      aave::UserReserve ur;
      ur.reserve_id = r;
      const auto dec = kReserveSpecs[r].decimals;
      const auto whole = 1'000'000ULL * 100'000'000ULL / kReserveSpecs[r].price + 1;  // up to ~$1M
      if (l == 0 || rng() % 2) {
        ur.scaled_a_token = amount(rng, dec, whole);
        u.config.bitmap = u.config.bitmap | (U256{2} << (2u * r));
      }
      if (l > 0 || rng() % 4 == 0) {
        ur.scaled_variable_debt = amount(rng, dec, whole / 2 + 1);
        u.config.bitmap = u.config.bitmap | (U256{1} << (2u * r));
      }
      u.reserves.push_back(ur);
    }
    std::sort(u.reserves.begin(), u.reserves.end(),
              [](const auto& a, const auto& b) { return a.reserve_id < b.reserve_id; });
    f.book.upsert_aave_user(std::move(u));
  }
  for (std::uint32_t i = 0; i < positions - aave_count; ++i) {
    const auto mi = rng() % f.markets.size();
    const auto coll = mi == 0 ? kWeth : mi == 1 ? kWbtc : kWsteth;
    morpho::Position p;
    p.collateral = amount(rng, kReserveSpecs[coll].decimals, 1'000'000ULL * 100'000'000ULL / kReserveSpecs[coll].price + 1);
    p.borrow_shares = amount(rng, 6, 500'000) * U256{1'000'000};
    f.book.upsert_morpho_position(f.markets[mi].id, address_of(0x20, i), p);
  }
  balance_morpho_markets(f);
}

/// A target health factor drawn as scripts/devnet.d/borrowers.js draws them (drawHealthFactor): 10% in the tail
/// [1.005, 1.05), 75% in the body [1.05, 2) skewed toward its low end (u^1.5), 15% safe in [2, 4).
inline double draw_health_factor(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double band = u(rng) * 100.0;
  if (band < 10.0) return 1.005 + (1.05 - 1.005) * u(rng);
  if (band < 85.0) return 1.05 + (2.0 - 1.05) * std::pow(u(rng), 1.5);
  return 2.0 + (4.0 - 2.0) * u(rng);
}

/// Rescales every position's debt (Aave scaled variable debt, Morpho borrow shares) by its health factor over a
/// drawn target, so its health factor lands on the target (to ~1e-6, well above 1): no position is liquidatable
/// at the book's prices. Debt-free positions stay as they are.
inline void make_realistic(Fixture& f) {
  std::mt19937_64 rng(4242);
  const U256 kMicroWad{1'000'000'000'000ULL};  // 1e12: a target in millionths to WAD
  sluice::book::ViewFilter all;
  all.best_liquidation = false;
  for (const auto& v : f.book.view(all)) {
    if (!v.error.empty()) continue;
    const U256 target = U256{static_cast<std::uint64_t>(std::llround(draw_health_factor(rng) * 1e6))} * kMicroWad;
    const auto rescale = [&](const U256& x) { return mul_div_down(x, v.health_factor, target).value_or(x); };
    if (v.key.protocol == Protocol::aave_v3) {
      auto u = f.book.aave_user(v.key.account);
      if (!u) continue;
      for (auto& r : u->reserves) r.scaled_variable_debt = rescale(r.scaled_variable_debt);
      f.book.upsert_aave_user(std::move(*u));
    } else {
      const auto* p = f.book.morpho_position(v.key.market, v.key.account);
      if (!p) continue;
      auto copy = *p;
      copy.borrow_shares = rescale(copy.borrow_shares);
      f.book.upsert_morpho_position(v.key.market, v.key.account, copy);
    }
  }
  balance_morpho_markets(f);
}

/// The WETH/USDC and WBTC/USDC pools of the benchmarks (cascade, keeper latency), seized collateral sold for USDC.
inline risk::MarketModel pools_model() {
  risk::MarketModel model;
  // 200,000 WETH / 400M USDC at $2,000; 300 WBTC / 18M USDC at $60,000 (token0 is the lower address: 0xA0..00
  // WETH < 0xA0..01 USDC < 0xA0..02 WBTC).
  risk::Pool weth;
  weth.address = address_of(0xB0, 0);
  weth.token0 = address_of(0xA0, kWeth);
  weth.token1 = address_of(0xA0, kUsdc);
  weth.reserve0 = tokens(200'000, 18);
  weth.reserve1 = tokens(400'000'000, 6);
  weth.decimals0 = 18;
  weth.decimals1 = 6;
  risk::Pool wbtc;
  wbtc.address = address_of(0xB0, 1);
  wbtc.token0 = address_of(0xA0, kUsdc);
  wbtc.token1 = address_of(0xA0, kWbtc);
  wbtc.reserve0 = tokens(18'000'000, 6);
  wbtc.reserve1 = tokens(300, 8);
  wbtc.decimals0 = 6;
  wbtc.decimals1 = 8;
  model.pools = {weth, wbtc};
  model.sell_for = {{kWeth, kUsdc}, {kWbtc, kUsdc}};
  model.sell_only_listed = true;
  return model;
}

}  // namespace sluice::test::bench
