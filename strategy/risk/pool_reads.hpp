#pragma once
/// Reads of a Uniswap v2 pair's state as `ContractCall`s with their decoders: getReserves(), token0(), token1()
/// (UniswapV2Pair, v2-core/contracts/UniswapV2Pair.sol), and the assembly of a `Pool` from their outcomes and the
/// two tokens' ERC-20 decimals (strategy/core/token_reads.hpp).

#include "chain/address.hpp"
#include "chain/u256.hpp"
#include "strategy/core/contract_call.hpp"
#include "strategy/core/decode_error.hpp"
#include "strategy/risk/uniswap_v2.hpp"

#include <array>
#include <cstdint>
#include <span>

namespace sluice::risk::pool_reads {

/// UniswapV2Pair.getReserves() -> (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast).
ContractCall get_reserves(const Address& pair);
struct Reserves {
  U256 reserve0, reserve1;
  std::uint32_t block_timestamp_last = 0;
};
DecodeResult<Reserves> decode_reserves(const CallOutcome& outcome);

/// UniswapV2Pair.token0() / token1() -> address.
ContractCall token0(const Address& pair);
ContractCall token1(const Address& pair);
DecodeResult<Address> decode_token(const CallOutcome& outcome);

/// The three reads of a pair, in the order `decode_pool` expects: getReserves, token0, token1.
std::array<ContractCall, 3> pool_calls(const Address& pair);
/// A `Pool` from the outcomes of `pool_calls(pair)` (exactly three); decimals are left at 18 (set them from the
/// tokens' decimals() before using prices in whole tokens).
DecodeResult<Pool> decode_pool(const Address& pair, std::span<const CallOutcome> outcomes);

}  // namespace sluice::risk::pool_reads
