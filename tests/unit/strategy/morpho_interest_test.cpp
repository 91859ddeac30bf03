// Morpho._accrueInterest by hand. Market: 1,000 DAI supplied (1e27 shares), 500 DAI borrowed (5e26 shares), so
// utilisation 50% and IrmMock's rate = 0.5e18 / 365 days = floor(5e17 / 31,536,000) = 15,854,895,991 per second.
// growth = wTaylorCompounded(rate, n) = t + floor(t^2 / 2e18) + floor(floor(t^2 / 2e18) * t / 3e18), t = rate * n;
// interest = floor(500e18 * growth / 1e18); fee shares = floor(fee_amount * (1e27 + 1e6) / (supply_after - fee + 1))
// with fee_amount = floor(interest * fee / 1e18). The products were multiplied out with exact integers (Python
// big ints), following those formulas term by term; the same code runs against the real contract in
// tests/integration/morpho_math_diff_test.cpp.

#include "strategy/morpho/math.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::literals;
using namespace sluice::morpho;

namespace {

const U256 kRate{15'854'895'991ULL};

MarketState dai_market(const U256& fee) {
  MarketState s;
  s.total_supply_assets = 1000'000000000000000000_u256;
  s.total_supply_shares = 1000'000000000000000000'000000_u256;
  s.total_borrow_assets = 500'000000000000000000_u256;
  s.total_borrow_shares = 500'000000000000000000'000000_u256;
  s.last_update = 1'700'000'000;
  s.fee = fee;
  return s;
}

struct Expected {
  std::uint64_t elapsed;
  U256 interest;
  U256 fee_shares;  // with a 10% fee
};

}  // namespace

TEST_CASE("morpho accrue_interest: 1 s, 1 day and 1 year, without and with a 10% fee") {
  const Expected cases[] = {
      // 1 s: t = 15,854,895,991; t^2/2e18 = 125; third term 0; growth 15,854,896,116;
      // interest = 500 * 15,854,896,116 = 7,927,448,058,000; fee 792,744,805,800;
      // fee shares = 792,744,805,800 * (1e27 + 1e6) / (1000e18 + 7,927,448,058,000 - 792,744,805,800 + 1).
      {1, 7'927'448'058'000_u256, 792'744'800'144'001'096_u256},
      // 1 day: t = 1,369,863,013,622,400; second 938,262,338,045; third 428,430,291;
      // growth 1,370,801,704,390,736; interest 685,400,852,195,368,000; fee 68,540,085,219,536,800.
      {86'400, 685'400'852'195'368'000_u256, 68'497'831'594'603'171'764'796_u256},
      // 1 year: t = 499,999,999,972,176,000; second 124,999,999,986,088,000; third 20,833,333,329,855,333;
      // growth 645,833,333,288,119,333 (e^0.5 - 1 = 0.6487 exactly; the 3-term series stops at 0.6458);
      // interest 322,916,666,644,059,666,500; fee 32,291,666,664,405,966,650.
      {31'536'000, 322'916'666'644'059'666'500_u256, 25'020'177'561'193'247'219'350'008_u256},
  };
  for (const Expected& c : cases) {
    CAPTURE(c.elapsed);
    const MarketState before = dai_market(U256{});
    const auto after = accrue_interest(before, kRate, before.last_update + c.elapsed);
    REQUIRE(after.has_value());
    CHECK(after->total_borrow_assets == before.total_borrow_assets + c.interest);
    CHECK(after->total_supply_assets == before.total_supply_assets + c.interest);
    CHECK(after->total_supply_shares == before.total_supply_shares);  // no fee: no shares minted
    CHECK(after->total_borrow_shares == before.total_borrow_shares);
    CHECK(after->last_update == before.last_update + c.elapsed);

    const MarketState with_fee = dai_market(100'000'000'000'000'000_u256);
    const auto fee_after = accrue_interest(with_fee, kRate, with_fee.last_update + c.elapsed);
    REQUIRE(fee_after.has_value());
    CHECK(fee_after->total_borrow_assets == with_fee.total_borrow_assets + c.interest);
    CHECK(fee_after->total_supply_assets == with_fee.total_supply_assets + c.interest);
    CHECK(fee_after->total_supply_shares == with_fee.total_supply_shares + c.fee_shares);
  }
}

TEST_CASE("morpho accrue_interest: no time elapsed, a zero rate, and a timestamp in the past change nothing") {
  const MarketState s = dai_market(100'000'000'000'000'000_u256);
  const auto same = accrue_interest(s, kRate, s.last_update);
  REQUIRE(same.has_value());
  CHECK(same->total_borrow_assets == s.total_borrow_assets);
  CHECK(same->last_update == s.last_update);
  const auto past = accrue_interest(s, kRate, s.last_update - 10);
  REQUIRE(past.has_value());
  CHECK(past->last_update == s.last_update);

  // A market without an IRM (rate 0) only moves lastUpdate.
  const auto no_irm = accrue_interest(s, U256{}, s.last_update + 3600);
  REQUIRE(no_irm.has_value());
  CHECK(no_irm->total_borrow_assets == s.total_borrow_assets);
  CHECK(no_irm->total_supply_shares == s.total_supply_shares);
  CHECK(no_irm->last_update == s.last_update + 3600);
}

TEST_CASE("morpho accrue_interest: reverts where the contract does") {
  MarketState s = dai_market(U256{});
  // totalBorrowAssets += interest.toUint128(): 2^128 - 1 borrowed at a 100%-per-second rate for 1 s.
  s.total_borrow_assets = (U256{1} << 128) - U256{1};
  s.total_supply_assets = s.total_borrow_assets;
  const auto sum_overflow = accrue_interest(s, 1'000'000'000'000'000'000_u256, s.last_update + 1);
  REQUIRE_FALSE(sum_overflow.has_value());
  CHECK(sum_overflow.error() == MorphoError::overflow);

  // wTaylorCompounded's t * t overflows: t = 2^200.
  const auto taylor_overflow = accrue_interest(dai_market(U256{}), U256{1} << 200, 1'700'000'001);
  REQUIRE_FALSE(taylor_overflow.has_value());
  CHECK(taylor_overflow.error() == MorphoError::overflow);

  // Below the limit: 2^126 borrowed at the same rate (growth over 1 s: t = 1e18, t^2 / 2e18 = 0.5e18, third term
  // floor(0.5e18 * 1e18 / 3e18) = 166,666,666,666,666,666: 1,666,666,666,666,666,666) ends at 2.67 * 2^126 < 2^128.
  MarketState fits = dai_market(U256{});
  fits.total_borrow_assets = U256{1} << 126;
  fits.total_supply_assets = U256{1} << 126;
  const auto ok = accrue_interest(fits, 1'000'000'000'000'000'000_u256, fits.last_update + 1);
  REQUIRE(ok.has_value());
  // interest = floor(2^126 * 1,666,666,666,666,666,666 / 1e18)
  CHECK(ok->total_borrow_assets == (U256{1} << 126) + mul_div_down(U256{1} << 126, 1'666'666'666'666'666'666_u256,
                                                                   1'000'000'000'000'000'000_u256).value());
  // And 2^127 at that rate overflows the uint128 sum (2.67 * 2^127 > 2^128).
  fits.total_borrow_assets = U256{1} << 127;
  fits.total_supply_assets = U256{1} << 127;
  CHECK_FALSE(accrue_interest(fits, 1'000'000'000'000'000'000_u256, fits.last_update + 1).has_value());
}
