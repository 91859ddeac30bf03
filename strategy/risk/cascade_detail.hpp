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

/// crossings() on an already built view of the book (one view serves several assets). `net_debt_at_current`: a
/// position that is net debt in the asset (liquidatable only above its price) is listed at the current price
/// instead of left out; the cascade engine then checks it from its first round on, so a rise of the asset still
/// finds it.
std::vector<Crossing> crossings_from(const std::vector<book::PositionView>& views, const book::PositionBook& book,
                                     book::AssetId asset, double floor_usd, bool net_debt_at_current = false);

}  // namespace sluice::risk::detail
