#include "strategy/aave/math.hpp"

namespace sluice::aave {

namespace {

/// `width` bits of `word` starting at bit `start` (ReserveConfiguration's `(data & ~MASK) >> START_BIT_POSITION`).
std::uint64_t field(const U256& word, unsigned start, unsigned width) noexcept {
  const U256 mask = (U256{1} << width) - U256{1};
  return ((word >> start) & mask).limbs[0];  // every field is at most 40 bits wide
}

bool flag(const U256& word, unsigned bit) noexcept { return field(word, bit, 1) != 0; }

}  // namespace

ReserveConfig decode_reserve_config(const U256& bitmap) noexcept {
  ReserveConfig c;
  c.ltv_bps = static_cast<std::uint16_t>(field(bitmap, 0, 16));
  c.liquidation_threshold_bps = static_cast<std::uint16_t>(field(bitmap, 16, 16));
  c.liquidation_bonus_bps = static_cast<std::uint16_t>(field(bitmap, 32, 16));
  c.decimals = static_cast<std::uint8_t>(field(bitmap, 48, 8));
  c.active = flag(bitmap, 56);
  c.frozen = flag(bitmap, 57);
  c.borrowing_enabled = flag(bitmap, 58);
  c.stable_borrowing_enabled = flag(bitmap, 59);
  c.paused = flag(bitmap, 60);
  c.borrowable_in_isolation = flag(bitmap, 61);
  c.siloed_borrowing = flag(bitmap, 62);
  c.flashloan_enabled = flag(bitmap, 63);
  c.reserve_factor_bps = static_cast<std::uint16_t>(field(bitmap, 64, 16));
  c.borrow_cap = field(bitmap, 80, 36);
  c.supply_cap = field(bitmap, 116, 36);
  c.liquidation_protocol_fee_bps = static_cast<std::uint16_t>(field(bitmap, 152, 16));
  c.emode_category = static_cast<std::uint8_t>(field(bitmap, 168, 8));
  c.unbacked_mint_cap = field(bitmap, 176, 36);
  c.debt_ceiling = field(bitmap, 212, 40);
  return c;
}

}  // namespace sluice::aave
