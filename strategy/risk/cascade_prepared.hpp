#pragma once
/// The cascade engine's prepared state (built once per shocked asset and shared, read-only, by every run of a
/// grid) and the position copies the runs work on. Internals of cascade.cpp and cascade_prepare.cpp.

#include "chain/ray_divisor.hpp"
#include "strategy/morpho/math.hpp"
#include "strategy/risk/cascade.hpp"
#include "strategy/risk/cascade_account.hpp"
#include "strategy/risk/numeric.hpp"

#include <array>
#include <optional>
#include <unordered_map>
#include <vector>

namespace sluice::risk::detail {

/// A USD price with 8 decimals, as a double in dollars.
inline double e8(const U256& v) { return to_double(v) / 1e8; }

/// The value of a Result or optional, zero on failure (the callers treat a failed read as an empty balance).
template <class R>
U256 or_zero(const R& r) {
  return r ? *r : U256{};
}

/// How a Morpho market's oracle follows the shocked asset's USD price.
struct MarketLink {
  morpho::MarketId id;
  morpho::MarketParams params;
  morpho::MarketState accrued;  ///< accrued to the book's clock
  U256 oracle0;
  book::AssetId collateral = 0, loan = 0;
  bool feed_ratio = false;  ///< the oracle is a FeedRatioOracle of the book's USD prices
  U256 feed_scale;          ///< 10^(36 + loan decimals - collateral decimals)
  U256 lif;                 ///< the market's liquidation incentive factor (WAD)
};

/// Sale routing of one asset: the pools that trade it against what it is sold for.
struct SaleRoute {
  bool sold = false;
  book::AssetId out = 0;
  std::vector<std::size_t> pools;  ///< indexes into MarketModel::pools
};

/// clearly_healthy()'s terms of one Aave reserve of a position, the balance-dependent factors precomputed (they
/// change only when the position is liquidated): the check then multiplies them by the reserve's price per unit.
struct HealthTerm {
  std::uint16_t id = 0;
  bool collateral = false;  ///< enabled as collateral with a non-zero liquidation threshold
  bool borrow = false;
  std::uint16_t lt = 0;  ///< liquidation threshold, bps (a whole number: the check's double of it is exact)
  double coll = 0.0;     ///< scaled aToken x normalized income
  double debt = 0.0;     ///< scaled variable debt x normalized debt
};
constexpr std::size_t kMaxHealthTerms = 4;

/// A position under simulation: a private copy of its protocol state.
/// (Fields in the order a liquidation check reads them: its cache lines first, see prefetch_work in cascade.cpp.)
struct Work {
  enum class State { active, queued, closed };
  std::uint32_t pos = 0;  ///< position index in Prepared::keys
  State state = State::active;
  bool is_aave = true;
  /// Aave: the healthy shortcut's terms, in the order of user.reserves; `terms_usable` false when the shortcut
  /// never applies (eMode, stable debt, an index not at the clock, more reserves than kMaxHealthTerms).
  bool terms_usable = false;
  std::uint8_t term_count = 0;
  std::uint32_t market = 0;
  std::array<HealthTerm, kMaxHealthTerms> terms;
  /// Aave: the balances of the 128-bit account data (and of the liquidator's choice and the crossing prices),
  /// recomputed with `terms` whenever the balances change.
  detail::AccountTerms acct;
  aave::UserState user;
  morpho::Position position;
};

/// One asset of a position, and on which side.
struct Exposure {
  book::AssetId asset = 0;
  bool collateral = false;  ///< held as collateral: a fall hurts the position
  bool debt = false;        ///< owed: a rise hurts it
};

/// Work reused by every grid point: the crossing order, the markets, the routes, and the initial state of every
/// position the engine has touched.
struct Prepared {
  const book::PositionBook* book = nullptr;
  const MarketModel* model = nullptr;
  book::AssetId asset = 0;
  /// Assets whose oracle follows their pools: the shocked one (index 0) and every other asset that is sold.
  std::vector<book::AssetId> tracked;
  /// Assets whose price the engine watches: `tracked` (the same indexes), then those only a shock's beta moves
  /// (their oracle moves once, at the shock). Every order below has one entry per watched asset.
  std::vector<book::AssetId> watched;
  /// Per watched asset: the positions net collateral in it, by visit price (liquidation price, moved for an Aave
  /// position by the closed form's error bound), highest first, and the position index of each entry.
  std::vector<std::vector<Crossing>> orders;
  std::vector<std::vector<std::uint32_t>> order_ids;
  /// Per watched asset: the positions a rise of it crosses (Aave positions net debt in it; Morpho positions of
  /// markets lending it), by the visit price above which they may be liquidatable, lowest first, and the position
  /// index of each entry.
  std::vector<std::vector<Crossing>> orders_up;
  std::vector<std::vector<std::uint32_t>> order_up_ids;
  /// Positions liquidatable at the book's prices that no order lists (neither collateral nor debt in a watched
  /// asset): looked at in the first round, as every liquidatable position is.
  std::vector<std::uint32_t> unreached;
  std::vector<book::PositionKey> keys;  ///< every position in some order
  /// Per position index: the assets it holds as collateral or owes (from the book's view). A position exposed to
  /// two that can move against it has crossing prices that go stale (each is computed with the other prices as
  /// they were).
  std::vector<std::vector<Exposure>> exposures;
  /// The positions exposed to two assets or more (the only ones that can have two against them), ascending.
  std::vector<std::uint32_t> multi_exposed;
  std::vector<std::optional<std::uint16_t>> aave_reserve;  ///< per asset
  std::vector<U256> aave_price0;                           ///< per asset
  std::vector<U256> reserve_unit;                          ///< per Aave reserve: 10^decimals
  std::vector<double> reserve_unit_d;                      ///< the same, as a double
  std::vector<book::AssetId> reserve_asset;                ///< per Aave reserve: its asset in the book
  /// Per Aave reserve, for the healthy shortcut: normalized income and debt at the clock (RAY as a double) when
  /// the index was accrued to the clock; usable_d false otherwise (the exact math then always runs).
  std::vector<double> income_d, debt_index_d;
  std::vector<bool> usable_d;
  /// Per Aave reserve: its liquidity and variable borrow indexes in `snapshot` as RayDivisors (for the
  /// liquidations' rayDivs), absent for an index of 0 or above 128 bits.
  std::vector<std::optional<RayDivisor>> income_divisor, debt_divisor;
  aave::MarketSnapshot snapshot;  ///< the book's, with every index pre-accrued to the clock
  std::vector<MarketLink> markets;
  std::unordered_map<morpho::MarketId, std::uint32_t> market_index;
  /// Per position index: whether the engine can simulate it (Aave, or a Morpho position in a known market).
  std::vector<bool> simulated;
  std::vector<SaleRoute> routes;  ///< per asset id
  std::vector<U256> usd0;         ///< e8 per asset id
  /// For several runs (a grid; prepare(..., initial_copies)): every position's initial copy, an Aave user with its
  /// price-independent terms (set_terms) or a Morpho position, position `pos`'s at initial[initial_of[pos]].
  /// Empty for a single run, which builds its copies from the book.
  std::vector<Work> initial;
  std::vector<std::uint32_t> initial_of;
};

/// The crossing orders, routes, markets and tables of a cascade of `asset` on `book` under `model` (both must
/// outlive the result), with orders also for the assets in `moved` (those the shocks' betas move), and with
/// `initial_copies` every position's initial copy (Prepared::initial: for several runs; they depend on balances,
/// indexes and configurations, never on prices). Errors: unknown_asset, no_price, no_pool, bad_venue.
Result<Prepared> prepare(const book::PositionBook& book, const MarketModel& model, book::AssetId asset,
                         const std::vector<book::AssetId>& moved = {}, bool initial_copies = false);

/// A position's initial copy as the book holds it (an Aave user with its terms, or a Morpho position), in `w`.
void initial_copy(const Prepared& p, std::uint32_t pos, Work& w);

/// Recomputes w's price-independent terms (the healthy shortcut's factors and the 128-bit account terms) from its
/// balances. Reads only `snapshot`'s reserves (indexes, configurations), never its prices.
void set_terms(const Prepared& p, const aave::MarketSnapshot& snapshot, Work& w);

/// Where the engine starts looking at a position as one asset's price moves, the others fixed: whether the position
/// becomes liquidatable below its crossing (the asset is net collateral: a fall crosses) or above it (net debt), and
/// the visit price: the crossing's USD price moved by the closed form's largest error (beyond it for a fall, before
/// it for a rise), so that the exact math sees the true crossing in time.
struct CrossingPoint {
  bool below = true;
  double visit_usd = 0.0;
};

/// An Aave position's crossing in `t` at `snapshot`'s prices (nullopt when its health factor does not cross 1 as
/// that price moves), with its visit price.
std::optional<CrossingPoint> aave_crossing(const Prepared& p, const aave::MarketSnapshot& snapshot, const Work& w,
                                           book::AssetId t);

/// A Morpho position's crossing as `t`'s USD price (now `usd_t`, the market's oracle now `oracle`) moves, the other
/// token's fixed: the market's oracle (loan units per collateral unit) is proportional to the collateral's price and
/// inversely so to the loan token's, so a fall of the collateral crosses at usd_t x lp / oracle and a rise of the
/// loan token at usd_t x oracle / lp (lp: morpho::liquidation_price, exact in oracle units). The visit price of a
/// rise is moved below it by 1e-6 (the oracle's own flooring). nullopt when `t` is neither token (or both), or the
/// position has no crossing.
std::optional<CrossingPoint> morpho_crossing(const morpho::MarketParams& params, const morpho::MarketState& state,
                                             const morpho::Position& position, const U256& oracle,
                                             book::AssetId collateral, book::AssetId loan, book::AssetId t,
                                             double usd_t);

}  // namespace sluice::risk::detail
