#pragma once
/// The Morpho Blue 1.0.0 events the position book follows (libraries/EventsLib.sol), and decoders from a log to
/// what it touches: a position to re-read, a market's state to re-read, or a new market (CreateMarket).

#include "chain/rpc/types.hpp"
#include "strategy/core/decode_error.hpp"
#include "strategy/morpho/types.hpp"

#include <optional>
#include <vector>

namespace sluice::morpho::events {

struct Touches {
  MarketId market;                      ///< every followed event names its market
  std::optional<Address> account;       ///< the position touched (onBehalf, or Liquidate's borrower)
  bool market_state = false;            ///< the market's state (totals, fee, rate) is to be re-read
  std::optional<MarketParams> created;  ///< CreateMarket's params
  friend bool operator==(const Touches&, const Touches&) = default;
};

/// Supply, Withdraw, Borrow, Repay, SupplyCollateral, WithdrawCollateral, Liquidate (positions), AccrueInterest,
/// SetFee (market state) and CreateMarket.
std::vector<Hash> topics();
/// CreateMarket alone (discovery of markets when the configuration lists none).
const Hash& create_market_topic();

/// Decodes a log emitted by Morpho. A topic0 not followed, or a log whose topics or data do not fit the event, is
/// an error naming the event (or the unknown topic0).
DecodeResult<Touches> decode_log(const rpc::Log& log);

/// Liquidate, every field: who liquidated whom for how much (the executor's rival detection, tests).
struct Liquidation {
  MarketId market;
  Address caller;  ///< the liquidator
  Address borrower;
  U256 repaid_assets;  ///< loan token native units
  U256 repaid_shares;
  U256 seized_assets;  ///< collateral native units
  U256 bad_debt_assets;
  U256 bad_debt_shares;
  friend bool operator==(const Liquidation&, const Liquidation&) = default;
};
const Hash& liquidate_topic();
/// A Liquidate log (error naming the event when the topics or data do not fit).
DecodeResult<Liquidation> decode_liquidate(const rpc::Log& log);

}  // namespace sluice::morpho::events
