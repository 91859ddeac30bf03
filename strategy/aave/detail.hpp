#pragma once
/// Helpers shared by the Aave math files (internal to strategy/aave): Solidity's checked arithmetic as Results.

#include "chain/u256.hpp"
#include "strategy/aave/math.hpp"

#include <cstdint>
#include <optional>

/// `const auto name = <value of expr>;` or return its error from the enclosing function (Results compose like
/// Solidity reverts: the first failing step decides).
#define SLUICE_AAVE_TRY(name, expr)            \
  auto name##_result_ = (expr);                \
  if (!name##_result_) return name##_result_.error(); \
  const auto name = *name##_result_

namespace sluice::aave::detail {

/// The value of an operation that reverts on overflow (or division by zero) on chain, or AaveError::overflow.
inline Result<U256> or_revert(const std::optional<U256>& v) noexcept {
  if (!v) return AaveError::overflow;
  return *v;
}

/// `10 ** decimals` inside an `unchecked` block, as GenericLogic and LiquidationLogic compute the asset unit:
/// wraps modulo 2^256 for decimals above 77 (never zero, since 2^256 does not divide 10^255).
const U256& asset_unit(std::uint8_t decimals) noexcept;

/// The reserve `id` of the snapshot, or unknown_reserve when it is out of range or a hole (zero asset).
Result<const Reserve*> reserve_at(const MarketSnapshot& market, std::uint16_t id) noexcept;

/// The oracle price of reserve `id` (AaveOracle.getAssetPrice); missing_price when absent or zero (the oracle
/// would fall back to its fallback oracle, which the keeper does not model).
Result<U256> oracle_price(const MarketSnapshot& market, std::uint16_t id) noexcept;

/// The user's balances in reserve `id`; a reserve the bitmap marks but `user.reserves` omits holds nothing.
const UserReserve& user_reserve(const UserState& user, std::uint16_t id) noexcept;

/// AToken.balanceOf of `user` in `reserve` at `timestamp` (scaled rayMul normalized income).
Result<U256> collateral_balance(const Reserve& reserve, const UserReserve& user, std::uint64_t timestamp) noexcept;
/// VariableDebtToken.balanceOf: 0 for no scaled debt, else scaled rayMul normalized debt.
Result<U256> variable_debt_balance(const Reserve& reserve, const UserReserve& user,
                                   std::uint64_t timestamp) noexcept;
/// Variable plus stable debt (GenericLogic._getUserDebtInBaseCurrency's amount before pricing).
Result<U256> debt_balance(const Reserve& reserve, const UserReserve& user, std::uint64_t timestamp) noexcept;

/// A hypothetical price for the account math (liquidation prices): either one reserve's oracle price or the
/// price of the user's eMode category source.
struct PriceOverride {
  bool emode_source = false;       ///< replace the eMode source's price (every asset priced by it moves)
  std::uint16_t reserve_id = 0;    ///< otherwise replace this reserve's oracle price
  U256 price;
};

/// calculateUserAccountData with an optional price override (nullptr: the snapshot's prices).
Result<AccountData> account_data(const MarketSnapshot& market, const UserState& user,
                                 const PriceOverride* override_price) noexcept;

}  // namespace sluice::aave::detail
