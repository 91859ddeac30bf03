#pragma once
/// The cascade engine (issue 6): from the position book and on-chain DEX liquidity, which positions cross as one
/// asset's price moves, and how far a cascade runs: liquidate everything that crossed (exactly as each protocol
/// does), sell the seized collateral into the pools, move the market price, let the oracle follow, re-evaluate,
/// until nothing new crosses or a round limit. Pure and deterministic: the same book and model give the same
/// result, so the daemon, `sluice cascade` and the backtest agree.

#include "chain/error.hpp"
#include "strategy/book/position_book.hpp"
#include "strategy/risk/impact.hpp"
#include "strategy/risk/oracle_coupling.hpp"
#include "strategy/risk/uniswap_v2.hpp"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace sluice::risk {

enum class CascadeError {
  unknown_asset = 1,  ///< the shocked asset is not in the book
  no_price,           ///< the shocked asset has no USD price
  bad_shock,          ///< shock outside (-1, +inf), or a grid with a zero/ill-signed step
  bad_venue,          ///< venue_share outside [0, 1], or venue parameters the square-root law refuses
  no_pool,            ///< collateral must be sold but no pool trades it
};
const char* describe(CascadeError e) noexcept;
SLUICE_ERROR_CATEGORY(CascadeError, "cascade")

/// An initial move of one asset's market price by `fraction` (-0.2 = -20%); other assets move by beta * fraction
/// (betas default to 0: other prices fixed).
struct Shock {
  book::AssetId asset = 0;
  double fraction = 0.0;
  std::vector<std::pair<book::AssetId, double>> betas;
};

/// Who liquidates and how, in the model. Defaults follow what a rational liquidator (and the devnet's competitor)
/// does: the largest liquidation the protocol allows, repeated while the position stays liquidatable, seized
/// collateral sold into the pools in the following round.
struct LiquidatorModel {
  bool repeat_partial = true;           ///< Aave: liquidate again while HF < 1 (close factor per call)
  std::uint32_t max_calls_per_position_per_round = 1;
  bool sell_seized_collateral = true;   ///< false: liquidators keep the collateral (no market impact)
};

/// The market side of the model: pools with their reserves at the book's block, how the oracle follows the market,
/// an optional off-chain venue term, and the round limit. One round is one block.
struct MarketModel {
  std::vector<Pool> pools;  ///< Uniswap v2 pools (reserves read at the book's block)
  /// What each collateral is sold for (e.g. WETH -> USDC). Assets absent here are sold for the token paired
  /// with them in their deepest pool.
  std::vector<std::pair<book::AssetId, book::AssetId>> sell_for;
  CouplingSpec coupling;                 ///< default: full (oracle = market price each block)
  /// Blocks between a market price and the oracle answer that reports it: 1 = the feed posts, in block r, the
  /// pool price read after block r - 1 (the devnet's market-coupled feeds); 0 = the same block's price.
  std::uint32_t oracle_latency_blocks = 1;
  /// true: only assets listed in `sell_for` are sold (the devnet competitor sells only pool base assets: WETH,
  /// WBTC for USDC, never USDC); false: unlisted assets go to their deepest pool's other token.
  bool sell_only_listed = false;
  /// Off-chain venue term (square-root law, strategy/risk/impact.hpp). When set, `venue_share` of every sale of
  /// seized collateral goes to the venue instead of the pools: its permanent part phi * I compounds onto the
  /// asset's market price (so the oracle follows it, by the coupling), its temporary part only raises the sale's
  /// cost (average shortfall 2/3 I). The rest is routed through the pools as without a venue.
  std::optional<SqrtLawParams> venue;
  double venue_share = 0.5;  ///< fraction of each sale sold on the venue when `venue` is set (0..1)
  LiquidatorModel liquidator;
  std::uint32_t max_rounds = 64;
};

