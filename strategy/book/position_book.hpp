#pragma once
/// The position book: every Aave v3 account and Morpho Blue position the keeper follows, in flat storage, with
/// health factors from the protocols' exact math, liquidation prices, and an index from asset to the positions
/// exposed to it so a price tick re-evaluates only those. Pure: the keeper fills it from chain reads.
///
/// Always exact: every health factor, liquidatable flag and Aave account total the book reports equals the
/// protocol math called directly (aave::account_data, morpho::is_healthy / health_factor) on the book's state and
/// clock, because it is recomputed with exact integer math whenever an input changes (see book_impl.hpp for the
/// caches). Floating point: USD figures, liquidation prices and distances (closed forms; forecasts, not decisions).

#include "chain/address.hpp"
#include "chain/u256.hpp"
#include "strategy/aave/types.hpp"
#include "strategy/book/book_stats.hpp"
#include "strategy/core/protocol.hpp"
#include "strategy/morpho/types.hpp"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::book {

/// Index of an asset in the book's asset table.
using AssetId = std::uint16_t;

/// An ERC-20 the book knows, with its USD price (for reports and the Morpho side; Aave's own math uses the Aave
/// oracle's prices held in the Aave snapshot). While `usd_price` is zero, an Aave reserve's USD value comes from
/// the Aave oracle (base currency USD, BASE_CURRENCY_UNIT 1e8), and set_aave_price revalues it.
struct Asset {
  Address address;
  std::string symbol;
  std::uint8_t decimals = 18;
  U256 usd_price;  ///< USD with 8 decimals (Chainlink USD feeds, Aave's BASE_CURRENCY_UNIT)
};

/// Identity of a position: an Aave account, or an account in one Morpho market (market is zero for Aave).
struct PositionKey {
  Protocol protocol = Protocol::aave_v3;
  Address account;
  morpho::MarketId market;
  friend bool operator==(const PositionKey&, const PositionKey&) = default;
};

/// One asset side of a position.
struct Holding {
  AssetId asset = 0;
  U256 amount;        ///< native units, interest accrued to the book's timestamp
  double usd = 0.0;
};

/// The price of one collateral asset at which the position's health factor reaches 1 with every other price
/// fixed; `distance` is (price / current - 1), negative for a fall. Absent when no price of that asset can make the
/// position liquidatable (e.g. the same asset is collateral and debt at a ratio that never crosses).
/// Aave: the root of HF(p) = (A + a p) / (B + b p) in the price the account math uses (when it is the eMode
/// category source's, every asset of the category moves with it), converted from the base currency (USD, 1e8) to
/// dollars; it ignores the protocol's truncation of the average liquidation threshold to whole bps, so the exact
/// HF at that price is up to ~1/LT (~1e-4) below 1.
/// Morpho: borrowed x 1e36 / (collateral x lltv) in oracle scale, converted with the decimals and the loan token's
/// USD price.
struct LiquidationPrice {
  AssetId asset = 0;
  double price_usd = 0.0;
  double distance = 0.0;
  /// true: liquidatable below the price (the asset is net collateral: a fall crosses); false: above it (Aave, the
  /// asset is net debt, a < b: only a rise crosses, and a fall makes the position healthier).
  bool liquidatable_below = true;
};

/// The most profitable single liquidation of a liquidatable position, from the protocol's exact math.
struct BestLiquidation {
  AssetId collateral = 0;
  AssetId debt = 0;
  U256 debt_repaid;        ///< debt asset native units
  U256 collateral_seized;  ///< collateral native units to the liquidator
  double gross_profit_usd = 0.0;  ///< seized value minus repaid value at the book's USD prices, before gas
};

/// What reports show about one position.
struct PositionView {
  PositionKey key;
  U256 health_factor;         ///< WAD (Aave: exactly getUserAccountData's; Morpho: max borrow / borrowed)
  bool liquidatable = false;  ///< the protocol's own decision (Aave HF < 1; Morpho !_isHealthy)
  double collateral_usd = 0.0;  ///< sum of `collateral` at the book's USD prices
  double debt_usd = 0.0;        ///< sum of `debt` at the book's USD prices
  std::vector<Holding> collateral;  ///< largest USD first (Aave: reserves enabled as collateral)
  std::vector<Holding> debt;
  std::vector<LiquidationPrice> liquidation_prices;  ///< main collateral (largest USD) first
  std::optional<BestLiquidation> best_liquidation;   ///< when liquidatable
  /// Debt left with no collateral to seize: liquidatable by the protocol's test, yet no liquidation can succeed
  /// or recover anything (Aave v3.0 keeps such debt on its books; Morpho realises it in the last liquidation).
  bool bad_debt = false;
  /// Empty when the exact math succeeded; otherwise the protocol error (the position then sorts last, HF max,
  /// and is never liquidatable).
  std::string error;
};

