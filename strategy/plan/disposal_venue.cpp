#include "strategy/plan/disposal_venue.hpp"

#include "strategy/plan/valuation.hpp"
#include "strategy/risk/impact.hpp"
#include "strategy/risk/numeric.hpp"

#include <algorithm>

namespace sluice::plan {

namespace {

std::optional<book::AssetId> proceeds_of(const book::PositionBook& book, const risk::MarketModel& model,
                                         book::AssetId asset) {
  for (const auto& [from, to] : model.sell_for)
    if (from == asset) return to < book.asset_count() ? std::optional(to) : std::nullopt;
  if (model.sell_only_listed) return std::nullopt;
  for (const auto& [from, to] : model.sell_for)
    if (to == asset) return std::nullopt;
  const Address& in = book.asset(asset).address;
  std::optional<book::AssetId> best;
  U256 depth;
  for (const auto& p : model.pools) {
    const auto side = risk::orient(p, in);
    if (!side || (best && side->reserve_in <= depth)) continue;
    const auto other = book.find_asset(p.token0 == in ? p.token1 : p.token0);
    if (!other) continue;
    depth = side->reserve_in;
    best = other;
  }
  return best;
}

}  // namespace

std::optional<DisposalVenue> disposal_venue(const book::PositionBook& book, const risk::MarketModel& model,
                                            book::AssetId asset) {
  if (asset >= book.asset_count()) return std::nullopt;
  const auto proceeds = proceeds_of(book, model, asset);
  if (!proceeds || *proceeds == asset) return std::nullopt;
  DisposalVenue v{asset, *proceeds, {}, 0.0};
  const Address& in = book.asset(asset).address;
  const Address& out = book.asset(*proceeds).address;
  std::vector<risk::PoolSide> sides;
  for (const auto& p : model.pools)
    if ((p.token0 == in && p.token1 == out) || (p.token1 == in && p.token0 == out)) {
      v.pools.push_back(p);
      sides.push_back(*risk::orient(p, in));
    }
  if (v.pools.empty()) return std::nullopt;
  v.mid = risk::arbitrage_price(sides);
  return v;
}

Result<risk::Route> route(const book::PositionBook& book, const DisposalVenue& venue, const U256& amount) {
  return risk::route_sale(venue.pools, book.asset(venue.asset).address, book.asset(venue.proceeds).address, amount);
}

std::optional<double> sale_slippage_usd(const book::PositionBook& book, const DisposalVenue& venue,
                                        const U256& amount) {
  if (amount.is_zero()) return 0.0;
  const auto r = route(book, venue, amount);
  if (!r) return std::nullopt;
  const double in = risk::to_units(amount, book.asset(venue.asset).decimals);
  const double out = risk::to_units(r->amount_out, book.asset(venue.proceeds).decimals);
  const double shortfall = std::max(0.0, in * venue.mid - out);
  return shortfall * usd_price(book, venue.proceeds).value_or(0.0);
}

}  // namespace sluice::plan
