#pragma once
// The 100,000-position book of the benchmarks (80% Aave accounts with 1-3 reserves of the fixture market, 20%
// Morpho positions in 3 USDC markets), generated with a fixed seed; shared by position_book_bench and
// cascade_bench.
#include "strategy/book/position_book.hpp"
#include "tests/unit/strategy/book_fixture.hpp"

#include <algorithm>
#include <random>
#include <vector>

namespace sluice::test::bench {

using namespace sluice::book;
using namespace sluice::test::book;

constexpr std::uint64_t kT0 = 1'700'000'000;
constexpr std::uint32_t kPositions = 100'000;
constexpr std::uint32_t kAave = kPositions * 4 / 5;

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

inline void fill(Fixture& f) {
  std::mt19937_64 rng(42);
  auto market = aave_market(kT0, &rng);
  f.book.set_aave_market(market);
  set_usd_prices(f.book);
  f.markets = {morpho_market(kWeth, 860, kT0), morpho_market(kWbtc, 770, kT0), morpho_market(kWsteth, 945, kT0)};
  for (auto& m : f.markets) {
    m.borrow_rate = U256{1'000'000'000ULL + rng() % 5'000'000'000ULL};
    f.book.upsert_morpho_market(m);
  }
  for (std::uint32_t i = 0; i < kAave; ++i) {
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
  for (std::uint32_t i = 0; i < kPositions - kAave; ++i) {
    const auto mi = rng() % f.markets.size();
    const auto coll = mi == 0 ? kWeth : mi == 1 ? kWbtc : kWsteth;
    morpho::Position p;
    p.collateral = amount(rng, kReserveSpecs[coll].decimals, 1'000'000ULL * 100'000'000ULL / kReserveSpecs[coll].price + 1);
    p.borrow_shares = amount(rng, 6, 500'000) * U256{1'000'000};
    f.book.upsert_morpho_position(f.markets[mi].id, address_of(0x20, i), p);
  }
}

}  // namespace sluice::test::bench
