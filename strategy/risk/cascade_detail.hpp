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


}  // namespace sluice::risk::detail
