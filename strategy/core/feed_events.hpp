#pragma once
/// Chainlink-style price feed events: `AnswerUpdated(int256 indexed current, uint256 indexed roundId,
/// uint256 updatedAt)` (AggregatorInterface; emitted by the devnet's PriceFeed and by Chainlink aggregators). The
/// keeper maps a feed address to the assets it prices (AaveOracle.getSourceOfAsset, the configured USD feeds).

#include "chain/rpc/types.hpp"
#include "strategy/core/decode_error.hpp"

namespace sluice::feed_events {

/// topic0 of AnswerUpdated.
const Hash& answer_updated_topic();

struct AnswerUpdated {
  Address feed;         ///< the emitting contract
  U256 answer;          ///< the new answer, feed decimals; positive (see below)
  U256 round_id;
  std::uint64_t updated_at = 0;  ///< seconds
};

/// Decodes an AnswerUpdated log. Fails (naming the event) on a wrong topic0, topic count or data length, and on a
/// non-positive answer (which no oracle would use as a price).
DecodeResult<AnswerUpdated> decode_answer_updated(const rpc::Log& log);

}  // namespace sluice::feed_events