/// Filter for `PositionBook::view`.
struct ViewFilter {
  double min_health_factor = 0.0;
  double max_health_factor = std::numeric_limits<double>::infinity();
  bool include_debt_free = false;  ///< positions without debt (HF infinite) are left out unless asked for
  /// Only positions exposed to this asset (as collateral or debt), read from the book's exposure index.
  std::optional<AssetId> exposed_to;
  /// false: leave `best_liquidation` empty (computing it runs the liquidation math, ~9 us per liquidatable row).
  bool best_liquidation = true;
};

class PositionBook {
 public:
  PositionBook();
  ~PositionBook();
  PositionBook(PositionBook&&) noexcept;
  PositionBook& operator=(PositionBook&&) noexcept;

  /// Adds (or finds) an asset; symbol and decimals are updated when given again.
  AssetId intern_asset(const Address& address, std::string symbol, std::uint8_t decimals);
  std::optional<AssetId> find_asset(const Address& address) const noexcept;
  const Asset& asset(AssetId id) const;
  std::size_t asset_count() const noexcept;
  /// A USD price tick (8 decimals). Revalues (USD totals) only the positions exposed to that asset; health factors
  /// do not depend on it (Aave uses its oracle prices, Morpho its market oracle).
  void set_usd_price(AssetId id, const U256& price);

  /// The time and block the math accrues interest to. Re-evaluates everything (indexes move).
  void set_clock(std::uint64_t block, std::uint64_t timestamp);

  /// Replaces Aave's market-wide state (reserves, oracle prices, eModes); re-evaluates every Aave account. Interns
  /// every reserve's asset (symbol, decimals). The clock only moves forward: a snapshot later than the book's clock
  /// moves the clock to its block and timestamp (re-accruing the Morpho markets too); an earlier one (or one with
  /// timestamp 0) is evaluated at the book's clock.
  void set_aave_market(aave::MarketSnapshot market);
  /// An Aave oracle price tick for one reserve (AaveOracle units); re-evaluates the accounts exposed to it.
  void set_aave_price(std::uint16_t reserve_id, const U256& price);
  /// Inserts or replaces an account (read fresh from chain). An account with an empty configuration is removed.
  void upsert_aave_user(aave::UserState user);

  /// Inserts or replaces a Morpho market (params, state, rate, oracle price); re-evaluates its positions.
  void upsert_morpho_market(morpho::Market market);
  /// A Morpho oracle price tick (1e36 scale) for one market; re-evaluates that market's positions.
  void set_morpho_price(const morpho::MarketId& market, const U256& oracle_price);
  /// Inserts or replaces a position (read fresh from chain); an empty position (no collateral, no borrow) is removed.
  void upsert_morpho_position(const morpho::MarketId& market, const Address& account, const morpho::Position& position);

  /// Number of positions (Aave accounts plus Morpho positions).
  std::size_t size() const noexcept;
  /// Positions matching `filter`, sorted by health factor, lowest first (ties by protocol, market, account).
  std::vector<PositionView> view(const ViewFilter& filter = {}) const;
  /// One position, if the book holds it.
  std::optional<PositionView> find(const PositionKey& key) const;

  /// The book's clock (block, timestamp) the math accrues interest to.
  std::uint64_t block() const noexcept;
  std::uint64_t timestamp() const noexcept;

  /// The Aave snapshot and account state held (for the cascade engine and the executor). The snapshot's
  /// timestamp and block are the book's clock. Accounts live in flat storage, so the state is rebuilt on request.
  const aave::MarketSnapshot& aave_market() const noexcept;
  std::optional<aave::UserState> aave_user(const Address& account) const;
  /// The cached GenericLogic.calculateUserAccountData of an account (bit-identical to aave::account_data on
  /// `aave_market()` and `aave_user(account)`); nullopt when unknown or when the exact math failed.
  std::optional<aave::AccountData> aave_account_data(const Address& account) const;
  const morpho::Market* morpho_market(const morpho::MarketId& id) const noexcept;
  /// Valid until the book is next changed.
  const morpho::Position* morpho_position(const morpho::MarketId& id, const Address& account) const noexcept;

  /// Work counters (evaluations per protocol, index refreshes, fallbacks), for tests and metrics.
  const BookStats& stats() const noexcept;
  void reset_stats() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::book
