#include "strategy/risk/pool_reads.hpp"

#include "strategy/core/abi_io.hpp"

namespace sluice::risk::pool_reads {

namespace {

struct Abi {
  abi::Function get_reserves = abi_io::function("getReserves()(uint112,uint112,uint32)");
  abi::Function token0 = abi_io::function("token0()(address)");
  abi::Function token1 = abi_io::function("token1()(address)");
};

const Abi& abi_() {
  static const Abi a;
  return a;
}

}  // namespace

ContractCall get_reserves(const Address& pair) { return abi_io::call(pair, abi_().get_reserves); }

DecodeResult<Reserves> decode_reserves(const CallOutcome& outcome) {
  auto v = abi_io::returns("UniswapV2Pair.getReserves", abi_().get_reserves, outcome);
  if (!v) return v.error();
  return Reserves{abi_io::uint((*v)[0]), abi_io::uint((*v)[1]), static_cast<std::uint32_t>(abi_io::u64((*v)[2]))};
}

ContractCall token0(const Address& pair) { return abi_io::call(pair, abi_().token0); }
ContractCall token1(const Address& pair) { return abi_io::call(pair, abi_().token1); }

DecodeResult<Address> decode_token(const CallOutcome& outcome) {
  // token0() and token1() have the same output type; the subject names both.
  auto v = abi_io::returns("UniswapV2Pair.token0/token1", abi_().token0, outcome);
  if (!v) return v.error();
  return abi_io::address((*v)[0]);
}

std::array<ContractCall, 3> pool_calls(const Address& pair) {
  return {get_reserves(pair), token0(pair), token1(pair)};
}

DecodeResult<Pool> decode_pool(const Address& pair, std::span<const CallOutcome> outcomes) {
  if (outcomes.size() != 3)
    return DecodeError{"UniswapV2Pair " + to_checksum(pair), "expected 3 call outcomes, got " +
                                                                 std::to_string(outcomes.size())};
  auto reserves = decode_reserves(outcomes[0]);
  if (!reserves) return reserves.error();
  auto t0 = decode_token(outcomes[1]);
  if (!t0) return t0.error();
  auto t1 = decode_token(outcomes[2]);
  if (!t1) return t1.error();
  Pool pool;
  pool.address = pair;
  pool.token0 = *t0;
  pool.token1 = *t1;
  pool.reserve0 = reserves->reserve0;
  pool.reserve1 = reserves->reserve1;
  return pool;
}

}  // namespace sluice::risk::pool_reads
