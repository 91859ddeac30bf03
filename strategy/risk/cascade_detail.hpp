#pragma once
/// Internals shared by crossing.cpp and cascade*.cpp (not part of the public interface).

#include "strategy/risk/cascade.hpp"

#include <optional>

namespace sluice::risk::detail {

/// The asset's Aave reserve id, if Aave lists it.
std::optional<std::uint16_t> aave_reserve_of(const book::PositionBook& book, book::AssetId asset) noexcept;

/// USD price of `asset` with 8 decimals: the book's USD price, or (for an Aave reserve without one) the Aave
/// oracle price when its base currency is USD with 8 decimals. Zero when unknown.
U256 usd_price_e8(const book::PositionBook& book, book::AssetId asset) noexcept;


/// The view crossings_from() needs: every position with debt, without the best-liquidation search.
book::ViewFilter crossing_filter() noexcept;

/// A crossing and the row of the view it comes from.
struct RowCrossing {
  Crossing crossing;
  std::uint32_t row = 0;
};

/// crossings_from() with each entry's row in `views`.
std::vector<RowCrossing> row_crossings(const std::vector<book::PositionView>& views, const book::PositionBook& book,
                                       book::AssetId asset, double floor_usd);

/// crossings() on an already built view of the book (one view serves several assets). A position net debt in the
/// asset (liquidatable only above its price) is left out: the cascade engine's rise order has it.
std::vector<Crossing> crossings_from(const std::vector<book::PositionView>& views, const book::PositionBook& book,
                                     book::AssetId asset, double floor_usd);

}  // namespace sluice::risk::detail
