// The backtest's simulated keeper (strategy/backtest/simulated_keeper.hpp). Book: WETH (18 decimals, $2,000) and
// USDC (6 decimals, $1); one WETH/USDC v2 pool with 1,000 WETH and 2,000,000 USDC. Expected sale outputs are
// UniswapV2Library.getAmountOut worked by hand (integer arithmetic, Python):
//   out = in * 997 * R_out // (R_in * 1000 + in * 997)
//   10 WETH into (1000e18, 2e12):                          19743160687 (19,743.160687 USDC)
//   then 5 WETH into (1010e18, 2e12 - 19743160687):         9725838651
//   5 WETH alone into (1000e18, 2e12) (for contrast):       9920546077

#include "strategy/backtest/simulated_keeper.hpp"

#include <doctest/doctest.h>

using namespace sluice;
using namespace sluice::backtest;

namespace {

Address token(std::uint8_t n) {
  Address a;
  a.bytes[19] = n;
  return a;
}

const Address kWeth = token(1);  // token0 (lower address)
const Address kUsdc = token(2);

U256 pow10(unsigned n) {
  U256 v{1};
  for (unsigned i = 0; i < n; ++i) v = v * U256{10};
  return v;
}
U256 whole(std::uint64_t n, unsigned decimals) { return U256{n} * pow10(decimals); }

struct World {
  book::PositionBook book;
  book::AssetId weth = 0, usdc = 0;
  std::vector<risk::Pool> pools;

