#pragma once
/// Where the planner sells seized collateral, and what selling costs: which assets are sold and for what, the pools
/// of that pair in the market model, the exact route of a sale (strategy/risk/route.hpp) and its expected slippage
/// against the pools' arbitrage mid.
///
/// Which assets are sold. An asset with a `MarketModel::sell_for` entry is sold for that token. Otherwise, unless
/// the model sells only listed assets, an asset is sold for the other token of its deepest pool, provided it is not
/// itself the proceeds of another asset's sale (so USDC, what WETH and WBTC are sold for, is kept as inventory
/// rather than swapped back into WETH). Everything else is kept.
#include "strategy/book/position_book.hpp"
#include "strategy/risk/cascade.hpp"
#include "strategy/risk/route.hpp"

#include <optional>
#include <vector>

namespace sluice::plan {

struct DisposalVenue {
  book::AssetId asset = 0;
  book::AssetId proceeds = 0;
  std::vector<risk::Pool> pools;  ///< the model's pools holding both tokens
  double mid = 0.0;               ///< arbitrage mid of those pools, whole proceeds per whole asset
};

/// The venue `asset` is sold on; nullopt when it is kept (see the file comment) or no pool trades the pair.
std::optional<DisposalVenue> disposal_venue(const book::PositionBook& book, const risk::MarketModel& model,
                                            book::AssetId asset);

/// The exact route of selling `amount` on `venue` (route_sale on its pools).
Result<risk::Route> route(const book::PositionBook& book, const DisposalVenue& venue, const U256& amount);

/// Expected slippage of selling `amount` (USD): amount at the mid minus the route's output, valued at the proceeds'
/// USD price; the pools' fee is part of it. 0 for a zero amount; nullopt when the route fails.
std::optional<double> sale_slippage_usd(const book::PositionBook& book, const DisposalVenue& venue,
                                        const U256& amount);

}  // namespace sluice::plan
