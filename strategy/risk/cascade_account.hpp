#pragma once
/// The cascade engine's fast path for GenericLogic.calculateUserAccountData (aave::account_data): the same numbers
/// in native 128-bit arithmetic for the common account (no eMode price source, no stable debt, every index at the
/// snapshot's clock, balances and prices small enough that no intermediate needs more than 128 bits). Internal to
/// strategy/risk.
///
/// It is split in two: AccountTerms holds what does not depend on prices (each reserve's balances, the rayMul of
/// its scaled balance by the index at the clock, its LTV and LT), computed once per balance change; the account
/// data then only prices them. The engine's prices move every round, balances only when a position is liquidated.

#include "chain/u256_pow10.hpp"
#include "strategy/aave/types.hpp"

#include <array>

namespace sluice::risk::detail {

/// One reserve the user's bitmap marks. 48 bytes: a grid's runs keep tens of thousands of positions' terms in
/// the caches, and their footprint is a large share of a grid's time (see BENCHMARKS.md, ninth pass).
struct AccountTerm {
  std::uint16_t id = 0;
  std::uint16_t index = 0;  ///< of the reserve's entry in user.reserves
  std::uint8_t decimals = 0;  ///< the reserve's, <= 19: unit() fits in 64 bits
  bool collateral = false;  ///< enabled as collateral (whatever its LT)
  bool counted = false;     ///< collateral with a non-zero LT: in the account's collateral and averages
  bool borrow = false;
  std::uint16_t lt_bps = 0;               ///< liquidation threshold, eMode-adjusted
  uint128 collateral_balance = 0;         ///< aToken balance when `collateral`
  uint128 debt_balance = 0;               ///< variable debt balance when `borrow`

  /// 10^decimals, the reserve's token unit.
  std::uint64_t unit() const noexcept { return kPow10U64[decimals]; }
};

/// The price-independent part of an account; `usable` false when the fast path never applies to it (the general
/// code then decides).
struct AccountTerms {
  /// At most this many marked reserves (as the healthy shortcut's kMaxHealthTerms): an account with more takes the
  /// general code, with the same results. Four covers nearly every account and keeps a position's copy small.
  static constexpr std::size_t kMax = 4;
  bool usable = false;
  std::uint8_t count = 0;
  std::array<AccountTerm, kMax> terms;
};

/// Fills `out` from the user's balances at the market's indexes (the market's prices are not read).
void account_terms(const aave::MarketSnapshot& market, const aave::UserState& user, AccountTerms& out) noexcept;

/// What the engine reads of an Aave account: three of GenericLogic.calculateUserAccountData's results (the averages
/// and the zero-LTV flag serve borrowing, not liquidation, and cost a division the engine would run millions of
/// times for nothing).
struct AccountHealth {
  U256 total_collateral_base;  ///< base currency units
  U256 total_debt_base;        ///< base currency units
  U256 health_factor;          ///< WAD; U256 max when there is no debt
};

/// The same three fields of a full account data.
AccountHealth health_of(const aave::AccountData& data) noexcept;

/// Prices `terms` (from account_terms on the same reserves and user) at the market's prices: exactly the fields
/// aave::account_data returns, or false when a price is missing or a product needs more than 128 bits.
bool fast_account_health(const aave::MarketSnapshot& market, const AccountTerms& terms, AccountHealth& out) noexcept;

/// Fills `out` with exactly those fields of aave::account_data(market, user) and returns true, or returns false
/// (leaving `out` unspecified) when the account is outside the fast path's conditions; the caller then runs
/// aave::account_data. Never true where aave::account_data would fail.
bool fast_account_health(const aave::MarketSnapshot& market, const aave::UserState& user, AccountHealth& out) noexcept;

/// floor(a x b / unit) in 128 bits, false when a x b does not fit.
inline bool mul_div_128(uint128 a, uint128 b, std::uint64_t unit, uint128& out) noexcept {
  uint128 product;
  if (__builtin_mul_overflow(a, b, &product)) return false;
  out = div_u64(product, unit);
  return true;
}

/// Bit n (< 256) of a bitmap, read from its limb (UserConfig::bit shifts and compares 256-bit values).
inline bool bitmap_bit(const U256& bitmap, unsigned n) noexcept {
  return ((bitmap.limbs[n / 64] >> (n % 64)) & 1U) != 0;
}

using sluice::fits128;
using sluice::from128;
using sluice::to128;

}  // namespace sluice::risk::detail
