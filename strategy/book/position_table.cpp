// The position book's flat position table, exposure lists and asset table.
#include "strategy/book/book_impl.hpp"
#include "strategy/book/closed_form.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::book {

std::uint32_t PositionBook::Impl::allocate_position(const PositionKey& key, std::uint32_t record_index) {
  std::uint32_t id;
  if (!free_positions.empty()) {
    id = free_positions.back();
    free_positions.pop_back();
    keys[id] = key;
    record[id] = record_index;
    ++generation[id];
    flags[id] = kAlive;
    health_factor[id] = U256::max();
    collateral_usd[id] = debt_usd[id] = 0.0;
  } else {
    id = static_cast<std::uint32_t>(keys.size());
    keys.push_back(key);
    record.push_back(record_index);
    generation.push_back(0);
    flags.push_back(kAlive);
    health_factor.push_back(U256::max());
    collateral_usd.push_back(0.0);
    debt_usd.push_back(0.0);
  }
  index.emplace(key, id);
  ++live;
  return id;
}

void PositionBook::Impl::release_position(std::uint32_t id) {
  index.erase(keys[id]);
  ++generation[id];
  flags[id] = 0;
  free_positions.push_back(id);
  --live;
}

void PositionBook::Impl::add_exposure(ExposureList& list, std::uint32_t id) {
  list.entries.push_back({id, generation[id]});
}

void PositionBook::Impl::mark_stale(ExposureList& list) { ++list.stale; }

void PositionBook::Impl::compact(ExposureList& list) {
  std::erase_if(list.entries, [&](const ExposureEntry& e) {
    return generation[e.position] != e.generation || !(flags[e.position] & kAlive);
  });
  list.stale = 0;
}

void PositionBook::Impl::rebuild_exposures() {
  for (auto& list : by_asset) list = ExposureList{};
  for (auto& market : markets) market.positions = ExposureList{};
  for (std::uint32_t id = 0; id < keys.size(); ++id) {
    if (!(flags[id] & kAlive)) continue;
    if (keys[id].protocol == Protocol::aave_v3) add_aave_exposures(id);
    else add_morpho_exposures(id);
  }
}

AssetId PositionBook::Impl::intern(const Address& address, std::string symbol, std::uint8_t decimals, bool update) {
  if (auto it = asset_index.find(address); it != asset_index.end()) {
    if (update) {
      auto& a = assets[it->second];
      if (!symbol.empty()) a.symbol = std::move(symbol);
      a.decimals = decimals;
    }
    return it->second;
  }
  const auto id = static_cast<AssetId>(assets.size());
  assets.push_back(Asset{address, std::move(symbol), decimals, U256{}});
  asset_index.emplace(address, id);
  by_asset.emplace_back();
  return id;
}

double PositionBook::Impl::usd_price(AssetId id) const noexcept {
  if (!assets[id].usd_price.is_zero()) return to_double(assets[id].usd_price) / 1e8;
  // No USD feed given: an Aave reserve's oracle price, the base currency being USD (BASE_CURRENCY_UNIT 1e8).
  if (id < asset_reserve.size() && asset_reserve[id] >= 0 && !aave_market.base_currency_unit.is_zero())
    return to_double(aave_market.prices[static_cast<std::size_t>(asset_reserve[id])]) /
           to_double(aave_market.base_currency_unit);
  return 0.0;
}

double PositionBook::Impl::usd_value(AssetId id, const U256& amount) const noexcept {
  if (amount.is_zero()) return 0.0;
  return to_double(amount) / std::pow(10.0, assets[id].decimals) * usd_price(id);
}

}  // namespace sluice::book
