#pragma once
// A random position book for benchmarks (the position book, cascade and throttle benchmarks share it): 80% Aave
// accounts with 1-3 reserves of the book_fixture market (indexes and rates randomized, 10% in the ETH eMode),
// 20% Morpho positions in three USDC markets (WETH, WBTC, wstETH collateral), amounts up to ~$1M. Deterministic
// (mt19937_64 seeded with 42). Far more distressed than a real market: ~23% of the positions are liquidatable.

#include "strategy/book/position_book.hpp"
#include "tests/unit/strategy/book_fixture.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <vector>

namespace sluice::test::book {

inline constexpr std::uint64_t kBenchT0 = 1'700'000'000;

inline U256 random_amount(std::mt19937_64& rng, std::uint8_t decimals, std::uint64_t max_whole) {
  return tokens(1 + rng() % max_whole, decimals, rng() % 1'000'000);
}

/// Fills `book` with `positions` positions (4/5 Aave) and returns the Morpho markets it created.
inline std::vector<morpho::Market> fill_random_book(sluice::book::PositionBook& book, std::uint32_t positions) {
  std::mt19937_64 rng(42);
  const std::uint32_t aave_count = positions * 4 / 5;
  auto market = aave_market(kBenchT0, &rng);
  book.set_aave_market(market);
  set_usd_prices(book);
  std::vector<morpho::Market> markets = {morpho_market(kWeth, 860, kBenchT0), morpho_market(kWbtc, 770, kBenchT0),
                                         morpho_market(kWsteth, 945, kBenchT0)};
  for (auto& m : markets) {
    m.borrow_rate = U256{1'000'000'000ULL + rng() % 5'000'000'000ULL};
    book.upsert_morpho_market(m);
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
        ur.scaled_a_token = random_amount(rng, dec, whole);
        u.config.bitmap = u.config.bitmap | (U256{2} << (2u * r));
      }
      if (l > 0 || rng() % 4 == 0) {
        ur.scaled_variable_debt = random_amount(rng, dec, whole / 2 + 1);
        u.config.bitmap = u.config.bitmap | (U256{1} << (2u * r));
      }
      u.reserves.push_back(ur);
    }
    std::sort(u.reserves.begin(), u.reserves.end(),
              [](const auto& a, const auto& b) { return a.reserve_id < b.reserve_id; });
    book.upsert_aave_user(std::move(u));
  }
  for (std::uint32_t i = 0; i < positions - aave_count; ++i) {
    const auto mi = rng() % markets.size();
    const auto coll = mi == 0 ? kWeth : mi == 1 ? kWbtc : kWsteth;
    morpho::Position p;
    p.collateral = random_amount(rng, kReserveSpecs[coll].decimals,
                                 1'000'000ULL * 100'000'000ULL / kReserveSpecs[coll].price + 1);
    p.borrow_shares = random_amount(rng, 6, 500'000) * U256{1'000'000};
    book.upsert_morpho_position(markets[mi].id, address_of(0x20, i), p);
  }
  return markets;
}

}  // namespace sluice::test::book
