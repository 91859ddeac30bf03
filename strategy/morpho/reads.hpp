#pragma once
/// Morpho Blue 1.0.0 state reads as `ContractCall`s and their decoders into `types.hpp`: Morpho.idToMarketParams,
/// Morpho.market, Morpho.position, IOracle.price and IIrm.borrowRateView (interfaces/IMorpho.sol, IOracle.sol,
/// IIrm.sol). A market is read in two phases: params and state first, then the oracle price and the IRM's rate,
/// which need the params (and, for the rate, the state).

#include "strategy/core/contract_call.hpp"
#include "strategy/core/decode_error.hpp"
#include "strategy/morpho/types.hpp"

#include <span>
#include <vector>

namespace sluice::morpho::reads {

/// Morpho.idToMarketParams(id). A market that was never created decodes as all-zero params.
ContractCall market_params(const Address& morpho, const MarketId& id);
DecodeResult<MarketParams> decode_market_params(const CallOutcome& outcome);

/// Morpho.market(id).
ContractCall market_state(const Address& morpho, const MarketId& id);
DecodeResult<MarketState> decode_market_state(const CallOutcome& outcome);

/// Morpho.position(id, user).
ContractCall position(const Address& morpho, const MarketId& id, const Address& user);
DecodeResult<Position> decode_position(const CallOutcome& outcome);

/// IOracle(params.oracle).price(): collateral priced in loan token, scaled by 1e36.
ContractCall oracle_price(const Address& oracle);
DecodeResult<U256> decode_oracle_price(const CallOutcome& outcome);

/// IIrm(params.irm).borrowRateView(params, market): WAD per second, from the state before accrual.
ContractCall borrow_rate(const MarketParams& params, const MarketState& state);
DecodeResult<U256> decode_borrow_rate(const CallOutcome& outcome);

/// Phase 1 of a market: market_params, market_state (in this order).
inline constexpr std::size_t kMarketHeadCalls = 2;
void append_market_head_calls(std::vector<ContractCall>& calls, const Address& morpho, const MarketId& id);
/// Phase 2: oracle_price, then borrow_rate unless the market has no IRM (irm == 0).
void append_market_tail_calls(std::vector<ContractCall>& calls, const MarketParams& params, const MarketState& state);
std::size_t market_tail_call_count(const MarketParams& params) noexcept;

/// Phase 1 decoded: params and state (the rate and price are zero until `decode_market_tail`).
DecodeResult<Market> decode_market_head(const MarketId& id, std::span<const CallOutcome> outcomes);
/// Fills the oracle price and borrow rate from the phase 2 outcomes.
DecodeResult<Market> decode_market_tail(Market market, std::span<const CallOutcome> outcomes);

}  // namespace sluice::morpho::reads
