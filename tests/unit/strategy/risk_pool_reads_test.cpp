// Uniswap v2 pair reads: calldata against `cast sig` (getReserves() = 0x0902f1ac, token0() = 0x0dfe1681,
// token1() = 0xd21220a7) and decoding of return data produced by `cast abi-encode`.

#include "strategy/risk/pool_reads.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::risk;

namespace {

CallOutcome ok(std::string_view hex) { return CallOutcome{true, from_hex(hex).value(), {}}; }

const Address kPair = parse_address("0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc").value();
const Address kWeth = parse_address("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2").value();
const Address kUsdc = parse_address("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48").value();

// cast abi-encode "f(uint112,uint112,uint32)" 1000000000000000000000 3000000000000 1700000000
const char* kReserves =
    "0x00000000000000000000000000000000000000000000003635c9adc5dea00000000000000000000000000000000000000000000000000000"
    "000002ba7def3000000000000000000000000000000000000000000000000000000000006553f100";
// cast abi-encode "f(address)" <address>
std::string address_word(const Address& a) { return "0x" + std::string(24, '0') + to_hex(a.bytes).substr(2); }

}  // namespace

TEST_CASE("risk pool reads: calldata is the selector alone, sent to the pair") {
  CHECK(to_hex(pool_reads::get_reserves(kPair).data) == "0x0902f1ac");
  CHECK(to_hex(pool_reads::token0(kPair).data) == "0x0dfe1681");
  CHECK(to_hex(pool_reads::token1(kPair).data) == "0xd21220a7");
  const auto calls = pool_reads::pool_calls(kPair);
  for (const auto& c : calls) CHECK(c.to == kPair);
  CHECK(to_hex(calls[0].data) == "0x0902f1ac");
  CHECK(to_hex(calls[2].data) == "0xd21220a7");
}

TEST_CASE("risk pool reads: getReserves and token decoding") {
  const auto r = pool_reads::decode_reserves(ok(kReserves));
  REQUIRE(r.has_value());
  CHECK(r->reserve0 == U256::from_dec("1000000000000000000000").value());
  CHECK(r->reserve1 == U256::from_dec("3000000000000").value());
  CHECK(r->block_timestamp_last == 1700000000u);
  const auto t = pool_reads::decode_token(ok(address_word(kWeth)));
  REQUIRE(t.has_value());
  CHECK(*t == kWeth);
}

TEST_CASE("risk pool reads: a pool from its three outcomes; failures name the read") {
  const std::vector<CallOutcome> outcomes{ok(kReserves), ok(address_word(kWeth)), ok(address_word(kUsdc))};
  const auto pool = pool_reads::decode_pool(kPair, outcomes);
  REQUIRE(pool.has_value());
  CHECK(pool->address == kPair);
  CHECK(pool->token0 == kWeth);
  CHECK(pool->token1 == kUsdc);
  CHECK(pool->reserve1 == U256::from_dec("3000000000000").value());

  const auto reverted = pool_reads::decode_pool(
      kPair, std::vector<CallOutcome>{CallOutcome{false, {}, "execution reverted"}, outcomes[1], outcomes[2]});
  REQUIRE(!reverted.has_value());
  CHECK(reverted.error().describe() == "UniswapV2Pair.getReserves: call failed: execution reverted");
  // A reserve above uint112 is malformed return data (the strict decoder checks the type's range).
  const std::string too_big = "0x" + std::string(64, 'f') + std::string(kReserves).substr(2 + 64);
  CHECK_FALSE(pool_reads::decode_reserves(ok(too_big)).has_value());
  CHECK_FALSE(pool_reads::decode_pool(kPair, std::vector<CallOutcome>{outcomes[0], outcomes[1]}).has_value());
  CHECK_FALSE(pool_reads::decode_token(ok("0x1234")).has_value());
}