  World() {
    weth = book.intern_asset(kWeth, "WETH", 18);
    usdc = book.intern_asset(kUsdc, "USDC", 6);
    book.set_usd_price(weth, U256{2000'00000000ULL});
    book.set_usd_price(usdc, U256{1'00000000ULL});
    risk::Pool p;
    p.address = token(0x50);
    p.token0 = kWeth;
    p.token1 = kUsdc;
    p.reserve0 = whole(1000, 18);
    p.reserve1 = whole(2'000'000, 6);
    p.decimals0 = 18;
    p.decimals1 = 6;
    pools.push_back(p);
  }

  SimulatedLiquidation liquidation(const U256& repaid_usdc, const U256& seized_weth, bool reverted = false) const {
    SimulatedLiquidation l;
    l.decided_block = 10;
    l.key.account = token(0x77);
    l.collateral_token = kWeth;
    l.debt_token = kUsdc;
    l.reverted = reverted;
    l.debt_repaid = repaid_usdc;
    l.collateral_seized = seized_weth;
    return l;
  }

  plan::SaleOrder sale(const U256& weth_amount) const {
    plan::SaleOrder s;
    s.asset = weth;
    s.proceeds = usdc;
    s.amount = weth_amount;
    s.path = {kWeth, kUsdc};
    return s;
  }
};

U256 balance_of(const plan::KeeperState& s, book::AssetId asset) {
  for (const auto& [a, amount] : s.balances)
    if (a == asset) return amount;
  return U256{};
}

}  // namespace

TEST_CASE("simulated keeper: unlimited inventory is 2^200") {
  // 2^200 = 1606938044258990275541962092341162602522202993782792835301376 (Python: 2**200).
  CHECK(unlimited_inventory() ==
        *U256::from_dec("1606938044258990275541962092341162602522202993782792835301376"));
}

TEST_CASE("simulated keeper: a liquidation moves the debt out and the collateral in, for sale") {
  World w;
  SimulatedKeeper k({{w.usdc, whole(10'000, 6)}}, false);
  const U256 seized = whole(21, 17);  // 2.1 WETH
  k.land(10, {w.liquidation(whole(4'000, 6), seized)}, {}, w.pools, w.book);
  CHECK(k.balances().at(w.usdc) == whole(6'000, 6));
  CHECK(k.balances().at(w.weth) == seized);
  CHECK(k.for_sale().at(w.weth) == seized);
  CHECK(k.for_sale().count(w.usdc) == 0);

  // A reverted one moves nothing.
  k.land(11, {w.liquidation(whole(4'000, 6), seized, /*reverted=*/true)}, {}, w.pools, w.book);
  CHECK(k.balances().at(w.usdc) == whole(6'000, 6));
  CHECK(k.balances().at(w.weth) == seized);

  const std::vector<book::PositionKey> taken{w.liquidation({}, {}).key};
  const auto s = k.state(12, taken, w.book.asset_count());
  REQUIRE(s.balances.size() == 2);  // sorted by asset id: WETH (0), USDC (1)
  CHECK(s.balances[0] == std::pair{w.weth, seized});
  CHECK(s.balances[1] == std::pair{w.usdc, whole(6'000, 6)});
  REQUIRE(s.for_sale.size() == 1);
  CHECK(s.for_sale[0] == std::pair{w.weth, seized});
  CHECK(s.in_flight == taken);
  CHECK(s.in_flight_count == 0);
  CHECK(s.cooling.empty());
}

TEST_CASE("simulated keeper: repaying more than held saturates at zero") {
  World w;
  SimulatedKeeper k({{w.usdc, whole(100, 6)}, {w.usdc, whole(50, 6)}}, false);  // duplicates summed: 150 USDC
  CHECK(k.balances().at(w.usdc) == whole(150, 6));
  k.land(10, {w.liquidation(whole(400, 6), U256{1})}, {}, w.pools, w.book);
  CHECK(k.balances().at(w.usdc).is_zero());
  const auto s = k.state(11, {}, w.book.asset_count());
  CHECK(balance_of(s, w.usdc).is_zero());  // zero balances are left out
  CHECK(s.balances.size() == 1);
}

TEST_CASE("simulated keeper: cooldowns expire at their end block (exclusive)") {
  World w;
  SimulatedKeeper k({}, false);
  book::PositionKey a{Protocol::aave_v3, token(0x31), {}};
  book::PositionKey b{Protocol::aave_v3, token(0x32), {}};
  k.cool_down(a, 15);
  k.cool_down(b, 12);
  k.cool_down(a, 13);  // an earlier end does not shorten it
  CHECK(k.state(11, {}).cooling.size() == 2);
  auto s = k.state(12, {});
  REQUIRE(s.cooling.size() == 1);
  CHECK(s.cooling[0] == std::pair{a, std::uint64_t{15}});
  CHECK(k.state(14, {}).cooling.size() == 1);
  CHECK(k.state(15, {}).cooling.empty());
  // Landing block 14 prunes what cannot be active at 15 or later; state still answers the same.
  k.land(14, {}, {}, w.pools, w.book);
  CHECK(k.state(15, {}).cooling.empty());
}

TEST_CASE("simulated keeper: a sale's output is the constant-product formula, proceeds join the balances") {
  World w;
  SimulatedKeeper k({}, false);
  k.land(10, {w.liquidation({}, whole(12, 18))}, {}, w.pools, w.book);  // 12 WETH seized, no debt held
  const auto results = k.land(11, {}, {w.sale(whole(10, 18))}, w.pools, w.book);
  REQUIRE(results.size() == 1);
  const auto& r = results[0];
  CHECK(r.asset == w.weth);
  CHECK(r.proceeds == w.usdc);
  CHECK(r.amount == whole(10, 18));
  CHECK(r.output == U256{19743160687ULL});  // see the file comment
  // 10 WETH x $2,000 - 19,743.160687 USDC x $1.
  CHECK(r.slippage_usd == doctest::Approx(20'000.0 - 19'743.160687));
  CHECK(k.balances().at(w.weth) == whole(2, 18));
  CHECK(k.for_sale().at(w.weth) == whole(2, 18));
  CHECK(k.balances().at(w.usdc) == U256{19743160687ULL});
  CHECK(k.for_sale().count(w.usdc) == 0);
}

TEST_CASE("simulated keeper: the second sale of a block sees the first one's reserves") {
  World w;
  SimulatedKeeper k({}, false);
  k.land(10, {w.liquidation({}, whole(15, 18))}, {}, w.pools, w.book);
  const auto results = k.land(11, {}, {w.sale(whole(10, 18)), w.sale(whole(5, 18))}, w.pools, w.book);
  REQUIRE(results.size() == 2);
  CHECK(results[0].output == U256{19743160687ULL});
  CHECK(results[1].output == U256{9725838651ULL});  // not 9920546077: the pool already took 10 WETH
  CHECK(k.balances().at(w.usdc) == U256{19743160687ULL + 9725838651ULL});
  CHECK(k.balances().at(w.weth).is_zero());
  CHECK(k.for_sale().count(w.weth) == 0);
  // The caller's pools are untouched: the next block starts from what the engine reads.
  CHECK(w.pools[0].reserve0 == whole(1000, 18));
}

TEST_CASE("simulated keeper: never sells more than held; a sale no pool takes moves nothing") {
  World w;
  SimulatedKeeper k({}, false);
  k.land(10, {w.liquidation({}, whole(5, 18))}, {}, w.pools, w.book);
  auto results = k.land(11, {}, {w.sale(whole(100, 18))}, w.pools, w.book);
  REQUIRE(results.size() == 1);
  CHECK(results[0].amount == whole(5, 18));
  CHECK(results[0].output == U256{9920546077ULL});  // 5 WETH alone into the fresh pool
  CHECK(k.balances().at(w.weth).is_zero());

  // Nothing left: nothing sold.
  results = k.land(12, {}, {w.sale(whole(1, 18))}, w.pools, w.book);
  CHECK(results[0].amount.is_zero());
  CHECK(results[0].output.is_zero());

  // No pool for the pair: the sale moves nothing.
  k.land(13, {w.liquidation({}, whole(1, 18))}, {}, w.pools, w.book);
  results = k.land(14, {}, {w.sale(whole(1, 18))}, {}, w.book);
  CHECK(results[0].amount.is_zero());
  CHECK(results[0].output.is_zero());
  CHECK(results[0].slippage_usd == 0.0);
  CHECK(k.balances().at(w.weth) == whole(1, 18));
  CHECK(k.for_sale().at(w.weth) == whole(1, 18));
}

TEST_CASE("simulated keeper: unlimited inventory never underflows") {
  World w;
  SimulatedKeeper k({}, true);
  CHECK(k.unlimited());
  auto s = k.state(10, {}, w.book.asset_count());
  REQUIRE(s.balances.size() == 2);
  CHECK(s.balances[0] == std::pair{w.weth, unlimited_inventory()});
  CHECK(s.balances[1] == std::pair{w.usdc, unlimited_inventory()});
  CHECK(s.for_sale.empty());

  const U256 huge = whole(1, 30);  // 1e30 raw USDC, far beyond any supply
  k.land(10, {w.liquidation(huge, whole(3, 18))}, {}, w.pools, w.book);
  CHECK(k.balances().at(w.usdc) == unlimited_inventory() - huge);
  CHECK(k.balances().at(w.weth) == unlimited_inventory() + whole(3, 18));
  CHECK(k.for_sale().at(w.weth) == whole(3, 18));  // only what was seized is for sale

  // Even a repayment above 2^200 saturates at zero instead of wrapping.
  k.land(11, {w.liquidation(unlimited_inventory() + U256{1}, U256{})}, {}, w.pools, w.book);
  CHECK(k.balances().at(w.usdc).is_zero());
  s = k.state(12, {}, w.book.asset_count());
  REQUIRE(s.balances.size() == 1);  // USDC touched and spent: reported as spent, not refilled
  CHECK(s.balances[0].first == w.weth);

  // The amounts in `inventory` are ignored in unlimited mode.
  SimulatedKeeper k2({{w.usdc, U256{5}}}, true);
  CHECK(k2.balances().at(w.usdc) == unlimited_inventory());
}
