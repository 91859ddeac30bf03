// Full decoding of the liquidation events (Aave Pool LiquidationCall, Morpho Liquidate) for rival detection.
// Topic0 and data from Foundry 1.7.1:
//   cast sig-event "LiquidationCall(address,address,address,uint256,uint256,address,bool)"
//     = 0xe413a321e8681d831f4dbccbca790d2952b56f977908e45be37335533e005286
//   cast sig-event "Liquidate(bytes32,address,address,uint256,uint256,uint256,uint256,uint256)"
//     = 0xa4946ede45d0c6f06a0f5ce92c9ad3b4751452d2fe0e25010783bcab57a67e41
//   cast abi-encode "f(uint256,uint256,address,bool)" 1000000 2500000000000000000 0x..aa false
//   cast abi-encode "f(uint256,uint256,uint256,uint256,uint256)" 7 8 9 10 11

#include "strategy/aave/events.hpp"
#include "strategy/morpho/events.hpp"

#include <doctest/doctest.h>

using namespace sluice;

namespace {

Address addr(const char* s) { return parse_address(s).value(); }
Hash h(const char* s) { return Hash::from_hex(s).value(); }
Hash topic_of(const Address& a) {
  Hash t;
  std::copy(a.bytes.begin(), a.bytes.end(), t.bytes.begin() + 12);
  return t;
}

}  // namespace

TEST_CASE("liquidation events: Aave LiquidationCall decodes every field, liquidator included") {
  const Address weth = addr("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  const Address usdc = addr("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512");
  const Address user = addr("0x0E5166287B30c2B4278463A2Be7272F984ABF5BC");
  CHECK(aave::events::liquidation_call_topic() ==
        h("0xe413a321e8681d831f4dbccbca790d2952b56f977908e45be37335533e005286"));
  rpc::Log log;
  log.topics = {aave::events::liquidation_call_topic(), topic_of(weth), topic_of(usdc), topic_of(user)};
  log.data = from_hex(
                 "0x00000000000000000000000000000000000000000000000000000000000f4240"
                 "00000000000000000000000000000000000000000000000022b1c8c1227a0000"
                 "00000000000000000000000000000000000000000000000000000000000000aa"
                 "0000000000000000000000000000000000000000000000000000000000000000")
                 .value();
  auto decoded = aave::events::decode_liquidation_call(log);
  REQUIRE_MESSAGE(decoded.has_value(), decoded.error().describe());
  CHECK(decoded->collateral_asset == weth);
  CHECK(decoded->debt_asset == usdc);
  CHECK(decoded->user == user);
  CHECK(decoded->debt_to_cover == U256(1'000'000));
  CHECK(decoded->liquidated_collateral_amount == U256::from_dec("2500000000000000000").value());
  CHECK(decoded->liquidator == addr("0x00000000000000000000000000000000000000aa"));
  CHECK_FALSE(decoded->receive_a_token);
  // The touched-accounts decoder still sees the user.
  CHECK(aave::events::decode_pool_log(log)->accounts == std::vector<Address>{user});

  rpc::Log short_data = log;
  short_data.data.resize(96);
  auto bad = aave::events::decode_liquidation_call(short_data);
  REQUIRE(bad.has_error());
  CHECK(bad.error().describe().find("LiquidationCall") != std::string::npos);
  rpc::Log other = log;
  other.topics[0] = h("0xa4946ede45d0c6f06a0f5ce92c9ad3b4751452d2fe0e25010783bcab57a67e41");
  CHECK(aave::events::decode_liquidation_call(other).has_error());
}

TEST_CASE("liquidation events: Morpho Liquidate decodes market, caller, borrower and amounts") {
  const morpho::MarketId market = h("0xceedfe348d852a2f253851d53f9c9a498449993928c98a33f8b29f5e5ab396c3");
  const Address caller = addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  const Address borrower = addr("0x0E5166287B30c2B4278463A2Be7272F984ABF5BC");
  CHECK(morpho::events::liquidate_topic() == h("0xa4946ede45d0c6f06a0f5ce92c9ad3b4751452d2fe0e25010783bcab57a67e41"));
  rpc::Log log;
  log.topics = {morpho::events::liquidate_topic(), market, topic_of(caller), topic_of(borrower)};
  log.data = from_hex(
                 "0x0000000000000000000000000000000000000000000000000000000000000007"
                 "0000000000000000000000000000000000000000000000000000000000000008"
                 "0000000000000000000000000000000000000000000000000000000000000009"
                 "000000000000000000000000000000000000000000000000000000000000000a"
                 "000000000000000000000000000000000000000000000000000000000000000b")
                 .value();
  auto decoded = morpho::events::decode_liquidate(log);
  REQUIRE_MESSAGE(decoded.has_value(), decoded.error().describe());
  CHECK(decoded->market == market);
  CHECK(decoded->caller == caller);
  CHECK(decoded->borrower == borrower);
  CHECK(decoded->repaid_assets == U256(7));
  CHECK(decoded->repaid_shares == U256(8));
  CHECK(decoded->seized_assets == U256(9));
  CHECK(decoded->bad_debt_assets == U256(10));
  CHECK(decoded->bad_debt_shares == U256(11));
  rpc::Log missing_topic = log;
  missing_topic.topics.pop_back();
  auto bad = morpho::events::decode_liquidate(missing_topic);
  REQUIRE(bad.has_error());
  CHECK(bad.error().describe().find("Liquidate") != std::string::npos);
}
