// PositionBook's lifetime, assets and clock (the protocol sides are in aave_accounts.cpp and morpho_positions.cpp,
// reports in book_views.cpp; the layout is described in book_impl.hpp).
#include "strategy/book/book_impl.hpp"


namespace sluice::book {

PositionBook::PositionBook() : impl_(std::make_unique<Impl>()) {}
PositionBook::~PositionBook() = default;
PositionBook::PositionBook(PositionBook&&) noexcept = default;
PositionBook& PositionBook::operator=(PositionBook&&) noexcept = default;

AssetId PositionBook::intern_asset(const Address& address, std::string symbol, std::uint8_t decimals) {
  return impl_->intern(address, std::move(symbol), decimals, true);
}

std::optional<AssetId> PositionBook::find_asset(const Address& address) const noexcept {
  auto it = impl_->asset_index.find(address);
  if (it == impl_->asset_index.end()) return std::nullopt;
  return it->second;
}

const Asset& PositionBook::asset(AssetId id) const { return impl_->assets.at(id); }
std::size_t PositionBook::asset_count() const noexcept { return impl_->assets.size(); }

void PositionBook::set_usd_price(AssetId id, const U256& price) {
  auto& m = *impl_;
  if (id >= m.assets.size()) return;
  m.assets[id].usd_price = price;
  m.for_each_exposed(m.by_asset[id], [&](std::uint32_t pid) {
    if (m.keys[pid].protocol == Protocol::aave_v3) m.evaluate_aave_usd(pid);
    else m.evaluate_morpho_usd(pid);
  });
}

void PositionBook::set_clock(std::uint64_t block, std::uint64_t timestamp) {
  auto& m = *impl_;
  m.block = block;
  m.timestamp = timestamp;
  m.clock_set = true;
  m.aave_market.block = block;
  m.aave_market.timestamp = timestamp;
  m.refresh_reserve_caches();
  m.reevaluate_all_aave(true);
  for (std::uint32_t i = 0; i < m.markets.size(); ++i) m.reevaluate_market(i, true);
}

std::uint64_t PositionBook::block() const noexcept { return impl_->block; }
std::uint64_t PositionBook::timestamp() const noexcept { return impl_->timestamp; }
std::size_t PositionBook::size() const noexcept { return impl_->live; }
const BookStats& PositionBook::stats() const noexcept { return impl_->stats; }
void PositionBook::reset_stats() noexcept { impl_->stats = BookStats{}; }

}  // namespace sluice::book
