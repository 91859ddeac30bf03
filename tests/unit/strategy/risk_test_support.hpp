#pragma once
// Shared bits of the strategy/risk unit tests: U256 printing for doctest messages, token and pool fixtures.

#include "chain/address.hpp"
#include "chain/u256.hpp"
#include "strategy/risk/uniswap_v2.hpp"

#include <cstdint>
#include <ostream>

namespace sluice {
/// Lets doctest print U256 (and Result<U256>) operands of a failed check.
inline std::ostream& operator<<(std::ostream& os, const U256& v) { return os << v.to_dec(); }
}  // namespace sluice

namespace sluice::risk::test {

inline const U256 kEth = pow10(18);
inline const U256 kUsdc = pow10(6);

inline Address addr(std::uint8_t last) {
  Address a;
  a.bytes[19] = last;
  return a;
}
inline const Address kWeth = addr(0xee);
inline const Address kUsdcToken = addr(0x0c);

/// A WETH/USDC pair with USDC as token0 (as on mainnet: 0xA0b8... < 0xC02a...); amounts in whole tokens.
inline Pool eth_usdc(std::uint64_t eth, std::uint64_t usdc, std::uint8_t id = 0xaa) {
  return Pool{addr(id), kUsdcToken, kWeth, usdc * kUsdc, eth * kEth, 6, 18};
}

}  // namespace sluice::risk::test
