// ReserveConfigurationMap decoding: bitmaps built field by field at the bit positions of ReserveConfiguration.sol
// (@aave/core-v3 1.19.3), and one real bitmap read from the devnet.

#include "strategy/aave/math.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::aave;

namespace {
U256 at(std::uint64_t value, unsigned start_bit) { return U256{value} << start_bit; }
}  // namespace

TEST_CASE("aave reserve config: every field decodes from its own bits") {
  // Start bit positions from ReserveConfiguration.sol's *_START_BIT_POSITION constants; values at each
  // field's MAX_VALID_* where it has one, so a field that leaks into a neighbour shows.
  const U256 bitmap = at(0xFFFF, 0) | at(0x1234, 16) | at(10750, 32) | at(255, 48) | at(1, 56) | at(1, 58) |
                      at(1, 60) | at(1, 62) | at(0xFFFF, 64) | at(68719476735ULL, 80) | at(123456789, 116) |
                      at(0xFFFF, 152) | at(255, 168) | at(68719476735ULL, 176) | at(1099511627775ULL, 212);
  const ReserveConfig c = decode_reserve_config(bitmap);
  CHECK(c.ltv_bps == 0xFFFF);
  CHECK(c.liquidation_threshold_bps == 0x1234);
  CHECK(c.liquidation_bonus_bps == 10750);
  CHECK(c.decimals == 255);
  CHECK(c.active);
  CHECK_FALSE(c.frozen);
  CHECK(c.borrowing_enabled);
  CHECK_FALSE(c.stable_borrowing_enabled);
  CHECK(c.paused);
  CHECK_FALSE(c.borrowable_in_isolation);
  CHECK(c.siloed_borrowing);
  CHECK_FALSE(c.flashloan_enabled);
  CHECK(c.reserve_factor_bps == 0xFFFF);
  CHECK(c.borrow_cap == 68719476735ULL);
  CHECK(c.supply_cap == 123456789);
  CHECK(c.liquidation_protocol_fee_bps == 0xFFFF);
  CHECK(c.emode_category == 255);
  CHECK(c.unbacked_mint_cap == 68719476735ULL);
  CHECK(c.debt_ceiling == 1099511627775ULL);
}

TEST_CASE("aave reserve config: the complementary flags and an empty word") {
  const ReserveConfig c = decode_reserve_config(at(1, 57) | at(1, 59) | at(1, 61) | at(1, 63));
  CHECK_FALSE(c.active);
  CHECK(c.frozen);
  CHECK_FALSE(c.borrowing_enabled);
  CHECK(c.stable_borrowing_enabled);
  CHECK_FALSE(c.paused);
  CHECK(c.borrowable_in_isolation);
  CHECK_FALSE(c.siloed_borrowing);
  CHECK(c.flashloan_enabled);
  CHECK(c.ltv_bps == 0);
  CHECK(c.debt_ceiling == 0);
  // Bits 252-255 are unused: they must not reach the debt ceiling.
  CHECK(decode_reserve_config(at(0xF, 252)).debt_ceiling == 0);
  CHECK(decode_reserve_config(U256{}).decimals == 0);
}

TEST_CASE("aave reserve config: a real devnet bitmap (WETH)") {
  // `cast call <pool> "getConfiguration(address)(uint256)" <WETH>` on `scripts/devnet up --borrowers 40 --seed 7`
  // (pool 0x94099942864EA81cCF197E9D71ac53310b1468D8, WETH 0x5FbDB2315678afecb367f032d93F642f64180aa3). The
  // expected fields are the devnet's AaveProtocolDataProvider answers for the same asset
  // (getReserveConfigurationData, getReserveEModeCategory, getLiquidationProtocolFee, getReserveCaps, getPaused,
  // getDebtCeiling, getFlashLoanEnabled, getSiloedBorrowing, getUnbackedMintCap).
  const U256 bitmap = U256::from_dec("379853409927534986584376461080836915087631515918194").value();
  const ReserveConfig c = decode_reserve_config(bitmap);
  CHECK(c.decimals == 18);
  CHECK(c.ltv_bps == 8050);
  CHECK(c.liquidation_threshold_bps == 8300);
  CHECK(c.liquidation_bonus_bps == 10500);
  CHECK(c.reserve_factor_bps == 1500);
  CHECK(c.borrowing_enabled);
  CHECK_FALSE(c.stable_borrowing_enabled);
  CHECK(c.active);
  CHECK_FALSE(c.frozen);
  CHECK(c.emode_category == 1);
  CHECK(c.liquidation_protocol_fee_bps == 1000);
  CHECK(c.borrow_cap == 0);
  CHECK(c.supply_cap == 0);
  CHECK_FALSE(c.paused);
  CHECK(c.debt_ceiling == 0);
  CHECK_FALSE(c.flashloan_enabled);
  CHECK_FALSE(c.siloed_borrowing);
  CHECK(c.unbacked_mint_cap == 0);
}
