#pragma once
// Shared bits of the liquidation map and throttle tests: a book on the book_fixture's Aave market (WETH $2,000,
// USDC $1, WETH LT 83% outside eMode, bonus 5%) where each position's WETH liquidation price is chosen by hand,
// and WETH/USDC pools on the same token addresses.

#include "strategy/book/position_book.hpp"
#include "strategy/risk/uniswap_v2.hpp"
#include "tests/unit/strategy/book_fixture.hpp"
#include "tests/unit/strategy/risk_test_support.hpp"  // U256 printing for doctest

#include <cstdint>

namespace sluice::test::throttle {

using namespace sluice::test::book;

inline constexpr std::uint64_t kT0 = 1'700'000'000;
inline const Address kWethToken = address_of(0xA0, kWeth);
inline const Address kUsdcToken = address_of(0xA0, kUsdc);

/// The book_fixture's Aave market with USD prices; every index 1 RAY, so scaled balances are amounts.
inline sluice::book::PositionBook make_book(aave::MarketSnapshot market = aave_market(kT0)) {
  sluice::book::PositionBook b;
  b.set_aave_market(std::move(market));
  set_usd_prices(b);
  return b;
}

/// An Aave account with `weth` WETH of collateral and `usdc` USDC of debt (native units). Outside eMode its WETH
/// liquidation price is usdc / (weth x 0.83): the debt for a price p is p x 0.83 x weth.
inline void add_aave(sluice::book::PositionBook& b, std::uint32_t n, const U256& weth, const U256& usdc) {
  b.upsert_aave_user(aave_user(address_of(0x10, n), {{kWeth, weth, 0}, {kUsdc, 0, usdc}}));
}

/// A WETH/USDC pair (WETH is token0: its address sorts first), reserves in whole tokens.
inline sluice::risk::Pool weth_usdc_pool(std::uint64_t weth, std::uint64_t usdc, std::uint8_t id = 1) {
  return sluice::risk::Pool{address_of(0xD0, id), kWethToken, kUsdcToken, tokens(weth, 18), tokens(usdc, 6), 18, 6};
}

}  // namespace sluice::test::throttle
