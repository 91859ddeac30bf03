// market_id against cast: every expected id below is
//   cast keccak $(cast abi-encode "f(address,address,address,address,uint256)" <loan> <collateral> <oracle> <irm> <lltv>)
// run with Foundry 1.7.1 (scripts/node_modules/.bin/cast).

#include "strategy/morpho/math.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::morpho;

TEST_CASE("morpho market_id: keccak256(abi.encode(params)) equals cast's") {
  MarketParams p;
  p.loan_token = parse_address("0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9").value();
  p.collateral_token = parse_address("0x5FbDB2315678afecb367f032d93F642f64180aa3").value();
  p.oracle = parse_address("0xFD471836031dc5108809D173A067e8486B9047A3").value();
  p.irm = parse_address("0x7969c5eD335650692Bc04293B07F5BF2e7A673C0").value();
  p.lltv = U256{860'000'000'000'000'000ULL};
  // The devnet's WETH/USDC market (its manifest lists the same id, computed by ethers).
  CHECK(market_id(p).hex() == "0xceedfe348d852a2f253851d53f9c9a498449993928c98a33f8b29f5e5ab396c3");

  CHECK(market_id(MarketParams{}).hex() == "0xdfded4ed5ac76ba7379cfe7b3b0f53e768dca8d45a34854e649cfc3c18cbd9cd");
}

TEST_CASE("morpho market_id: every field changes the id") {
  MarketParams base;
  const MarketId id0 = market_id(base);
  for (int field = 0; field < 5; ++field) {
    MarketParams p = base;
    switch (field) {
      case 0: p.loan_token.bytes[19] = 1; break;
      case 1: p.collateral_token.bytes[0] = 1; break;
      case 2: p.oracle.bytes[10] = 1; break;
      case 3: p.irm.bytes[5] = 1; break;
      default: p.lltv = U256{1}; break;
    }
    CHECK(market_id(p) != id0);
  }
}