/// One modelled liquidation.
struct ModelLiquidation {
  book::PositionKey key;
  book::AssetId collateral = 0;
  book::AssetId debt = 0;
  U256 debt_repaid;        ///< debt asset native units
  U256 collateral_seized;  ///< collateral native units to the liquidator
  U256 protocol_fee;       ///< collateral native units (Aave)
  U256 bad_debt;           ///< debt asset native units realised (Morpho, collateral exhausted)
  double debt_repaid_usd = 0.0;
  double collateral_seized_usd = 0.0;
  double oracle_price_usd = 0.0;  ///< of the collateral, at which it was liquidated
  /// Toxic: the liquidation leaves the position worse (LTV after > 1 / (1 + bonus), so the next one can only
  /// deepen it toward bad debt).
  bool toxic = false;
};

/// One round (block) of the cascade.
struct CascadeRound {
  std::uint32_t index = 0;
  std::vector<ModelLiquidation> liquidations;
  double debt_repaid_usd = 0.0;
  U256 collateral_sold;        ///< native units of the shocked asset sold this round
  double collateral_sold_usd = 0.0;
  double market_price_before = 0.0;  ///< USD, shocked asset, pool-implied
  double market_price_after = 0.0;
  double oracle_price_before = 0.0;  ///< USD, what the protocols used this round
  double oracle_price_after = 0.0;
  double slippage_bps = 0.0;         ///< average execution vs pre-sale marginal price
  double slippage_usd = 0.0;
};

struct CascadeResult {
  double shock = 0.0;
  double initial_price = 0.0;  ///< USD, shocked asset, before the shock
  double shocked_price = 0.0;  ///< after the exogenous shock only
  double final_price = 0.0;    ///< market, after the last round
  double final_oracle_price = 0.0;
  std::vector<CascadeRound> rounds;  ///< rounds with at least one liquidation or sale
  std::size_t liquidations = 0;
  std::size_t positions_liquidated = 0;
  double liquidated_debt_usd = 0.0;
  double collateral_sold_usd = 0.0;
  double slippage_usd = 0.0;
  double liquidator_profit_usd = 0.0;  ///< seized value at execution minus debt repaid, after slippage
  double bad_debt_usd = 0.0;
  std::size_t toxic_liquidations = 0;
  /// Liquidation calls the protocol's math refused (the contract would revert: e.g. a paused reserve, or Morpho
  /// totals smaller than what the position owes); the position is left as it was and not tried again. Non-zero
  /// means the book's state is one the model cannot fully play out.
  std::size_t reverted_calls = 0;
  bool hit_round_limit = false;
};

