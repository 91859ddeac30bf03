#pragma once
/// Morpho Blue state as the contract holds it (@morpho-org/morpho-blue 1.0.0: interfaces/IMorpho.sol), so the math
/// in this folder reproduces Morpho.sol bit for bit. Units: WAD = 1e18 (lltv, fee, rates per second), oracle prices
/// scaled by ORACLE_PRICE_SCALE = 1e36 (collateral priced in loan token, both in native units), amounts in native
/// units, shares as Morpho counts them (SharesMathLib: VIRTUAL_SHARES 1e6, VIRTUAL_ASSETS 1).

#include "chain/address.hpp"
#include "chain/hash.hpp"
#include "chain/u256.hpp"

#include <cstdint>

namespace sluice::morpho {

/// Id = keccak256(abi.encode(MarketParams)).
using MarketId = Hash;

struct MarketParams {
  Address loan_token;
  Address collateral_token;
  Address oracle;
  Address irm;
  U256 lltv;  ///< WAD
};

/// Morpho.market(id): totals (uint128 on chain), last update (uint128, seconds) and fee (WAD).
struct MarketState {
  U256 total_supply_assets;
  U256 total_supply_shares;
  U256 total_borrow_assets;
  U256 total_borrow_shares;
  std::uint64_t last_update = 0;
  U256 fee;
};

/// Morpho.position(id, user).
struct Position {
  U256 supply_shares;
  U256 borrow_shares;  ///< uint128 on chain
  U256 collateral;     ///< uint128 on chain, collateral token native units
};

/// A market with what is needed to accrue its interest off chain: the IRM's `borrowRateView` at the block
/// the state was read (WAD per second). Morpho takes the rate from the pre-accrual state, so one rate read per
/// state read reproduces `_accrueInterest` exactly up to any later timestamp with no interaction in between.
struct Market {
  MarketId id;
  MarketParams params;
  MarketState state;
  U256 borrow_rate;    ///< WAD per second; zero when the market has no IRM (irm == 0)
  U256 oracle_price;   ///< IOracle(params.oracle).price(), scaled by 1e36
};

}  // namespace sluice::morpho
