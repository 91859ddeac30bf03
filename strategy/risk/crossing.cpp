#include "strategy/risk/cascade.hpp"
#include "strategy/risk/cascade_detail.hpp"
#include "strategy/risk/numeric.hpp"

#include <algorithm>

namespace sluice::risk {

const char* describe(CascadeError e) noexcept {
  switch (e) {
    case CascadeError::unknown_asset: return "the shocked asset is not in the book";
    case CascadeError::no_price: return "the shocked asset has no USD price";
    case CascadeError::bad_shock: return "shock outside (-100%, +inf), or a grid with a zero or ill-signed step";
    case CascadeError::no_pool: return "seized collateral must be sold but no pool trades it";
    case CascadeError::bad_venue: return "venue share outside [0, 1], or venue parameters the square-root law refuses";
  }
  return "unknown cascade error";
}

namespace detail {

std::optional<std::uint16_t> aave_reserve_of(const book::PositionBook& book, book::AssetId asset) noexcept {
  const auto& address = book.asset(asset).address;
  for (const auto& r : book.aave_market().reserves)
    if (r.asset == address && address != Address{}) return r.id;
  return std::nullopt;
}

U256 usd_price_e8(const book::PositionBook& book, book::AssetId asset) noexcept {
  const auto& a = book.asset(asset);
  if (a.usd_price != U256{}) return a.usd_price;
  const auto& m = book.aave_market();
  if (auto r = aave_reserve_of(book, asset); r && *r < m.prices.size() && m.base_currency_unit == U256{100'000'000})
    return m.prices[*r];
  return U256{};
}

}  // namespace detail

namespace detail {

book::ViewFilter crossing_filter() noexcept {
  book::ViewFilter f;
  f.best_liquidation = false;
  return f;
}

std::vector<RowCrossing> row_crossings(const std::vector<book::PositionView>& views, const book::PositionBook& book,
                                       book::AssetId asset, double floor_usd) {
  std::vector<RowCrossing> out;
  if (asset >= book.asset_count()) return out;
  const double current = to_double(detail::usd_price_e8(book, asset)) / 1e8;
  for (std::uint32_t row = 0; row < views.size(); ++row) {
    const auto& v = views[row];
    if (!v.error.empty()) continue;
    bool exposed = false;
    for (const auto& h : v.collateral) exposed = exposed || h.asset == asset;
    if (!exposed) continue;
    double price = -1.0;
    if (v.liquidatable) {
      price = current;
    } else {
      // A fall crosses only a position that is net collateral in the asset; one that is net debt in it
      // (liquidatable above its price) crosses on a rise.
      for (const auto& lp : v.liquidation_prices)
        if (lp.asset == asset && lp.liquidatable_below) price = lp.price_usd;
      // A closed-form price a hair above the current one (rounding) still counts as "at the current price".
      if (price > current) price = current;
    }
    if (price < 0.0 || price < floor_usd) continue;
    out.push_back({{v.key, price, v.debt_usd, v.collateral_usd}, row});
  }
  // view() is sorted by health factor with deterministic ties; a stable sort keeps that order among equal prices.
  std::stable_sort(out.begin(), out.end(), [](const RowCrossing& a, const RowCrossing& b) {
    return a.crossing.price_usd > b.crossing.price_usd;
  });
  return out;
}

std::vector<Crossing> crossings_from(const std::vector<book::PositionView>& views, const book::PositionBook& book,
                                     book::AssetId asset, double floor_usd) {
  std::vector<Crossing> out;
  for (auto& c : row_crossings(views, book, asset, floor_usd)) out.push_back(std::move(c.crossing));
  return out;
}

}  // namespace detail

std::vector<Crossing> crossings(const book::PositionBook& book, book::AssetId asset, double floor_usd) {
  if (asset >= book.asset_count()) return {};
  return detail::crossings_from(book.view(detail::crossing_filter()), book, asset, floor_usd);
}

}  // namespace sluice::risk
