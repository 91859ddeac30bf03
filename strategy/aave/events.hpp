#pragma once
/// The Aave v3.0 events the position book follows, and decoders from a log to what it touches: the accounts to
/// re-read (never patched from event amounts) or the market-wide state. Signatures from @aave/core-v3 1.19.3:
/// IPool.sol (emitted by the Pool), IAToken.sol (BalanceTransfer, by each aToken), IPoolConfigurator.sol (by the
/// PoolConfigurator) and IAaveOracle.sol (by the AaveOracle).
///
/// A flash loan in debt mode needs no event of its own: the Pool emits Borrow for `onBehalfOf` in that case.

#include "chain/rpc/types.hpp"
#include "strategy/core/decode_error.hpp"

#include <vector>

namespace sluice::aave::events {

/// What one log changes.
struct Touches {
  std::vector<Address> accounts;  ///< accounts to re-read
  bool market = false;            ///< reserves, rates, configuration or oracle sources to re-read
  friend bool operator==(const Touches&, const Touches&) = default;
};

/// Pool events that change an account: Supply (onBehalfOf), Withdraw (user), Borrow (onBehalfOf), Repay (user),
/// LiquidationCall (user), ReserveUsedAsCollateralEnabled/Disabled (user), UserEModeSet (user),
/// SwapBorrowRateMode (user), RebalanceStableBorrowRate (user), MintUnbacked (onBehalfOf).
std::vector<Hash> pool_account_topics();
/// Pool events that change market-wide state: ReserveDataUpdated (indexes and rates).
std::vector<Hash> pool_market_topics();
/// aToken BalanceTransfer(from, to, value, index): both ends are touched.
const Hash& balance_transfer_topic();
/// PoolConfigurator events (ReserveInitialized and every configuration change): market-wide.
std::vector<Hash> configurator_topics();
/// AaveOracle events (AssetSourceUpdated, FallbackOracleUpdated, BaseCurrencySet): market-wide.
std::vector<Hash> oracle_topics();

/// Decode a log by its emitter's role. A topic0 the role does not emit, or a log whose topics or data do not fit
/// the event, is an error naming the event (or the unknown topic0); nothing here throws on malformed logs.
DecodeResult<Touches> decode_pool_log(const rpc::Log& log);
DecodeResult<Touches> decode_a_token_log(const rpc::Log& log);
DecodeResult<Touches> decode_configurator_log(const rpc::Log& log);
DecodeResult<Touches> decode_oracle_log(const rpc::Log& log);

/// Pool LiquidationCall, every field: who liquidated whom for how much (the executor's rival detection, tests).
struct LiquidationCall {
  Address collateral_asset;
  Address debt_asset;
  Address user;
  U256 debt_to_cover;                 ///< debt repaid, debt asset native units
  U256 liquidated_collateral_amount;  ///< collateral to the liquidator (after the protocol fee), native units
  Address liquidator;
  bool receive_a_token = false;
  friend bool operator==(const LiquidationCall&, const LiquidationCall&) = default;
};
const Hash& liquidation_call_topic();
/// A LiquidationCall log (error naming the event when the topics or data do not fit).
DecodeResult<LiquidationCall> decode_liquidation_call(const rpc::Log& log);

}  // namespace sluice::aave::events