/// Runs one cascade from `shock` on a copy of the relevant book state (the book is not modified).
///
/// The model, exactly (one round = one block, r = 1, 2, ...):
/// - Shock (round 0): every pool trading the asset against what it is sold for is moved along its constant
///   product to (1 + fraction) times its price; the asset's oracle answer (USD, 8 decimals) moves to (1 +
///   fraction) times the book's USD price in every coupling mode (the exogenous move reaches the oracle; the
///   coupling governs only how it follows the pools afterwards). Other assets: oracle x (1 + beta fraction).
/// - Oracle to protocols: the Aave snapshot's price of the asset is its price before x (answer / answer before),
///   exact integer mul_div; a Morpho market with the asset as collateral takes answer x 10^(36 + loan decimals -
///   collateral decimals) / loan USD price (the devnet's FeedRatioOracle, scripts/contracts/FeedRatioOracle.sol)
///   when that formula reproduces its current oracle price from the book's USD prices, otherwise its oracle price
///   scaled in proportion to the answer; a market with the asset as loan token, in inverse proportion.
/// - Round r: (1) the collateral seized in round r - 1 is sold (route_sale across the pools trading it for its
///   `sell_for` token); (2) every position liquidatable at the oracle answers in force (posted in round r - 1) is
///   liquidated: Aave by aave::liquidation with debt_to_cover = max (close factor 50% / 100% under HF 0.95), on the
///   largest debt by oracle value against the largest enabled collateral by oracle value (what the devnet's
///   competitor, scripts/scenario.d/liquidation_math.js, does), Morpho by morpho::liquidate_max (bad debt realised
///   when the collateral runs out); `max_calls_per_position_per_round` calls each (repeated next round while
///   still liquidatable when `repeat_partial`); (3) the oracle of every tracked asset posts
///   coupling.on_block(its market price at the end of round r - oracle_latency_blocks), applied from round r + 1.
///   Tracked assets: the shocked one and every other asset that is sold (its pools move, and its oracle follows
///   them by the same coupling, as the devnet's market-coupled feeds do); other assets' oracles stay fixed.
/// - Stops after latency + lag + 1 rounds in a row with no sale, no liquidation and no oracle change, or after
///   `max_rounds` (hit_round_limit). A deviation feed's heartbeat is not waited for.
/// - Not modelled: interest over the cascade's blocks (the book's clock is used throughout), arbitrage from
///   outside the pools, an Aave eMode price source (treated as the asset's own price when re-queueing).
/// - Which positions are looked at, per watched asset (the tracked ones and those a beta moves): crossings()
///   orders the positions net collateral in it by liquidation price (highest first), and the positions a rise of
///   it crosses (Aave positions net debt in it, Morpho positions of markets lending it) have a rise order (the
///   price above which each is liquidatable, lowest first). An Aave entry is placed at its visit price: its closed-form
///   crossing moved by the closed form's largest error (the contract floors the average liquidation threshold to
///   whole bps; for a position with a small share of its collateral or debt in the asset, that is a large move of
///   the price). A round visits the entries at or above the asset's oracle answer less 0.2%, and those of the rise
///   order at or below it plus 0.2%; it re-queues a partially liquidated position at its new visit prices, for a
///   fall or a rise as the position is net collateral or net debt in the asset. The positions liquidatable at the
///   book's prices are visited in the first round whatever the shock. The prices hold the other assets' prices
///   fixed, so once two assets that can move (tracked, or shocked by a beta) have left their book prices, a
///   position exposed to two that can move against it (collateral that may fall, debt that may rise) is looked at
///   on every oracle move instead, and checked exactly unless clearly healthy. A position with neither collateral
///   nor debt in a watched asset is looked at only when it is liquidatable at the book's prices (in the first
///   round: no move of the model reaches it otherwise). Every decision is the protocols' exact math on private
///   copies.
Result<CascadeResult> simulate_cascade(const book::PositionBook& book, const MarketModel& model, const Shock& shock);

/// The cascade curve: one summary per shock from `from` to `to` by `step` (fractions, e.g. 0, -0.60, -0.005 for
/// 121 points), each exactly simulate_cascade's at that shock with these `betas` (Shock::betas). Rounds keep their
/// totals but not their liquidation lists. `threads` > 1 runs points in parallel (the same results, in grid order,
/// whatever the number of threads; fewer if the system has no more to give).
Result<std::vector<CascadeResult>> cascade_grid(const book::PositionBook& book, const MarketModel& model,
                                                book::AssetId asset, double from, double to, double step,
                                                unsigned threads = 1,
                                                const std::vector<std::pair<book::AssetId, double>>& betas = {});

/// A position that crosses (becomes liquidatable) when `asset` falls to `price_usd`, other prices fixed.
struct Crossing {
  book::PositionKey key;
  double price_usd = 0.0;
  double debt_usd = 0.0;        ///< at current prices
  double collateral_usd = 0.0;  ///< at current prices
};

/// Every position exposed to `asset` whose liquidation price in it lies within [floor_usd, current price],
/// highest price first (the next to cross first). Already liquidatable positions come first at the current price.
/// A position that is net debt in the asset (Aave: more debt in it than liquidation-threshold-weighted collateral)
/// has no crossing here: a fall only makes it healthier.
std::vector<Crossing> crossings(const book::PositionBook& book, book::AssetId asset, double floor_usd = 0.0);

}  // namespace sluice::risk

SLUICE_ERROR_ENUM(sluice::risk::CascadeError)
