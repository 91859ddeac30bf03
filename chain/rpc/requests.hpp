#pragma once
/// Params builders: each typed method's JSON params array, as a `RawCall`, so that callers can batch typed calls
/// (`Client::batch`) and decode each answer with the matching decoder of decode.hpp.

#include "chain/rpc/transport.hpp"
#include "chain/rpc/types.hpp"

#include <span>

namespace sluice::rpc::requests {

RawCall chain_id();
RawCall block_number();
RawCall get_block_by_number(const BlockTag& block, bool full_transactions = false);
RawCall call(const CallRequest& request, const BlockTag& block = {}, const StateOverride& overrides = {},
             const BlockOverrides& block_overrides = {});
RawCall estimate_gas(const CallRequest& request, const std::optional<BlockTag>& block = std::nullopt,
                     const StateOverride& overrides = {});
RawCall fee_history(std::uint64_t block_count, const BlockTag& newest, std::span<const double> reward_percentiles);
RawCall gas_price();
RawCall max_priority_fee_per_gas();
RawCall get_transaction_count(const Address& account, const BlockTag& block = {});
RawCall send_raw_transaction(ByteView raw);
RawCall get_transaction_receipt(const Hash& tx_hash);
RawCall get_transaction_by_hash(const Hash& tx_hash);
RawCall get_logs(const LogFilter& filter);
RawCall get_balance(const Address& account, const BlockTag& block = {});
RawCall get_code(const Address& account, const BlockTag& block = {});
RawCall get_storage_at(const Address& account, const U256& slot, const BlockTag& block = {});

/// JSON of a call object / state override set / log filter (shared by the builders; exposed for tests).
std::string call_request_json(const CallRequest& request);
std::string state_override_json(const StateOverride& overrides);
std::string block_overrides_json(const BlockOverrides& overrides);
std::string log_filter_json(const LogFilter& filter);

}  // namespace sluice::rpc::requests
