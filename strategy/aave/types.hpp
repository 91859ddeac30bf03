#pragma once
/// Aave v3 state as the Pool holds it, in the protocol's own units, so the math in this folder can reproduce the
/// contracts bit for bit. Layouts follow @aave/core-v3 1.19.3 (Aave v3.0): DataTypes.sol,
/// ReserveConfiguration.sol, UserConfiguration.sol. Units: RAY = 1e27, WAD = 1e18, percentages in bps (1e4 = 100%),
/// prices in the oracle's base currency units (BASE_CURRENCY_UNIT, 1e8 for USD), amounts in the asset's native
/// units (wei for 18 decimals).

#include "chain/address.hpp"
#include "chain/u256.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::aave {

/// ReserveConfigurationMap, decoded (ReserveConfiguration.sol bit layout).
struct ReserveConfig {
  std::uint16_t ltv_bps = 0;                    ///< bits 0-15
  std::uint16_t liquidation_threshold_bps = 0;  ///< bits 16-31
  std::uint16_t liquidation_bonus_bps = 0;      ///< bits 32-47, e.g. 10500 = 5% bonus
  std::uint8_t decimals = 0;                    ///< bits 48-55
  bool active = false;                          ///< bit 56
  bool frozen = false;                          ///< bit 57
  bool borrowing_enabled = false;               ///< bit 58
  bool stable_borrowing_enabled = false;        ///< bit 59
  bool paused = false;                          ///< bit 60
  bool borrowable_in_isolation = false;         ///< bit 61
  bool siloed_borrowing = false;                ///< bit 62
  bool flashloan_enabled = false;               ///< bit 63
  std::uint16_t reserve_factor_bps = 0;         ///< bits 64-79
  std::uint64_t borrow_cap = 0;                 ///< bits 80-115, whole tokens (0 = none)
  std::uint64_t supply_cap = 0;                 ///< bits 116-151, whole tokens (0 = none)
  std::uint16_t liquidation_protocol_fee_bps = 0;  ///< bits 152-167
  std::uint8_t emode_category = 0;              ///< bits 168-175
  std::uint64_t unbacked_mint_cap = 0;          ///< bits 176-211
  std::uint64_t debt_ceiling = 0;               ///< bits 212-251, 2 decimals of the base currency
};

/// One reserve (Pool.getReserveData plus what the keeper needs beside it).
struct Reserve {
  Address asset;
  std::uint16_t id = 0;  ///< index in Pool.getReservesList(), the bit pair in UserConfigurationMap
  std::string symbol;    ///< from the config or ERC-20 symbol(), for reports
  ReserveConfig config;
  U256 configuration_bitmap;          ///< raw, as read
  U256 liquidity_index;               ///< RAY
  U256 current_liquidity_rate;        ///< RAY, per year
  U256 variable_borrow_index;         ///< RAY
  U256 current_variable_borrow_rate;  ///< RAY, per year
  U256 current_stable_borrow_rate;    ///< RAY, per year
  std::uint64_t last_update_timestamp = 0;  ///< seconds (uint40 on chain)
  Address a_token;
  Address stable_debt_token;
  Address variable_debt_token;
  Address interest_rate_strategy;
  U256 accrued_to_treasury;  ///< scaled
  U256 unbacked;
  U256 isolation_mode_total_debt;
};

/// An eMode category (Pool.getEModeCategoryData). `price` is the oracle price of `price_source` when it is set.
struct EModeCategory {
  std::uint8_t id = 0;
  std::uint16_t ltv_bps = 0;
  std::uint16_t liquidation_threshold_bps = 0;
  std::uint16_t liquidation_bonus_bps = 0;
  Address price_source;  ///< zero: each asset keeps its own price
  U256 price;            ///< base currency units; meaningful only when price_source is non-zero
  std::string label;
};

