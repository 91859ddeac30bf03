#pragma once
/// The cascade engine's fast path for GenericLogic.calculateUserAccountData (aave::account_data): the same numbers
/// in native 128-bit arithmetic for the common account (no eMode price source, no stable debt, every index at the
/// snapshot's clock, balances and prices small enough that no intermediate needs more than 128 bits). Internal to
/// strategy/risk.

#include "strategy/aave/types.hpp"

namespace sluice::risk::detail {

/// Fills `out` with exactly what aave::account_data(market, user) returns and returns true, or returns false
/// (leaving `out` unspecified) when the account is outside the fast path's conditions; the caller then runs
/// aave::account_data. Never true where aave::account_data would fail.
bool fast_account_data(const aave::MarketSnapshot& market, const aave::UserState& user, aave::AccountData& out) noexcept;

}  // namespace sluice::risk::detail
