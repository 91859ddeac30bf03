#pragma once
/// Reads of plain ERC-20 metadata and Chainlink-style price feeds, as `ContractCall`s with their decoders.

#include "chain/abi/value.hpp"
#include "strategy/core/contract_call.hpp"
#include "strategy/core/decode_error.hpp"

#include <string>

namespace sluice::token_reads {

/// ERC-20 symbol(). Decodes `string` and, as some old tokens return it (MKR), a NUL-padded `bytes32`.
ContractCall symbol(const Address& token);
DecodeResult<std::string> decode_symbol(const CallOutcome& outcome);

/// ERC-20 decimals() (uint8).
ContractCall decimals(const Address& token);
DecodeResult<std::uint8_t> decode_decimals(const CallOutcome& outcome);

/// AggregatorV3Interface.latestRoundData(): the answer (int256, feed decimals).
ContractCall latest_round_data(const Address& feed);
/// The answer; fails when it is not positive (a feed answer the keeper cannot use as a price).
DecodeResult<U256> decode_latest_answer(const CallOutcome& outcome);

}  // namespace sluice::token_reads