/// Everything market-wide the account math needs, at one block.
struct MarketSnapshot {
  std::vector<Reserve> reserves;      ///< indexed by reserve id (getReservesList order; holes keep a zero asset)
  std::vector<U256> prices;           ///< AaveOracle.getAssetPrice per reserve id, base currency units
  std::vector<EModeCategory> emodes;  ///< categories in use; look up by id
  U256 base_currency_unit;            ///< AaveOracle.BASE_CURRENCY_UNIT (1e8 for USD)
  std::uint64_t timestamp = 0;        ///< block timestamp the math accrues interest to (seconds)
  std::uint64_t block = 0;

  const EModeCategory* emode(std::uint8_t id) const noexcept {
    for (const auto& e : emodes)
      if (e.id == id) return &e;
    return nullptr;
  }
};

/// UserConfigurationMap: bit 2*id = borrowing, bit 2*id+1 = using as collateral.
struct UserConfig {
  U256 bitmap;
  bool is_borrowing(std::uint16_t id) const noexcept { return id < 128 && bit(2u * id); }
  bool is_using_as_collateral(std::uint16_t id) const noexcept { return id < 128 && bit(2u * id + 1u); }
  bool is_using_as_collateral_or_borrowing(std::uint16_t id) const noexcept {
    return is_borrowing(id) || is_using_as_collateral(id);
  }
  bool is_empty() const noexcept { return bitmap == U256{}; }

 private:
  bool bit(unsigned n) const noexcept { return ((bitmap >> n) & U256{1}) != U256{}; }
};

/// A user's stable-rate debt in one reserve (StableDebtToken: principalBalanceOf, getUserStableRate,
/// getUserLastUpdated); its balance is principal compounded at `rate` since `last_updated`.
struct StableDebt {
  U256 principal;
  U256 rate;  ///< RAY, per year
  std::uint64_t last_updated = 0;
};

/// A user's balances in one reserve, as the tokens store them.
struct UserReserve {
  std::uint16_t reserve_id = 0;
  U256 scaled_a_token;        ///< AToken.scaledBalanceOf
  U256 scaled_variable_debt;  ///< VariableDebtToken.scaledBalanceOf
  StableDebt stable_debt;
};

/// One Aave account: configuration bitmap, eMode, and the reserves its bitmap marks as used.
struct UserState {
  Address account;
  UserConfig config;
  std::uint8_t emode_category = 0;
  std::vector<UserReserve> reserves;  ///< sorted by reserve_id; only reserves used as collateral or borrowed

  const UserReserve* reserve(std::uint16_t id) const noexcept {
    for (const auto& r : reserves)
      if (r.reserve_id == id) return &r;
    return nullptr;
  }
};

/// GenericLogic.calculateUserAccountData's results (Pool.getUserAccountData returns the same numbers, with
/// available borrows beside them).
struct AccountData {
  U256 total_collateral_base;  ///< base currency units
  U256 total_debt_base;        ///< base currency units
  U256 avg_ltv_bps;
  U256 avg_liquidation_threshold_bps;
  U256 health_factor;  ///< WAD; U256 max when there is no debt
  bool has_zero_ltv_collateral = false;
};

/// A liquidationCall's inputs, as the Pool takes them.
struct LiquidationRequest {
  std::uint16_t collateral_reserve_id = 0;
  std::uint16_t debt_reserve_id = 0;
  U256 debt_to_cover;  ///< debt asset native units; U256 max means "as much as allowed"
};

/// What a liquidationCall moves (LiquidationLogic.executeLiquidationCall).
struct LiquidationOutcome {
  U256 debt_repaid;                ///< actualDebtToLiquidate, debt asset units (LiquidationCall.debtToCover)
  U256 collateral_to_liquidator;   ///< actualCollateralToLiquidate, incl. bonus, excl. protocol fee
  U256 protocol_fee;               ///< collateral units sent to the treasury
  std::uint16_t close_factor_bps = 0;  ///< 5000 or 10000
  std::uint16_t liquidation_bonus_bps = 0;  ///< the bonus applied (eMode's or the reserve's)
  U256 collateral_price;           ///< base currency units, the price used
  U256 debt_price;                 ///< base currency units, the price used
  U256 health_factor_before;       ///< WAD
};

}  // namespace sluice::aave
